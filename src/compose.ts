import { configuration } from './config/configuration.js';
import { resolveOptions, type ResolvedOptionsByKind } from './config/validate-options.js';
import { ConfigError, ShuttingDownError } from './errors.js';
import { BulkheadPolicy } from './policies/bulkhead.js';
import { CachePolicy } from './policies/cache.js';
import { CircuitBreakerPolicy } from './policies/circuit-breaker.js';
import { DeadLetterPolicy } from './policies/dead-letter.js';
import { FallbackPolicy } from './policies/fallback.js';
import { compileKey } from './policies/keys.js';
import { DECORATOR_NAME, POLICY_ORDER, type PolicyKind } from './policies/kinds.js';
import { isThenable, type Call, type MethodInfo, type Next, type Policy } from './policies/policy.js';
import { RateLimitPolicy } from './policies/rate-limit.js';
import { RetryPolicy } from './policies/retry.js';
import { TimeoutPolicy } from './policies/timeout.js';
import { ValidatedPolicy } from './policies/validated.js';
import { registry } from './registry/registry.js';
import { assertStoreAvailable } from './stores/availability.js';
import { runtime } from './runtime.js';

/** Calls a decorated method through its policies: `(this, args) → result`. */
export type Invoker = (self: unknown, args: unknown[]) => unknown;

/** What the composer needs to know of one decorated method. */
export interface ComposeInput {
  readonly method: MethodInfo;
  /** Raw decorator options by kind. */
  readonly specs: ReadonlyMap<PolicyKind, unknown>;
  /** `design:paramtypes`, when legacy decorators recorded them. */
  readonly paramTypes?: readonly unknown[];
  /** The object the method lives on (prototype, or the class for a static method). */
  readonly home: object;
  /** The class, when known: shared names it reserves are forgotten if its definition fails. */
  readonly owner?: object;
}

/** Policies that wait, and so need a method that returns a promise (SPEC §1). */
export function waitingKinds(specs: ReadonlyMap<PolicyKind, unknown>): PolicyKind[] {
  const kinds: PolicyKind[] = [];
  for (const kind of ['retry', 'timeout', 'bulkhead', 'deadLetter'] as const) if (specs.has(kind)) kinds.push(kind);
  const rate = specs.get('rateLimit') as { onLimit?: string } | undefined;
  if (rate?.onLimit === 'wait') kinds.push('rateLimit');
  return kinds;
}

const policyId = (method: MethodInfo, kind: PolicyKind, name?: string) => name ?? `${method.id}#${kind}`;

function checkFallbackTarget(input: ComposeInput, options: ResolvedOptionsByKind['fallback']): void {
  const { method } = options;
  if (method === undefined) return;
  const target = (input.home as Record<string, unknown>)[method];
  if (typeof target !== 'function' || method === input.method.methodName) {
    throw new ConfigError([
      {
        key: `${input.method.id}.fallback.method`,
        message:
          method === input.method.methodName
            ? `@Fallback on ${input.method.id}: the fallback method cannot be the method itself`
            : `@Fallback on ${input.method.id}: no method '${method}' on ${input.method.className}`,
      },
    ]);
  }
}

/** The method's own policy, or, when the options give a `name`, the one shared under it. */
function ownOrShared(kind: PolicyKind, method: MethodInfo, options: { name?: string }, create: (id: string) => Policy): Policy {
  const { name } = options;
  if (name === undefined) return create(policyId(method, kind));
  const shared = registry.shared(kind, name, options, method.id, () => create(name));
  shared.attach?.(method);
  return shared;
}

/**
 * A method's options of one kind, effective: the decorator's with configuration applied (SPEC §7),
 * validated, defaults filled in. A problem that only the combination has (say, a configured
 * `baseDelayMs` above the decorator's `maxDelayMs`) names where the configured values came from.
 */
