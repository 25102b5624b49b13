import { checkDefinition, composeChain, createPolicies, planPolicies, waitingKinds, type ComposeInput, type Invoker } from './compose.js';
import { configuration, type ConfiguredMethod } from './config/configuration.js';
import { resolveOptions } from './config/validate-options.js';
import { ConfigError } from './errors.js';
import { findGenerated, generatedContext, type GeneratedEntry } from './generated.js';
import { DECORATOR_NAME, type PolicyKind } from './policies/kinds.js';
import { parameterNames } from './policies/keys.js';
import type { MethodInfo, Policy } from './policies/policy.js';
import { ValidatedPolicy } from './policies/validated.js';
import { registry } from './registry/registry.js';
import { runtime } from './runtime.js';

type AnyFunction = (...args: unknown[]) => unknown;
type Ctor = abstract new (...args: never[]) => unknown;

const SITE = Symbol.for('resil.site');
const CLASS_NAME = Symbol.for('resil.className');

/** The prototype chain of an `AsyncFunction`, to tell `async` methods apart without calling them. */
const AsyncFunction = (async () => {}).constructor;

/** Reads legacy `design:*` metadata when reflect-metadata is loaded. */
function designMetadata(key: string, target: object | undefined, property: string | symbol): unknown {
  const reflect = Reflect as unknown as { getMetadata?: (k: string, t: object, p: string | symbol) => unknown };
  return target && typeof reflect.getMetadata === 'function' ? reflect.getMetadata(key, target, property) : undefined;
}

/**
 * One decorated method: the decorators applied to it so far, and the single wrapper installed in
 * its place. Each decorator adds its options here; the wrapper composes all of them in SPEC §2's
 * order, so the order they were written in does not matter.
 *
 * Options are validated as each decorator runs, at class definition. The policies are created and
 * registered once the class is complete:
 * - legacy decorators are told the class, so every check runs at definition and registration
 *   follows right after the class is defined (a microtask, or sooner when the registry is read or
 *   the method called), by which time `@Resilient` has named the class;
 * - a standard method decorator is not told its class: the policies are created when the class is
 *   first instantiated, when a static method's class is defined, when `@Resilient` runs, or at the
 *   first call, whichever comes first.
 */
export class MethodSite implements ConfiguredMethod {
  readonly specs = new Map<PolicyKind, unknown>();
  readonly wrapper: AnyFunction;
  /** The method's name in ids: its key, or `[description]` for a symbol key. */
  readonly methodName: string;
  private invoker: Invoker | undefined;
  private owner: Ctor | undefined;
  private legacyTarget: object | undefined;
  private registeredId: string | undefined;
  /** What the installed invoker was built from, to build it again when configuration changes. */
  private built: { input: ComposeInput; generated: GeneratedEntry | undefined; policies: Policy[]; enabled: boolean } | undefined;

  private constructor(
    readonly original: AnyFunction,
    readonly key: string | symbol,
    readonly isStatic: boolean,
  ) {
    this.methodName = typeof key === 'symbol' ? `[${key.description ?? ''}]` : key;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const site = this;
    this.wrapper = {
      [this.methodName](this: unknown, ...args: unknown[]) {
        return (site.invoker ?? site.finalizeFrom(this))(this, args);
      },
    }[this.methodName]!;
    Object.defineProperty(this.wrapper, SITE, { value: this });
  }

  /** The site of a wrapper, or a new one around a plain method. */
  static of(fn: unknown, key: string | symbol, isStatic: boolean): MethodSite {
    if (typeof fn !== 'function') throw new TypeError(`resil: decorators apply to methods; ${String(key)} is not a function`);
    const existing = (fn as { [SITE]?: MethodSite })[SITE];
    return existing ?? new MethodSite(fn as AnyFunction, key, isStatic);
  }

  /** The site behind a wrapper installed on a class, if any. */
  static find(fn: unknown): MethodSite | undefined {
    return typeof fn === 'function' ? (fn as { [SITE]?: MethodSite })[SITE] : undefined;
  }

  /** Adds one decorator's options; validates them now, at class definition. */
  add(kind: PolicyKind, raw: unknown, legacyTarget?: object): void {
    if (legacyTarget) {
      this.legacyTarget = legacyTarget;
      this.owner ??= (this.isStatic ? legacyTarget : legacyTarget.constructor) as Ctor;
    }
    const where = this.methodId();
    try {
      // The first decorated class loads the configuration: a bad file fails its definition.
      configuration.current();
      this.addChecked(kind, raw, where);
    } catch (error) {
      // The class will not exist: what its other methods declared must not register or reserve names.
      if (this.owner) registry.discardClass(this.owner);
      throw error;
    }
  }

