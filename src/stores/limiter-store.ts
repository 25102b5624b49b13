import type { TakeResult } from '../policies/limiters/limiter.js';

/**
 * Where rate-limiter state lives: one state per key, each take applied atomically. A store is built
 * for one `LimiterAlgorithm` and applies its `take` to a key's state as one indivisible step (in
 * memory, one synchronous call; in Redis, one Lua script), so concurrent callers never both take
 * the last slot.
 */
export interface LimiterStore {
  /**
   * Takes a slot for `key` at clock time `now`, ms. A store with its own time source (Redis) may
   * use that instead of `now`. Synchronous stores return the result directly, which keeps
   * `onLimit: 'reject'` synchronous on sync methods.
   */
  take(key: string, now: number): TakeResult | Promise<TakeResult>;
  /** Keys holding state, or undefined when the store cannot count them cheaply. */
  size(): number | undefined;
  /** Forgets every key: each starts with room for a full burst. */
  clear(): void | Promise<void>;
}
