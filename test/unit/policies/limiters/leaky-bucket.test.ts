import { describe, expect, it } from 'vitest';
import { leakyBucket, type LeakyBucketState } from '../../../../src/policies/limiters/leaky-bucket.js';
import { runLimiter as run } from '../../../support/limiters.js';

describe('leakyBucket', () => {
  it('admits burst calls at once while idle (the tolerance)', () => {
    const { results } = run(leakyBucket({ limit: 2, intervalMs: 1000, burst: 3 }), [0, 0, 0, 0]);
    expect(results).toEqual(['ok', 'ok', 'ok', 500]);
  });

  it('spaces calls by the emission interval once the tolerance is spent', () => {
    const { results } = run(leakyBucket({ limit: 4, intervalMs: 1000, burst: 1 }), [0, 100, 250, 499, 500]);
    expect(results).toEqual(['ok', 150, 'ok', 1, 'ok']);
  });

  it('keeps its state as one theoretical arrival time', () => {
    const { state } = run(leakyBucket({ limit: 4, intervalMs: 1000, burst: 2 }), [0, 0]);
    expect(state).toEqual({ tat: 500, frac: 0 });
  });

  it('keeps a fractional emission interval exact', () => {
    const bucket = leakyBucket({ limit: 3, intervalMs: 1000, burst: 3 });
    const { results, state } = run(bucket, [0, 0, 0, 0]);
    expect(state).toEqual({ tat: 1000, frac: 0 });
    expect(results).toEqual(['ok', 'ok', 'ok', 334]);
    expect(bucket.take(state, 333).admitted).toBe(false);
    expect(bucket.take(state, 334).admitted).toBe(true);
  });

  it('drains while idle, so a long pause admits a full burst again', () => {
    const { results } = run(leakyBucket({ limit: 1, intervalMs: 100, burst: 2 }), [0, 0, 1_000_000, 1_000_000, 1_000_000]);
    expect(results).toEqual(['ok', 'ok', 'ok', 'ok', 100]);
  });

  it('does not mutate the state it is given', () => {
    const bucket = leakyBucket({ limit: 1, intervalMs: 100, burst: 1 });
    const state: LeakyBucketState = Object.freeze({ tat: 50, frac: 0 });
    bucket.take(state, 0);
    expect(state).toEqual({ tat: 50, frac: 0 });
  });
});