  private addChecked(kind: PolicyKind, raw: unknown, where: string): void {
    if (this.specs.has(kind)) {
      throw new ConfigError([{ key: `${where}.${kind}`, message: `${DECORATOR_NAME[kind]} is applied twice to ${where}` }]);
    }
    resolveOptions(kind, raw as never, where);
    this.specs.set(kind, raw);
    const waiting = waitingKinds(this.specs);
    if (waiting.length > 0 && !this.returnsPromise()) {
      const names = waiting.map((k) => DECORATOR_NAME[k]).join(', ');
      throw new ConfigError([
        { key: `${where}.${waiting[0]}`, message: `${names} on ${where} must wait, so ${where} must return a promise; declare it async` },
      ]);
    }
    if (this.owner) {
      // The class is known (legacy decorators): check everything now, register once it is complete.
      checkDefinition(this.input(this.owner));
      // Registered early (the registry was read between two decorators): register again with this one.
      this.invoker = undefined;
      registry.deferFinalize(this);
    }
  }

  /** The class the method belongs to, once known. */
  ownerClass(): object | undefined {
    return this.owner;
  }

  /** Finalizes a site whose registration was deferred; the registry calls it. */
  finalizePending(): void {
    if (!this.invoker && this.owner) this.finalize(this.owner);
  }

  /** Whether the method is known to return a promise: `async`, or declared `Promise` in legacy metadata. */
  private returnsPromise(): boolean {
    if (this.original instanceof AsyncFunction) return true;
    return designMetadata('design:returntype', this.legacyTarget, this.key) === Promise;
  }

  /** The method's id: `Class.method`, the class named by `@Resilient` where it is; the bare name while the class is unknown. */
  methodId(owner: Ctor | undefined = this.owner): string {
    if (!owner) return this.methodName;
    const named = (owner as unknown as { [CLASS_NAME]?: string })[CLASS_NAME];
    return `${named ?? owner.name}.${this.methodName}`;
  }

  /** What the composer needs, given the class the method belongs to. */
  private input(owner: Ctor): ComposeInput {
    const id = this.methodId(owner);
    const paramTypes = designMetadata('design:paramtypes', this.legacyTarget, this.key) as unknown[] | undefined;
    const metadataSignal = paramTypes ? paramTypes.indexOf(AbortSignal) : -1;
    const names = parameterNames(this.original as never);
    const method: MethodInfo = {
      id,
      className: id.slice(0, id.length - this.methodName.length - 1),
      methodName: this.methodName,
      paramNames: names,
      // Without metadata, a parameter named `signal` (or `…Signal`) is taken to be the AbortSignal.
      signalIndex: metadataSignal >= 0 ? metadataSignal : names.findIndex((n) => n === 'signal' || /[a-z]Signal$/.test(n)),
      async: this.returnsPromise() || waitingKinds(this.specs).length > 0,
    };
    const home: object = this.isStatic ? owner : owner.prototype;
    return paramTypes ? { method, specs: this.specs, home, owner, paramTypes } : { method, specs: this.specs, home, owner };
  }

  /** Creates and registers the policies, given the class the method belongs to. */
  finalize(owner: Ctor): Invoker {
    this.owner = owner;
    const input = this.input(owner);
    const { id } = input.method;
    // Named again (by @Resilient) after an earlier registration: the old id goes.
    if (this.registeredId !== undefined && this.registeredId !== id) {
      registry.unregisterMethod(this.registeredId);
      configuration.untrack(this.registeredId);
    }
    const generated = findGenerated(id, this.specs);
    if (generated) {
      // The generated entry knows the declared types; run time only guesses them.
      input.method.async = generated.async;
      input.method.signalIndex = generated.signalIndex;
    }
    const policies = createPolicies(input);
    configuration.track(id, [...this.specs.keys()], this);
    registry.registerMethod(id, policies);
    this.registeredId = id;
    // Generated validators check the declared types; without them `@Validated` checks what run time can see, and says so.
    for (const policy of policies) {
      if (!(policy instanceof ValidatedPolicy)) continue;
      if (generated?.validate && policy.useGenerated(generated.validate)) continue;
      registry.notify({ method: id, code: 'validationLimited', message: policy.notice });
    }
    return this.build(input, generated, policies);
  }

