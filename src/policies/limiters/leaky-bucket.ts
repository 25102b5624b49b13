import { admit, refuse, type LimiterAlgorithm, type LimiterParams } from './limiter.js';

/**
 * State of a {@link leakyBucket}: one theoretical arrival time (TAT), `tat + frac / limit` ms.
 *
 * The TAT advances by `intervalMs / limit` per admitted call, which is rarely a whole number. It is
 * kept as whole ms plus a remainder in `1 / limit` ms so the arithmetic stays in integers: a float
 * TAT would drift by rounding and put `retryAfterMs` a millisecond off at exact boundaries.
 */
export interface LeakyBucketState {
  /** Whole-millisecond part of the theoretical arrival time (clock time, ms). */
  tat: number;
  /** Remainder, in units of `1 / limit` ms; an integer in `[0, limit)`. */
  frac: number;
}

/**
 * Leaky bucket as a meter (GCRA). Calls are spaced by the emission interval `E = intervalMs / limit`
 * with a tolerance `τ = (burst − 1) × E`: a call at `now` is admitted when `TAT − now ≤ τ`, and then
 * `TAT = max(TAT, now) + E`. So an idle limiter admits `burst` calls at once, then one every `E` ms,
 * and in any window of `T` ms at most `burst + ceil(T × limit / intervalMs) − 1` calls: the same
 * calls a `tokenBucket` of capacity `burst` admits, keeping one time (the TAT) instead of a token
 * count and the time it was counted.
 */
export function leakyBucket(params: LimiterParams): LimiterAlgorithm<LeakyBucketState> {
  const { limit, intervalMs, burst } = params;
  // τ × limit: every comparison below is scaled by `limit` to stay in integers.
  const tolerance = (burst - 1) * intervalMs;
  return {
    name: 'leaky-bucket',
    params,
    initial: (now) => ({ tat: now, frac: 0 }),
    take(state, now) {
      let { tat, frac } = state;
      // A TAT in the past means the bucket has drained: restart it from now.
      if ((tat - now) * limit + frac <= 0) {
        tat = now;
        frac = 0;
      }
      const excess = (tat - now) * limit + frac - tolerance;
      if (excess > 0) return refuse(state, Math.ceil(excess / limit));
      frac += intervalMs;
      return admit({ tat: tat + Math.floor(frac / limit), frac: frac % limit });
    },
  };
}
