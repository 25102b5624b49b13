import type { CallScope } from '../lifecycle.js';
import type { PolicyKind } from './kinds.js';

/** What a policy knows of the method it guards; fixed at class definition. */
export interface MethodInfo {
  /** `Class.method`. */
  readonly id: string;
  readonly className: string;
  readonly methodName: string;
  /** Parameter names as declared, for `key: 'req.tenant.id'`; empty where they cannot be read. */
  readonly paramNames: readonly string[];
  /** Index of the method's `AbortSignal` parameter, or -1. */
  signalIndex: number;
  /** Whether the method returns a promise; learned at the first call when it cannot be known earlier. */
  async: boolean;
}

/**
 * One call travelling down the composed chain (runtime mode). Policies may replace `args` with a
 * copy (a timeout passes its own signal) but never mutate the caller's array.
 */
export interface Call {
  readonly self: unknown;
  args: unknown[];
  /** The caller's signal (or one that follows it), when the method takes one. */
  signal: AbortSignal | undefined;
  /** Attempts made so far by `@Retry` (1 without it); read by `@DeadLetter`. */
  attempts: number;
  /** Clock time of the first failed attempt, for dead letters. */
  firstFailedAt: number | undefined;
  /** Set when `@Fallback` produced the result, so `@Cached` does not keep it. */
  fromFallback: boolean;
  /** The observers' view of this call (a span, a latency sample), when anyone observes calls. */
  scope: CallScope | undefined;
  /**
   * Set by a policy while the call waits inside it (a bulkhead queue); a `@Timeout` above calls it
   * when the attempt's deadline passes, so the abandoned call stops waiting.
   */
  abandon?: ((reason: unknown) => void) | undefined;
}

/** The rest of the chain below a policy: returns the method's result, a value or a promise. */
export type Next = (call: Call) => unknown;

/** Counters every policy keeps. */
export interface PolicyStats {
  calls: number;
  successes: number;
  failures: number;
  /** Calls the policy refused (open circuit, rate limit, full bulkhead, invalid input). */
  rejections: number;
}

/** What the registry hands out for a policy: identity, options, live state and counters. */
export interface PolicyHandle<State = unknown, Stats extends PolicyStats = PolicyStats> {
  /** `Class.method#kind`, or the policy's `name`. */
  readonly id: string;
  readonly kind: PolicyKind;
  /** Ids of the methods the policy guards (more than one for a shared, named policy). */
  readonly methods: readonly string[];
  /** Effective options after defaults. */
  readonly options: object;
  state(): State;
  stats(): Stats;
}

/** A runtime policy: a handle plus the step it adds to a call. */
export interface Policy<State = unknown, Stats extends PolicyStats = PolicyStats> extends PolicyHandle<State, Stats> {
  /** Runs `next` under the policy. Sync-capable policies return synchronously when `next` does. */
  execute(call: Call, next: Next): unknown;
  /** Called when a shared (named) policy gains another method. */
  attach?(method: MethodInfo): void;
  /**
   * Whether the policy can take new options (a configuration reload) and keep its state: returns
   * what applies them, or undefined when it must be made anew. Changes nothing itself.
   */
  reconfigure?(options: never): (() => void) | undefined;
  /** Releases what the policy holds between calls (an idle timer); `shutdown()` calls it. */
  close?(): void;
}

/** Fresh zeroed counters. */
export const newStats = (): PolicyStats => ({ calls: 0, successes: 0, failures: 0, rejections: 0 });

/** True for promises and other thenables. */
export const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  value !== null &&
  (typeof value === 'object' || typeof value === 'function') &&
  typeof (value as { then?: unknown }).then === 'function';
