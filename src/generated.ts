import { configuration } from './config/configuration.js';
import { ConfigError, type ValidationIssue } from './errors.js';
import type { Lifecycle } from './lifecycle.js';
import type { BulkheadPolicy } from './policies/bulkhead.js';
import type { CachePolicy } from './policies/cache.js';
import type { CircuitBreakerPolicy } from './policies/circuit-breaker.js';
import type { DeadLetterPolicy } from './policies/dead-letter.js';
import type { FallbackPolicy } from './policies/fallback.js';
import { DECORATOR_NAME, type PolicyKind } from './policies/kinds.js';
import type { MethodInfo, Policy } from './policies/policy.js';
import type { RateLimitPolicy } from './policies/rate-limit.js';
import type { RetryPolicy } from './policies/retry.js';
import type { TimeoutPolicy } from './policies/timeout.js';
import type { ValidatedPolicy } from './policies/validated.js';
import { registry } from './registry/registry.js';

/** The runtime policy of each kind, as a generated wrapper calls it. */
export interface PolicyByKind {
  validated: ValidatedPolicy;
  cache: CachePolicy;
  fallback: FallbackPolicy;
  deadLetter: DeadLetterPolicy;
  retry: RetryPolicy;
  circuitBreaker: CircuitBreakerPolicy;
  rateLimit: RateLimitPolicy;
  timeout: TimeoutPolicy;
  bulkhead: BulkheadPolicy;
}

/** What a generated wrapper is made from, once per method at class definition. */
export interface GeneratedContext {
  readonly method: MethodInfo;
  /** The method as written. */
  readonly original: (...args: unknown[]) => unknown;
  /** Ids of the method's policies, outermost first (for call observers). */
  readonly policyIds: readonly string[];
  readonly lifecycle: Lifecycle;
  /** The method's policy of `kind`; throws if it has none (the entry and the decorators disagree). */
  policy<K extends PolicyKind>(kind: K): PolicyByKind[K];
}

/**
 * A generated wrapper: the method as callers call it (`this` is the instance, or the class for a
 * static method). Installed in place of the decorated method once its policies exist.
 */
export type GeneratedMethod = (this: unknown, ...args: never[]) => unknown;

/**
 * One method's entry in `resil.generated.ts`: the decorator options it was generated from and the
 * factory of its specialized wrapper.
 */
export interface GeneratedEntry {
  /**
   * The decorators' options as written, by kind: literal values, and `{ $expr: source }` for any
   * other expression (its value is taken from the decorator at class definition).
   */
  readonly options: { readonly [kind: string]: { readonly [option: string]: unknown } };
  /** Whether the method returns a promise, from its declared type. */
  readonly async: boolean;
  /** Index of its `AbortSignal` parameter, or -1, from its declared types. */
  readonly signalIndex: number;
  create(ctx: GeneratedContext): GeneratedMethod;
  /** The validators generated from the declared types, for a method with `@Validated`. */
  readonly validate?: GeneratedValidators;
}

/** A method's validators generated from its declared types (`@Validated` in compiled mode). */
export interface GeneratedValidators {
  /** Whether they reject undeclared properties (`strict: true`). */
  readonly strict: boolean;
  /** The issues of the arguments, or undefined when they pass. */
  args(args: readonly unknown[]): ValidationIssue[] | undefined;
  /** The issues of the resolved result, when generated for `returns: true`. */
  readonly result?: (value: unknown) => ValidationIssue[] | undefined;
}

/** The generated entries of the process, shared by every copy of the package. */
interface GeneratedTable {
  /** Content hashes of the generated modules loaded. */
  readonly modules: Set<string>;
  readonly entries: Map<string, GeneratedEntry>;
  /** Ids of the methods that run their generated wrapper. */
  readonly running: Set<string>;
}

const KEY = Symbol.for('resil.generated');
type Global = typeof globalThis & { [KEY]?: GeneratedTable };
const table: GeneratedTable = ((globalThis as Global)[KEY] ??= { modules: new Set(), entries: new Map(), running: new Set() });

/**
 * Registers the entries of a generated module, by method id. Called by `resil.generated.ts` when
 * it is imported; not meant to be called by hand. A method already in use before its entry
 * arrived keeps running in runtime mode, and a `generatedMissing` notice says why.
 */
export function defineGenerated(hash: string, entries: Readonly<Record<string, GeneratedEntry>>): void {
  // The project's methods are known now: a configuration naming any other id is an error.
  configuration.knowMethods(Object.entries(entries).map(([id, entry]) => ({ id, kinds: Object.keys(entry.options) as PolicyKind[] })));
  table.modules.add(hash);
  // All entries first: reading the registry finalizes classes still being registered, which must find theirs.
  for (const [id, entry] of Object.entries(entries)) table.entries.set(id, entry);
  for (const id of Object.keys(entries)) {
    if (registry.policiesOf(id).length > 0 && !table.running.has(id)) {
      registry.notify({
        method: id,
        code: 'generatedMissing',
        message: `${id} was defined before resil.generated.js was imported and runs in runtime mode; import the generated module first at the entry point`,
      });
    }
  }
}

/**
 * Takes the loaded generated entries out and returns a function that puts them back: for running
 * one scenario in runtime mode in a process that loaded a generated module (the differential tests).
 */
