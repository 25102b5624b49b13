import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rateReason } from '../../../../src/policies/breakers/breaker.js';
import { CountWindowBreaker } from '../../../../src/policies/breakers/count-window.js';

const fail = { failed: true, slow: false };
const ok = { failed: false, slow: false };
const slow = { failed: false, slow: true };

const window = (windowSize: number, over: Partial<{ minimumCalls: number; failureRateThreshold: number; slowCallRateThreshold: number }> = {}) =>
  new CountWindowBreaker({ windowSize, minimumCalls: 1, failureRateThreshold: 50, slowCallRateThreshold: 100, ...over });

describe('CountWindowBreaker', () => {
  it('does not open before minimumCalls outcomes are recorded', () => {
    const b = window(10, { minimumCalls: 4 });
    expect([b.record(fail), b.record(fail), b.record(fail)]).toEqual([undefined, undefined, undefined]);
  });

  it('opens once minimumCalls are recorded and the failure rate meets the threshold', () => {
    const b = window(10, { minimumCalls: 4 });
    b.record(ok);
    b.record(ok);
    b.record(fail);
    expect(b.record(fail)).toBe('failure-rate');
  });

  it('stays closed while the failure rate is below the threshold', () => {
    const b = window(10, { minimumCalls: 4, failureRateThreshold: 75 });
    for (const o of [ok, fail, fail]) b.record(o);
    expect(b.record(ok)).toBeUndefined();
  });

  it('keeps only the last windowSize outcomes', () => {
    const b = window(3, { failureRateThreshold: 100 });
    b.record(ok);
    b.record(fail);
    b.record(fail);
    expect(b.snapshot()).toEqual({ calls: 3, failures: 2, slowCalls: 0 });
    expect(b.record(fail)).toBe('failure-rate');
  });

  it('caps minimumCalls at windowSize so that a small window can still open', () => {
    const b = window(2, { minimumCalls: 10 });
    b.record(fail);
    expect(b.record(fail)).toBe('failure-rate');
  });

  it('opens on the slow-call rate', () => {
    const b = window(4, { minimumCalls: 4, slowCallRateThreshold: 50 });
    for (const o of [ok, ok, slow]) b.record(o);
    expect(b.record(slow)).toBe('slow-call-rate');
  });

  it('prefers failure-rate when both rates are met', () => {
    const b = window(2, { minimumCalls: 2, slowCallRateThreshold: 50 });
    b.record({ failed: true, slow: true });
    expect(b.record({ failed: true, slow: true })).toBe('failure-rate');
  });

  it('forgets everything on reset', () => {
    const b = window(3);
    b.record(fail);
    b.reset();
    expect(b.snapshot()).toEqual({ calls: 0, failures: 0, slowCalls: 0 });
  });

  it('agrees with a recount of the last windowSize outcomes (property)', () => {
    const outcome = fc.record({ failed: fc.boolean(), slow: fc.boolean() });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 10 }),
        fc.constantFrom(10, 33.33, 50, 100),
        fc.array(outcome, { maxLength: 40 }),
        (size, minimumCalls, threshold, outcomes) => {
          const thresholds = { minimumCalls, failureRateThreshold: threshold, slowCallRateThreshold: threshold };
          const b = new CountWindowBreaker({ windowSize: size, ...thresholds });
          outcomes.forEach((o, i) => {
            const last = outcomes.slice(Math.max(0, i + 1 - size), i + 1);
            const expected = {
              calls: last.length,
              failures: last.filter((x) => x.failed).length,
              slowCalls: last.filter((x) => x.slow).length,
            };
            const reason = b.record(o);
            expect(b.snapshot()).toEqual(expected);
            expect(reason).toBe(rateReason(expected, { ...thresholds, minimumCalls: Math.min(minimumCalls, size) }));
          });
        },
      ),
    );
  });
});

describe('rateReason', () => {
  it('meets a fractional threshold exactly (1 of 3 calls at 33.33 %)', () => {
    const t = { minimumCalls: 1, failureRateThreshold: 33.33, slowCallRateThreshold: 100 };
    expect(rateReason({ calls: 3, failures: 1, slowCalls: 0 }, t)).toBe('failure-rate');
  });

  it('never opens on an empty window', () => {
    const t = { minimumCalls: 0, failureRateThreshold: 1, slowCallRateThreshold: 1 };
    expect(rateReason({ calls: 0, failures: 0, slowCalls: 0 }, t)).toBeUndefined();
  });
});
