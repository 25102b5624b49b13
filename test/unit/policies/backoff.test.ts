import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baseDelay, nextDelay, type BackoffParams } from '../../../src/policies/backoff.js';

const params = (over: Partial<BackoffParams> = {}): BackoffParams => ({
  backoff: 'exponential',
  baseDelayMs: 100,
  maxDelayMs: 30_000,
  multiplier: 2,
  jitter: 'none',
  ...over,
});

describe('baseDelay', () => {
  it('grows exponentially by the multiplier', () => {
    expect([1, 2, 3, 4].map((n) => baseDelay(params({ multiplier: 3 }), n))).toEqual([100, 300, 900, 2700]);
  });
  it('grows linearly', () => {
    expect([1, 2, 3].map((n) => baseDelay(params({ backoff: 'linear' }), n))).toEqual([100, 200, 300]);
  });
  it('stays fixed', () => {
    expect([1, 2, 3].map((n) => baseDelay(params({ backoff: 'fixed' }), n))).toEqual([100, 100, 100]);
  });
  it('follows the fibonacci sequence', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => baseDelay(params({ backoff: 'fibonacci' }), n))).toEqual([100, 100, 200, 300, 500, 800]);
  });
  it('is capped at maxDelayMs', () => {
    expect(baseDelay(params({ maxDelayMs: 250 }), 10)).toBe(250);
  });
});

const backoffs = fc.constantFrom('exponential', 'linear', 'fixed', 'fibonacci') as fc.Arbitrary<BackoffParams['backoff']>;
const arbParams = fc.record({
  backoff: backoffs,
  baseDelayMs: fc.integer({ min: 0, max: 10_000 }),
  maxDelayMs: fc.integer({ min: 10_000, max: 100_000 }),
  multiplier: fc.double({ min: 1, max: 5, noNaN: true }),
  jitter: fc.constantFrom('full', 'equal', 'none') as fc.Arbitrary<BackoffParams['jitter']>,
});

describe('nextDelay (property)', () => {
  it('stays within each jitter bounds', () => {
    fc.assert(
      fc.property(arbParams, fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (p, retry, r) => {
        const d = baseDelay(p, retry);
        const delay = nextDelay(p, retry, 0, () => r);
        if (p.jitter === 'none') expect(delay).toBe(d);
        if (p.jitter === 'full') expect(delay >= 0 && delay <= d).toBe(true);
        if (p.jitter === 'equal') expect(delay >= d / 2 && delay <= d).toBe(true);
        expect(delay).toBeLessThanOrEqual(p.maxDelayMs);
      }),
      { numRuns: 5000 },
    );
  });

  it('decorrelated draws from [base, previous × 3], capped', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 50_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (base, previous, r) => {
          const p = params({ backoff: 'decorrelated', baseDelayMs: base, maxDelayMs: 20_000 });
          const delay = nextDelay(p, 2, previous, () => r);
          expect(delay).toBeGreaterThanOrEqual(Math.min(base, 20_000));
          expect(delay).toBeLessThanOrEqual(Math.min(20_000, Math.max(base, (previous || base) * 3)));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
