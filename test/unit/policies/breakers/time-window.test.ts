import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimeWindowBreaker } from '../../../../src/policies/breakers/time-window.js';

const fail = { failed: true, slow: false };
const ok = { failed: false, slow: false };
const slow = { failed: false, slow: true };

const window = (windowMs: number, over: Partial<{ minimumCalls: number; failureRateThreshold: number; slowCallRateThreshold: number }> = {}) =>
  new TimeWindowBreaker({ windowMs, minimumCalls: 1, failureRateThreshold: 50, slowCallRateThreshold: 100, ...over });

describe('TimeWindowBreaker', () => {
  it('does not open before minimumCalls outcomes are in the window', () => {
    const b = window(1000, { minimumCalls: 3 });
    expect(b.record(fail, 0)).toBeUndefined();
    expect(b.record(fail, 10)).toBeUndefined();
  });

  it('opens when the failure rate in the window meets the threshold', () => {
    const b = window(1000, { minimumCalls: 4 });
    b.record(ok, 0);
    b.record(ok, 100);
    b.record(fail, 200);
    expect(b.record(fail, 300)).toBe('failure-rate');
  });

  it('opens on the slow-call rate', () => {
    const b = window(1000, { minimumCalls: 2, slowCallRateThreshold: 50 });
    b.record(ok, 0);
    expect(b.record(slow, 1)).toBe('slow-call-rate');
  });

  it('drops outcomes once a whole window has passed', () => {
    const b = window(1000);
    b.record(fail, 0);
    b.record(fail, 50);
    expect(b.snapshot(999).calls).toBe(2);
    expect(b.snapshot(1000)).toEqual({ calls: 0, failures: 0, slowCalls: 0 });
  });

  it('evicts bucket by bucket (each windowMs / 10 wide)', () => {
    const b = window(1000);
    b.record(fail, 0);
    b.record(ok, 150);
    expect(b.snapshot(1099)).toEqual({ calls: 1, failures: 0, slowCalls: 0 });
  });

  it('does not count old failures against a later burst of successes', () => {
    const b = window(1000, { minimumCalls: 2 });
    b.record(fail, 0);
    b.record(ok, 5000);
    expect(b.record(ok, 5001)).toBeUndefined();
    expect(b.snapshot(5001)).toEqual({ calls: 2, failures: 0, slowCalls: 0 });
  });

  it('forgets everything on reset', () => {
    const b = window(1000);
    b.record(fail, 0);
    b.reset();
    expect(b.snapshot(1)).toEqual({ calls: 0, failures: 0, slowCalls: 0 });
  });

  it('empties buckets stamped in the future when the clock goes back', () => {
    const b = window(1000);
    b.record(fail, 10_000);
    expect(b.snapshot(5_000).calls).toBe(0);
  });

  it('counts every call of the last 0.9 window and none older than a window (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 5000 }),
        fc.array(fc.integer({ min: 0, max: 2000 }), { maxLength: 30 }),
        fc.integer({ min: 0, max: 6000 }),
        (windowMs, gaps, extra) => {
          const b = window(windowMs);
          const times: number[] = [];
          let t = 0;
          for (const gap of gaps) {
            t += gap;
            times.push(t);
            b.record(ok, t);
          }
          const now = t + extra;
          const counted = b.snapshot(now).calls;
          const surelyIn = times.filter((x) => now - x < windowMs * 0.9).length;
          const possiblyIn = times.filter((x) => now - x < windowMs).length;
          expect(counted).toBeGreaterThanOrEqual(surelyIn);
          expect(counted).toBeLessThanOrEqual(possiblyIn);
        },
      ),
    );
  });
});
