import type { RateLimitAlgorithm } from '../../options.js';
import { fixedWindow } from './fixed-window.js';
import { leakyBucket } from './leaky-bucket.js';
import { slidingWindow } from './sliding-window.js';
import { tokenBucket } from './token-bucket.js';

/**
 * What every algorithm is parameterised by, as validated by `resolveOptions` (whole numbers,
 * each at least 1). Results are exact for whole-millisecond clocks because every algorithm keeps
 * its arithmetic in integers.
 */
export interface LimiterParams {
  /** Calls admitted per {@link LimiterParams.intervalMs}. */
  readonly limit: number;
  /** Length of the rate interval, ms. */
  readonly intervalMs: number;
  /** Largest burst: the bucket capacity of token- and leaky-bucket; the window algorithms ignore it. */
  readonly burst: number;
}

/** The answer to one attempt to take a slot. */
export interface TakeResult {
  admitted: boolean;
  /**
   * 0 when admitted; otherwise the wait until the earliest time a call would be admitted if
   * nothing else happened, ms, rounded up to the clock's whole millisecond: a take at
   * `now + retryAfterMs` succeeds and, on a whole-millisecond clock, one at `now + retryAfterMs - 1` does not.
   */
  retryAfterMs: number;
}

/** A {@link TakeResult} plus the state to store for the key. */
export interface LimiterStep<S> extends TakeResult {
  state: S;
}

/**
 * A rate-limiting algorithm as a pure function over a small, plain, JSON-serialisable state.
 * Pure, so that a store can apply it as one atomic step: a memory store under one synchronous
 * call, a Redis store as one Lua script over the same state. `take` never mutates its argument.
 */
export interface LimiterAlgorithm<S> {
  readonly name: RateLimitAlgorithm;
  readonly params: LimiterParams;
  /** The state of a key never seen before (or evicted): room for a full burst. */
  initial(now: number): S;
  /** Tries to take one slot at clock time `now`, ms; refills are computed lazily from `now`. */
  take(state: S, now: number): LimiterStep<S>;
}

/** Builds the algorithm called `name`; see {@link RateLimitAlgorithm}. */
export function createLimiter(name: RateLimitAlgorithm, params: LimiterParams): LimiterAlgorithm<object> {
  switch (name) {
    case 'token-bucket':
      return tokenBucket(params);
    case 'sliding-window':
      return slidingWindow(params);
    case 'fixed-window':
      return fixedWindow(params);
    case 'leaky-bucket':
      return leakyBucket(params);
    default:
      return assertNever(name);
  }
}

function assertNever(value: never): never {
  throw new TypeError(`resil: unknown rate-limit algorithm ${JSON.stringify(value)}`);
}

/** A refusal: the state is returned as computed so that a store may keep the refill it did. */
export const refuse = <S>(state: S, retryAfterMs: number): LimiterStep<S> => ({
  state,
  admitted: false,
  retryAfterMs,
});

/** An admission. */
export const admit = <S>(state: S): LimiterStep<S> => ({ state, admitted: true, retryAfterMs: 0 });
