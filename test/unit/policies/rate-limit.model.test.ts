import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/clock.js';
import { resolveOptions } from '../../../src/config/validate-options.js';
import { isRateLimitedError } from '../../../src/errors.js';
import type { RateLimitAlgorithm } from '../../../src/options.js';
import { createLimiter, type LimiterParams } from '../../../src/policies/limiters/limiter.js';
import { tokenBucket } from '../../../src/policies/limiters/token-bucket.js';
import { RateLimitPolicy } from '../../../src/policies/rate-limit.js';
import type { Call } from '../../../src/policies/policy.js';
import { methodInfo, testEnv } from '../../support/env.js';

const ALGORITHMS: RateLimitAlgorithm[] = ['token-bucket', 'sliding-window', 'fixed-window', 'leaky-bucket'];
const BUCKETS = new Set<RateLimitAlgorithm>(['token-bucket', 'leaky-bucket']);

const paramsArb = fc.record({
  limit: fc.integer({ min: 1, max: 8 }),
  intervalMs: fc.integer({ min: 1, max: 1500 }),
  burst: fc.integer({ min: 1, max: 12 }),
});
/** Clock steps: mostly small (bursts of calls), sometimes long (refill, window changes). */
const advanceArb = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3000 }));
/** Epoch-sized start times, so that window alignment and large clock values are exercised. */
const startArb = fc.integer({ min: 0, max: 2_000_000_000_000 });

/**
 * The most calls an algorithm may admit in any half-open window `[t, t + T)`, derived in the
 * README: buckets refill `T × limit / intervalMs` tokens over the window on top of a full bucket,
 * but the last call must come strictly before `t + T`; the sliding log holds `limit` per
 * `intervalMs`; fixed windows hold `limit` per aligned window, and `[t, t + T)` meets at most
 * `ceil(T / intervalMs) + 1` of them.
 */
function maxAdmitted(algorithm: RateLimitAlgorithm, p: LimiterParams, T: number): number {
  switch (algorithm) {
    case 'token-bucket':
    case 'leaky-bucket':
      return p.burst + Math.ceil((T * p.limit) / p.intervalMs) - 1;
    case 'sliding-window':
      return p.limit * Math.ceil(T / p.intervalMs);
    case 'fixed-window':
      return p.limit * (Math.ceil(T / p.intervalMs) + 1);
  }
}

/** The largest number of `times` (sorted) inside any window `[t, t + T)`. */
function busiestWindow(times: readonly number[], T: number): number {
  let best = 0;
  let end = 0;
  for (let start = 0; start < times.length; start++) {
    while (end < times.length && times[end]! < times[start]! + T) end++;
    best = Math.max(best, end - start);
  }
  return best;
}

/** Runs `advances` through the algorithm's pure `take`, one take per step; yields every step. */
function* replay(algorithm: RateLimitAlgorithm, p: LimiterParams, start: number, advances: number[]) {
  const limiter = createLimiter(algorithm, p);
  let now = start;
  let state = limiter.initial(now);
  for (const advance of advances) {
    now += advance;
    const before = state;
    const step = limiter.take(before, now);
    state = step.state;
    yield { limiter, before, now, step };
  }
}