  /**
   * Builds what calls run and puts it in place: the generated wrapper (compiled mode), the chain of
   * runtime policies, or, when configuration switches the method off, the method itself.
   */
  private build(input: ComposeInput, generated: GeneratedEntry | undefined, policies: Policy[]): Invoker {
    const enabled = configuration.enabledFor(input.method.id);
    this.built = { input, generated, policies, enabled };
    if (!enabled) {
      const { original } = this;
      this.invoker = (self, args) => original.apply(self, args);
      this.install(input.home, this.wrapper);
      return this.invoker;
    }
    if (!generated) {
      this.invoker = composeChain(input.method, policies, this.original);
      this.install(input.home, this.wrapper);
      return this.invoker;
    }
    const method = generated.create(generatedContext(input.method, policies, this.original, runtime.lifecycle)) as AnyFunction;
    this.invoker = (self, args) => method.apply(self, args);
    this.install(input.home, method);
    return this.invoker;
  }

  /**
   * What a new configuration changes for this method (see {@link ConfiguredMethod}): policies whose
   * options changed are reconfigured in place where they can keep their state, or made anew; the
   * wrapper is built again around them. Nothing changes until the returned function runs.
   */
  prepare(): (() => void) | undefined {
    const built = this.built;
    if (!built || !this.invoker) return undefined;
    const plan = planPolicies(built.input, built.policies);
    if (!plan.changed && configuration.enabledFor(built.input.method.id) === built.enabled) return undefined;
    return () => {
      for (const apply of plan.reconfigure) apply();
      registry.registerMethod(built.input.method.id, plan.policies);
      this.build(built.input, built.generated, plan.policies);
    };
  }

  /**
   * Puts what calls should reach on the class: a generated wrapper, so calls reach it directly (no
   * arguments array, no indirection), or this site's own wrapper again when configuration switches
   * the method off or back to the runtime chain. Only where the class still holds a function of
   * this site (not a private method, not one a test spy replaced).
   */
  private install(home: object, method: AnyFunction): void {
    const descriptor = Object.getOwnPropertyDescriptor(home, this.key);
    if (!descriptor || !descriptor.writable || MethodSite.find(descriptor.value) !== this || descriptor.value === method) return;
    if (method !== this.wrapper) {
      Object.defineProperty(method, 'name', { value: this.methodName });
      Object.defineProperty(method, SITE, { value: this });
    }
    Object.defineProperty(home, this.key, { ...descriptor, value: method });
  }

  /** Finalizes from `this` of a call or an initializer: the class is the owner of the wrapper. */
  finalizeFrom(self: unknown): Invoker {
    if (this.invoker) return this.invoker;
    return this.finalize(this.owner ?? this.findOwner(self));
  }

  /**
   * The class whose prototype (or, for a static method, which itself) holds the wrapper. When the
   * wrapper cannot be found there — a private method, or one replaced by a test spy before the
   * first instance — the nearest constructor stands in.
   */
  private findOwner(self: unknown): Ctor {
    for (let o: unknown = self; o !== null && o !== undefined; o = Object.getPrototypeOf(o)) {
      const descriptor = Object.getOwnPropertyDescriptor(o, this.key);
      if (descriptor?.value === this.wrapper) {
        return (typeof o === 'function' ? o : (o as { constructor: Ctor }).constructor) as Ctor;
      }
    }
    return (typeof self === 'function' ? self : (self as { constructor: Ctor }).constructor) as Ctor;
  }
}

/**
 * Names a class for policy ids and finalizes its decorated methods at once. Used by
 * `@Resilient({ name })`.
 */
export function finalizeClass(cls: Ctor, name: string | undefined): void {
  if (name !== undefined) Object.defineProperty(cls, CLASS_NAME, { value: name, configurable: true });
  for (const [home, isStatic] of [[cls.prototype as object, false], [cls as object, true]] as const) {
    for (const key of Reflect.ownKeys(home)) {
      const descriptor = Object.getOwnPropertyDescriptor(home, key);
      const site = MethodSite.find(descriptor?.value);
      if (site && site.isStatic === isStatic) site.finalize(cls);
    }
  }
}
