import { admit, refuse, type LimiterAlgorithm, type LimiterParams } from './limiter.js';

/**
 * State of a {@link tokenBucket}: the tokens left when last refilled, and when that was.
 *
 * Tokens are counted in credits, `intervalMs` credits to a token, and refill at `limit` credits
 * per ms. In these units every quantity is a whole number on a whole-millisecond clock, so refill
 * never drifts and `retryAfterMs` is exact, where a fractional token count (`limit / intervalMs`
 * per ms) would leave the boundary a rounding error away.
 */
export interface TokenBucketState {
  /** Tokens × `intervalMs`; at most `burst × intervalMs`. */
  credits: number;
  /** Clock time of the last refill, ms. */
  at: number;
}

/**
 * Token bucket: holds up to `burst` tokens, refilled continuously at `limit` per `intervalMs`;
 * each call takes one. A full bucket admits `burst` calls at once, then one every
 * `intervalMs / limit` ms. In any window of `T` ms it admits at most
 * `burst + ceil(T × limit / intervalMs) − 1` calls. Admits exactly what `leakyBucket` admits.
 */
export function tokenBucket(params: LimiterParams): LimiterAlgorithm<TokenBucketState> {
  const { limit, intervalMs, burst } = params;
  const capacity = burst * intervalMs;
  return {
    name: 'token-bucket',
    params,
    initial: (now) => ({ credits: capacity, at: now }),
    take(state, now) {
      // Refill lazily; a clock that stepped back refills nothing until it passes `at` again.
      const at = Math.max(state.at, now);
      const credits = Math.min(capacity, state.credits + (at - state.at) * limit);
      if (credits >= intervalMs) return admit({ credits: credits - intervalMs, at });
      return refuse({ credits, at }, at - now + Math.ceil((intervalMs - credits) / limit));
    },
  };
}
