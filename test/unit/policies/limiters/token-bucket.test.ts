import { describe, expect, it } from 'vitest';
import { tokenBucket, type TokenBucketState } from '../../../../src/policies/limiters/token-bucket.js';
import { runLimiter as run } from '../../../support/limiters.js';

describe('tokenBucket', () => {
  it('admits burst calls at once from a new key', () => {
    const { results } = run(tokenBucket({ limit: 2, intervalMs: 1000, burst: 3 }), [0, 0, 0]);
    expect(results).toEqual(['ok', 'ok', 'ok']);
  });

  it('refuses the call after the burst, retrying when one token has refilled', () => {
    const { results } = run(tokenBucket({ limit: 2, intervalMs: 1000, burst: 2 }), [0, 0, 0]);
    expect(results).toEqual(['ok', 'ok', 500]);
  });

  it('counts a partial refill in retryAfterMs', () => {
    const { results } = run(tokenBucket({ limit: 2, intervalMs: 1000, burst: 1 }), [0, 200]);
    expect(results).toEqual(['ok', 300]);
  });

  it('rounds a fractional wait up to the first whole millisecond that admits', () => {
    const bucket = tokenBucket({ limit: 3, intervalMs: 1000, burst: 1 });
    const { results, state } = run(bucket, [0, 0]);
    expect(results).toEqual(['ok', 334]);
    expect(bucket.take(state, 333).admitted).toBe(false);
    expect(bucket.take(state, 334).admitted).toBe(true);
  });

  it('refills continuously at limit per interval', () => {
    const { results } = run(tokenBucket({ limit: 4, intervalMs: 1000, burst: 4 }), [0, 0, 0, 0, 250, 500, 500]);
    expect(results).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 250]);
  });

  it('never holds more than burst tokens, however long it idles', () => {
    const { results } = run(tokenBucket({ limit: 1, intervalMs: 100, burst: 2 }), [0, 1_000_000, 1_000_000, 1_000_000]);
    expect(results).toEqual(['ok', 'ok', 'ok', 100]);
  });

  it('does not refill while the clock steps back, and says how long until it does', () => {
    const bucket = tokenBucket({ limit: 1, intervalMs: 100, burst: 1 });
    const { state } = run(bucket, [1000]);
    expect(bucket.take(state, 950)).toMatchObject({ admitted: false, retryAfterMs: 150 });
  });

  it('does not mutate the state it is given', () => {
    const bucket = tokenBucket({ limit: 1, intervalMs: 100, burst: 1 });
    const state: TokenBucketState = Object.freeze(bucket.initial(0));
    bucket.take(state, 0);
    expect(state).toEqual({ credits: 100, at: 0 });
  });
});