export function detachGenerated(): () => void {
  const saved = new Map(table.entries);
  const modules = new Set(table.modules);
  table.entries.clear();
  table.modules.clear();
  table.running.clear();
  return () => {
    for (const [id, entry] of saved) table.entries.set(id, entry);
    for (const hash of modules) table.modules.add(hash);
  };
}

/** The key under which options given as one non-literal expression are generated. */
const OPAQUE_KEY = '$options';

const isExpression = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && typeof (value as { $expr?: unknown }).$expr === 'string';

/** Deep equality of a literal as generated and a value given at run time. */
function sameLiteral(generated: unknown, given: unknown): boolean {
  if (isExpression(generated)) return given !== undefined;
  if (generated === given) return true;
  if (Array.isArray(generated)) {
    return Array.isArray(given) && generated.length === given.length && generated.every((g, i) => sameLiteral(g, given[i]));
  }
  if (typeof generated !== 'object' || generated === null || typeof given !== 'object' || given === null) return false;
  if (Object.getPrototypeOf(given) !== Object.prototype && Object.getPrototypeOf(given) !== null) return false;
  return sameOptions(generated as Record<string, unknown>, given as Record<string, unknown>) === undefined;
}

/** The first option that differs between two option objects, or undefined when they agree. */
function sameOptions(generated: Readonly<Record<string, unknown>>, given: Readonly<Record<string, unknown>>): string | undefined {
  const keys = new Set([...Object.keys(generated), ...Object.keys(given).filter((k) => given[k] !== undefined)]);
  for (const key of [...keys].sort()) {
    if (!sameLiteral(generated[key], given[key])) return key;
  }
  return undefined;
}

/**
 * Why a generated entry does not fit the decorators a method has at run time (a decorator added
 * or removed, an option changed since `resil gen` ran), or undefined when it fits.
 */
export function staleReason(entry: GeneratedEntry, specs: ReadonlyMap<PolicyKind, unknown>): string | undefined {
  const kinds = new Set<string>([...Object.keys(entry.options), ...specs.keys()]);
  for (const kind of [...kinds].sort()) {
    const name = DECORATOR_NAME[kind as PolicyKind] ?? kind;
    if (!specs.has(kind as PolicyKind)) return `${name} was generated but is no longer on the method`;
    const generated = entry.options[kind];
    if (!generated) return `${name} is on the method but was not generated`;
    // Options given as one expression (`@Retry(options)`) are known only at run time: the wrapper reads them there.
    if (OPAQUE_KEY in generated) continue;
    const differing = sameOptions(generated, (specs.get(kind as PolicyKind) ?? {}) as Record<string, unknown>);
    if (differing !== undefined) return `${name} option '${differing}' differs from what was generated`;
  }
  return undefined;
}

/** `RESIL_REQUIRE_GENERATED=1` (or `true`): a method without a fitting generated entry is an error. */
const generatedRequired = (): boolean => /^(1|true|yes)$/i.test(process.env['RESIL_REQUIRE_GENERATED'] ?? '');

/**
 * The generated entry a method should run, or undefined for runtime mode. A missing entry (once a
 * generated module is loaded) or a stale one is said once through a notice; with
 * `RESIL_REQUIRE_GENERATED=1` either throws a {@link ConfigError} instead.
 */
export function findGenerated(methodId: string, specs: ReadonlyMap<PolicyKind, unknown>): GeneratedEntry | undefined {
  table.running.delete(methodId);
  const entry = table.entries.get(methodId);
  const reason = entry
    ? staleReason(entry, specs)
    : table.modules.size > 0 || generatedRequired()
      ? `${methodId} has no entry in the generated module; run resil gen`
      : undefined;
  if (reason === undefined) return entry;
  const code = entry ? 'generatedStale' : 'generatedMissing';
  const message = entry ? `${methodId} runs in runtime mode: its generated entry is stale (${reason}); run resil gen` : reason;
  if (generatedRequired()) {
    throw new ConfigError([{ key: `${methodId}`, message: `${message} (RESIL_REQUIRE_GENERATED is set)` }]);
  }
  registry.notify({ method: methodId, code, message });
  return undefined;
}

/** The context a generated entry's factory gets. */
export function generatedContext(
  method: MethodInfo,
  policies: readonly Policy[],
  original: (...args: unknown[]) => unknown,
  lifecycle: Lifecycle,
): GeneratedContext {
  table.running.add(method.id);
  return {
    method,
    original,
    policyIds: policies.map((p) => p.id),
    lifecycle,
    policy<K extends PolicyKind>(kind: K): PolicyByKind[K] {
      const found = policies.find((p) => p.kind === kind);
      if (!found) throw new Error(`resil: the generated wrapper of ${method.id} needs a ${DECORATOR_NAME[kind]} policy it does not have`);
      return found as unknown as PolicyByKind[K];
    },
  };
}

/** Ids of the methods running their generated wrapper (compiled mode), sorted. */
export function compiledMethods(): string[] {
  return [...table.running].sort();
}

/**
 * The validators `resil gen` generated for a method with `@Validated`, by method id, once the
 * generated module is imported; undefined otherwise. For checking a value against a method's
 * declared parameter types outside a call (`args([value])`), and for benchmarks.
 */
export function generatedValidators(methodId: string): GeneratedValidators | undefined {
  return table.entries.get(methodId)?.validate;
}