export function effectiveOptions<K extends PolicyKind>(kind: K, input: ComposeInput): ResolvedOptionsByKind[K] {
  const { id } = input.method;
  const raw = input.specs.get(kind);
  const merged = configuration.optionsFor(id, kind, raw);
  if (merged === raw) return resolveOptions(kind, raw as never, id);
  try {
    return resolveOptions(kind, merged as never, id);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const from = configuration.sourcesOf(id, kind).join(', ');
    throw new ConfigError(error.issues.map((i) => ({ key: i.key, message: `${i.message} (with options configured in ${from})` })));
  }
}

/** Creates one policy; shared (named) breakers and limiters come from the registry. */
function createPolicy(kind: PolicyKind, input: ComposeInput, options: never, timeoutMs: number): Policy {
  const { method } = input;
  const id = policyId(method, kind);
  switch (kind) {
    case 'validated':
      return new ValidatedPolicy(id, method, options, undefined, input.paramTypes);
    case 'cache':
      return new CachePolicy(id, method, options);
    case 'fallback':
      checkFallbackTarget(input, options);
      return new FallbackPolicy(id, method, options);
    case 'deadLetter':
      return new DeadLetterPolicy(id, method, options);
    case 'retry':
      return new RetryPolicy(id, method, options, undefined, timeoutMs);
    case 'circuitBreaker':
      return ownOrShared(kind, method, options, (name) => new CircuitBreakerPolicy(name, method, options));
    case 'rateLimit':
      return ownOrShared(kind, method, options, (name) => new RateLimitPolicy(name, method, options));
    case 'timeout':
      return new TimeoutPolicy(id, method, options);
    case 'bulkhead':
      return new BulkheadPolicy(id, method, options);
  }
}

/**
 * Runs every check that does not need the policies themselves: options (with configuration
 * applied), the fallback method, the parameters a `key` names, and whether a shared `name` is
 * already used with other options. Throws a {@link ConfigError} at class definition.
 */
export function checkDefinition(input: ComposeInput): void {
  const { method } = input;
  for (const kind of input.specs.keys()) {
    const options = effectiveOptions(kind, input) as { key?: unknown; name?: string };
    if (kind === 'fallback') checkFallbackTarget(input, options as ResolvedOptionsByKind['fallback']);
    if ((kind === 'cache' || kind === 'rateLimit') && typeof options.key === 'string') compileKey(options.key, method, kind);
    if (kind === 'cache' || kind === 'rateLimit' || kind === 'deadLetter') {
      assertStoreAvailable(kind, method.id, (options as { store?: unknown }).store, false);
    }
    if ((kind === 'circuitBreaker' || kind === 'rateLimit') && options.name !== undefined) {
      registry.checkShared(kind, options.name, options, method.id, input.owner);
    }
  }
}

/** Options objects equal key by key (values compared by identity: functions are the decorator's own). */
function sameOptions(a: object, b: object): boolean {
  const ak = Object.keys(a);
  const bk = Object.keys(b);
  return ak.length === bk.length && ak.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}

/** The policies of a method and, when they replace earlier ones, the in-place changes still to apply. */
export interface PolicyPlan {
  policies: Policy[];
  /** Changes to policies kept from before (a breaker keeps its state), applied by the caller when all is well. */
  reconfigure: (() => void)[];
  /** Whether anything differs from the policies given as `previous`. */
  changed: boolean;
}

/**
 * Creates the policies of a method in SPEC §2's order, outermost first, whatever order they were
 * written in. Given the method's `previous` policies (a configuration reload), a policy whose
 * effective options did not change is kept, one that can take its new options in place (a breaker
 * keeps its state, a limiter its tokens) is kept and reconfigured, and only the rest are made anew.
 * Nothing is changed before every policy has been worked out: a {@link ConfigError} leaves the
 * previous policies as they were.
 */
