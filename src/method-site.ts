import { composeChain, createPolicies, waitingKinds, type Invoker } from './compose.js';
import { resolveOptions } from './config/validate-options.js';
import { ConfigError } from './errors.js';
import { DECORATOR_NAME, type PolicyKind } from './policies/kinds.js';
import { parameterNames } from './policies/keys.js';
import type { MethodInfo } from './policies/policy.js';
import { ValidatedPolicy } from './policies/validated.js';
import { registry } from './registry/registry.js';

type AnyFunction = (...args: unknown[]) => unknown;

const SITE = Symbol.for('resil.site');
const CLASS_NAME = Symbol.for('resil.className');

/** The prototype chain of an `AsyncFunction`, to tell `async` methods apart without calling them. */
const AsyncFunction = (async () => {}).constructor;

/** Reads legacy `design:*` metadata when reflect-metadata is loaded. */
function designMetadata(key: string, target: object | undefined, property: string): unknown {
  const reflect = Reflect as unknown as { getMetadata?: (k: string, t: object, p: string) => unknown };
  return target && typeof reflect.getMetadata === 'function' ? reflect.getMetadata(key, target, property) : undefined;
}

/**
 * One decorated method: the decorators applied to it so far, and the single wrapper installed in
 * its place. Each decorator adds its options here; the wrapper composes all of them in SPEC §2's
 * order, so the order they were written in does not matter.
 *
 * Under legacy decorators the class is known when a decorator runs, so the site is finalized (its
 * policies created and registered) at once. A standard method decorator is not told its class:
 * the site is finalized when the class is first instantiated, when a static method's class is
 * defined, when `@Resilient` runs, or at the first call, whichever comes first.
 */
export class MethodSite {
  readonly specs = new Map<PolicyKind, unknown>();
  readonly wrapper: AnyFunction;
  private invoker: Invoker | undefined;
  private owner: (abstract new (...args: never[]) => unknown) | undefined;
  private legacyTarget: object | undefined;