describe.each(ALGORITHMS)('%s (model)', (algorithm) => {
  it('admits no more than its bound in any window, through the policy, per key', () => {
    const env = testEnv();
    fc.assert(
      fc.property(
        paramsArb,
        startArb,
        fc.array(fc.tuple(advanceArb, fc.constantFrom('a', 'b')), { maxLength: 200 }),
        fc.integer({ min: 1, max: 4000 }),
        (p, start, steps, T) => {
          let now = start;
          const clock: Clock = { now: () => now, setTimeout: () => undefined, clearTimeout: () => undefined };
          const options = resolveOptions('rateLimit', { ...p, algorithm, key: 'user' }, 'Svc.call');
          const policy = new RateLimitPolicy('Svc.call#rateLimit', methodInfo({ paramNames: ['user'] }), options, { ...env, clock });
          const admitted: Record<string, number[]> = { a: [], b: [] };
          for (const [advance, user] of steps) {
            now += advance;
            const call: Call = { self: undefined, args: [user], signal: undefined, attempts: 1, firstFailedAt: undefined, fromFallback: false, scope: undefined };
            try {
              policy.execute(call, () => undefined);
              admitted[user]!.push(now);
            } catch (error) {
              if (!isRateLimitedError(error)) throw error;
            }
          }
          for (const times of Object.values(admitted)) {
            expect(busiestWindow(times, p.intervalMs)).toBeLessThanOrEqual(maxAdmitted(algorithm, p, p.intervalMs));
            expect(busiestWindow(times, T)).toBeLessThanOrEqual(maxAdmitted(algorithm, p, T));
          }
        },
      ),
    );
  });

  it('answers with an exact retryAfterMs: admitted then, not a millisecond before', () => {
    fc.assert(
      fc.property(paramsArb, startArb, fc.array(advanceArb, { maxLength: 200 }), (p, start, advances) => {
        for (const { limiter, before, now, step } of replay(algorithm, p, start, advances)) {
          if (step.admitted) {
            expect(step.retryAfterMs).toBe(0);
            continue;
          }
          expect(step.retryAfterMs).toBeGreaterThanOrEqual(1);
          expect(limiter.take(before, now + step.retryAfterMs).admitted).toBe(true);
          expect(limiter.take(before, now + step.retryAfterMs - 1).admitted).toBe(false);
        }
      }),
    );
  });

  it('admits a full burst again after idling long enough to recover', () => {
    fc.assert(
      fc.property(paramsArb, startArb, fc.array(advanceArb, { maxLength: 100 }), (p, start, advances) => {
        let last: { limiter: ReturnType<typeof createLimiter>; state: object; now: number } | undefined;
        for (const { limiter, now, step } of replay(algorithm, p, start, advances)) last = { limiter, state: step.state, now };
        if (!last) return;
        const capacity = BUCKETS.has(algorithm) ? p.burst : p.limit;
        const recoveryMs = BUCKETS.has(algorithm) ? Math.ceil((p.burst * p.intervalMs) / p.limit) : p.intervalMs;
        let { state } = last;
        const now = last.now + recoveryMs;
        for (let i = 0; i < capacity; i++) {
          const step = last.limiter.take(state, now);
          expect(step.admitted).toBe(true);
          state = step.state;
        }
      }),
    );
  });
});

describe('reference models', () => {
  it('sliding-window admits exactly when fewer than limit calls were admitted in (now - intervalMs, now]', () => {
    fc.assert(
      fc.property(paramsArb, startArb, fc.array(advanceArb, { maxLength: 200 }), (p, start, advances) => {
        const log: number[] = [];
        for (const { now, step } of replay('sliding-window', p, start, advances)) {
          const recent = log.filter((t) => t > now - p.intervalMs).length;
          expect(step.admitted).toBe(recent < p.limit);
          if (step.admitted) log.push(now);
        }
      }),
    );
  });

  it('fixed-window admits exactly when its aligned window admitted fewer than limit calls', () => {
    fc.assert(
      fc.property(paramsArb, startArb, fc.array(advanceArb, { maxLength: 200 }), (p, start, advances) => {
        const perWindow = new Map<number, number>();
        for (const { now, step } of replay('fixed-window', p, start, advances)) {
          const window = Math.floor(now / p.intervalMs);
          const count = perWindow.get(window) ?? 0;
          expect(step.admitted).toBe(count < p.limit);
          if (step.admitted) perWindow.set(window, count + 1);
        }
      }),
    );
  });

  it('leaky-bucket (GCRA) gives the same answers as token-bucket', () => {
    fc.assert(
      fc.property(paramsArb, startArb, fc.array(advanceArb, { maxLength: 200 }), (p, start, advances) => {
        const tokens = [...replay('token-bucket', p, start, advances)].map(({ step }) => step.retryAfterMs);
        const gcra = [...replay('leaky-bucket', p, start, advances)].map(({ step }) => step.retryAfterMs);
        expect(gcra).toEqual(tokens);
      }),
    );
  });

  it('token-bucket holds between 0 and burst tokens', () => {
    fc.assert(
      fc.property(paramsArb, startArb, fc.array(advanceArb, { maxLength: 200 }), (p, start, advances) => {
        const bucket = tokenBucket(p);
        let now = start;
        let state = bucket.initial(now);
        for (const advance of advances) {
          now += advance;
          state = bucket.take(state, now).state;
          expect(state.credits).toBeGreaterThanOrEqual(0);
          expect(state.credits).toBeLessThanOrEqual(p.burst * p.intervalMs);
        }
      }),
    );
  });
});