export function planPolicies(input: ComposeInput, previous: readonly Policy[] = []): PolicyPlan {
  const kinds = POLICY_ORDER.filter((kind) => input.specs.has(kind));
  const options = new Map(kinds.map((kind) => [kind, effectiveOptions(kind, input) as object]));
  const timeout = options.get('timeout') as { ms?: number } | undefined;
  const timeoutMs = typeof timeout?.ms === 'number' ? timeout.ms : 0;
  const plan: PolicyPlan = { policies: [], reconfigure: [], changed: previous.length !== kinds.length };
  for (const kind of kinds) {
    const next = options.get(kind)!;
    const old: Policy | undefined = previous.find((p) => p.kind === kind);
    const boundChanged = old instanceof RetryPolicy && old.attemptBoundMs !== timeoutMs;
    if (old && sameOptions(old.options, next) && !boundChanged) {
      plan.policies.push(old);
      continue;
    }
    plan.changed = true;
    if (old && old.id !== policyId(input.method, kind)) {
      throw new ConfigError([
        {
          key: `${input.method.id}.${kind}`,
          message: `${DECORATOR_NAME[kind]} on ${input.method.id}: the shared policy '${old.id}' cannot change its options while running; restart to apply them`,
        },
      ]);
    }
    const apply = (old as Policy | undefined)?.reconfigure?.(next as never);
    if (old && apply) {
      plan.policies.push(old);
      plan.reconfigure.push(apply);
    } else {
      plan.policies.push(createPolicy(kind, input, next as never, timeoutMs));
    }
  }
  return plan;
}

/** Creates the policies of a method in SPEC §2's order, outermost first, whatever order they were written in. */
export function createPolicies(input: ComposeInput): Policy[] {
  return planPolicies(input).policies;
}

/**
 * Chains the policies around the original method (runtime mode): each policy's `execute` gets the
 * rest of the chain as `next`. For an async method, a synchronous throw anywhere in the chain (a
 * refusal by the breaker, say) becomes a rejected promise, and a synchronous answer (a cache hit, a
 * fallback value) a resolved one, so the caller always gets a promise. Every call is counted in
 * flight (for `shutdown()`), refused while the process drains, and shown to the call observers
 * (metrics, tracing) when there are any.
 */
export function composeChain(method: MethodInfo, policies: readonly Policy[], original: (...args: unknown[]) => unknown): Invoker {
  let next: Next = (call) => original.apply(call.self, call.args);
  for (let i = policies.length - 1; i >= 0; i--) {
    const policy = policies[i]!;
    const below = next;
    if (policy instanceof DeadLetterPolicy) policy.bindNext(method, below);
    next = (call) => policy.execute(call, below);
  }
  const top = next;
  const policyIds = policies.map((p) => p.id);
  const { signalIndex } = method;
  const { lifecycle } = runtime;
  // Without an observer, the settle handlers are the same for every call: made once, not per call.
  const settledValue = (value: unknown) => {
    lifecycle.settled();
    return value;
  };
  const settledError = (error: unknown) => {
    lifecycle.settled();
    throw error;
  };
  return (self, args) => {
    if (lifecycle.draining) {
      const refusal = new ShuttingDownError(method.id);
      if (method.async) return Promise.reject(refusal);
      throw refusal;
    }
    const given = signalIndex >= 0 ? args[signalIndex] : undefined;
    const scope = lifecycle.observer?.start(method, policyIds);
    const call: Call = {
      self,
      args,
      signal: given instanceof AbortSignal ? given : undefined,
      attempts: 1,
      firstFailedAt: undefined,
      fromFallback: false,
      scope,
    };
    lifecycle.inFlight++;
    let result: unknown;
    try {
      result = top(call);
    } catch (error) {
      lifecycle.settled();
      scope?.end(error);
      if (method.async) return Promise.reject(error);
      throw error;
    }
    if (isThenable(result)) {
      // A method not known to be async shows it by returning a promise; from then on it is.
      method.async = true;
      if (scope === undefined) return Promise.resolve(result).then(settledValue, settledError);
      return Promise.resolve(result).then(
        (value) => {
          lifecycle.settled();
          scope?.end();
          return value;
        },
        (error: unknown) => {
          lifecycle.settled();
          scope?.end(error);
          throw error;
        },
      );
    }
    lifecycle.settled();
    scope?.end();
    return method.async ? Promise.resolve(result) : result;
  };
}
