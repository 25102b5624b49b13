import type { BulkheadState } from '../policies/bulkhead.js';
import type { CacheState, CacheStats } from '../policies/cache.js';
import type { DeadLetterState, DeadLetterStats } from '../policies/dead-letter.js';
import type { PolicyHandle, PolicyStats } from '../policies/policy.js';
import type { DeadLetterEntry } from '../stores/dead-letter-store.js';

export type { CircuitBreakerHandle, CircuitBreakerState, CircuitBreakerStats } from '../policies/circuit-breaker.js';
export type { RateLimitState, RateLimitStats } from '../policies/rate-limit.js';
export type { RetryState, RetryStats } from '../policies/retry.js';
export type { TimeoutState, TimeoutStats } from '../policies/timeout.js';
export type { BulkheadState, CacheState, CacheStats, DeadLetterEntry, DeadLetterState, DeadLetterStats };

/** The handle of a `@Cached` policy: `registry.get('Class.method#cache') as CacheHandle`. */
export type CacheHandle = PolicyHandle<CacheState, CacheStats> & {
  /** Drops the entry the given arguments map to; true if there was one. */
  invalidate(...args: unknown[]): boolean;
  /** Drops every entry. */
  clear(): void;
};

/** The handle of a `@Bulkhead` policy. */
export type BulkheadHandle = PolicyHandle<BulkheadState, PolicyStats>;

/** The handle of a `@DeadLetter` policy. */
export type DeadLetterHandle = PolicyHandle<DeadLetterState, DeadLetterStats> & {
  /** Stored entries, oldest first. */
  list(): Promise<DeadLetterEntry[]>;
  /** Calls the method again on `instance` with the stored arguments; on success the entry goes. */
  replay(id: string, instance: object): Promise<unknown>;
  /** Removes every entry; resolves to how many there were. */
  purge(): Promise<number>;
};