  private constructor(
    readonly original: AnyFunction,
    readonly methodName: string,
    readonly isStatic: boolean,
  ) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const site = this;
    this.wrapper = {
      [methodName](this: unknown, ...args: unknown[]) {
        return (site.invoker ?? site.finalizeFrom(this))(this, args);
      },
    }[methodName]!;
    Object.defineProperty(this.wrapper, SITE, { value: this });
  }

  /** The site of a wrapper, or a new one around a plain method. */
  static of(fn: unknown, methodName: string, isStatic: boolean): MethodSite {
    if (typeof fn !== 'function') throw new TypeError(`resil: decorators apply to methods; ${methodName} is not a function`);
    const existing = (fn as { [SITE]?: MethodSite })[SITE];
    return existing ?? new MethodSite(fn as AnyFunction, methodName, isStatic);
  }

  /** The site behind a wrapper installed on a class, if any. */
  static find(fn: unknown): MethodSite | undefined {
    return typeof fn === 'function' ? (fn as { [SITE]?: MethodSite })[SITE] : undefined;
  }

  /** Adds one decorator's options; validates them now, at class definition. */
  add(kind: PolicyKind, raw: unknown, legacyTarget?: object): void {
    if (legacyTarget) {
      this.legacyTarget = legacyTarget;
      this.owner ??= (this.isStatic ? legacyTarget : legacyTarget.constructor) as abstract new () => unknown;
    }
    const where = this.owner ? this.methodId(this.owner) : this.methodName;
    if (this.specs.has(kind)) {
      throw new ConfigError([{ key: `${where}.${kind}`, message: `${DECORATOR_NAME[kind]} is applied twice to ${where}` }]);
    }
    resolveOptions(kind, raw as never, where);
    this.specs.set(kind, raw);
    const waiting = waitingKinds(this.specs);
    if (waiting.length > 0 && !this.returnsPromise()) {
      const names = waiting.map((k) => DECORATOR_NAME[k]).join(', ');
      throw new ConfigError([
        {
          key: `${where}.${waiting[0]}`,
          message: `${names} on ${where} must wait, so ${where} must return a promise; declare it async`,
        },
      ]);
    }
  }

  /** Whether the method is known to return a promise: `async`, or declared `Promise` in legacy metadata. */
  private returnsPromise(): boolean {
    if (this.original instanceof AsyncFunction) return true;
    return designMetadata('design:returntype', this.legacyTarget, this.methodName) === Promise;
  }

  private methodId(owner: abstract new (...args: never[]) => unknown): string {
    const named = (owner as unknown as { [CLASS_NAME]?: string })[CLASS_NAME];
    return `${named ?? owner.name}.${this.methodName}`;
  }

  /** Creates and registers the policies, given the class the method belongs to. */
  finalize(owner: abstract new (...args: never[]) => unknown): Invoker {
    this.owner = owner;
    const id = this.methodId(owner);
    const home: object = this.isStatic ? owner : owner.prototype;
    const paramTypes = designMetadata('design:paramtypes', this.legacyTarget, this.methodName) as unknown[] | undefined;
    const signalIndex = paramTypes ? paramTypes.indexOf(AbortSignal) : -1;
    const names = parameterNames(this.original as never);
    const method: MethodInfo = {
      id,
      className: id.slice(0, id.length - this.methodName.length - 1),
      methodName: this.methodName,
      paramNames: names,
      // Without metadata, a parameter named `signal` (or `…Signal`) is taken to be the AbortSignal.
      signalIndex: signalIndex >= 0 ? signalIndex : names.findIndex((n) => n === 'signal' || /[a-z]Signal$/.test(n)),
      async: this.returnsPromise() || waitingKinds(this.specs).length > 0,
    };
    const input = paramTypes ? { method, specs: this.specs, home, paramTypes } : { method, specs: this.specs, home };
    const policies = createPolicies(input);
    registry.registerMethod(id, policies);
    for (const policy of policies) {
      if (policy instanceof ValidatedPolicy) registry.notify({ method: id, code: 'validationLimited', message: policy.notice });
    }
    this.invoker = composeChain(method, policies, this.original);
    return this.invoker;
  }

  /** Finalizes from `this` of a call or an initializer: the class is the owner of the wrapper. */
  finalizeFrom(self: unknown): Invoker {
    if (this.invoker) return this.invoker;
    return this.finalize(this.findOwner(self));
  }

  private findOwner(self: unknown): abstract new (...args: never[]) => unknown {
    if (this.isStatic && typeof self === 'function') {
      for (let c: unknown = self; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
        if (Object.hasOwn(c, this.methodName) && (c as unknown as Record<string, unknown>)[this.methodName] === this.wrapper)
          return c as abstract new () => unknown;
      }
    }
    for (let o: unknown = self; o !== null && o !== undefined; o = Object.getPrototypeOf(o)) {
      if (Object.hasOwn(o as object, this.methodName) && (o as Record<string, unknown>)[this.methodName] === this.wrapper)
        return (o as { constructor: abstract new () => unknown }).constructor;
    }
    throw new TypeError(`resil: ${this.methodName} was called on an object that is not an instance of its class`);
  }
}

/**
 * Names a class for policy ids and finalizes its decorated methods at once. Used by
 * `@Resilient({ name })`.
 */
export function finalizeClass(cls: abstract new (...args: never[]) => unknown, name: string | undefined): void {
  if (name !== undefined) Object.defineProperty(cls, CLASS_NAME, { value: name, configurable: true });
  for (const [home, isStatic] of [[cls.prototype as object, false], [cls as object, true]] as const) {
    for (const key of Object.getOwnPropertyNames(home)) {
      const descriptor = Object.getOwnPropertyDescriptor(home, key);
      const site = MethodSite.find(descriptor?.value);
      if (site && site.isStatic === isStatic) site.finalize(cls);
    }
  }
}
