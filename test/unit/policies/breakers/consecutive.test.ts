import { describe, expect, it } from 'vitest';
import { ConsecutiveBreaker } from '../../../../src/policies/breakers/consecutive.js';

const fail = { failed: true, slow: false };
const ok = { failed: false, slow: false };
const slow = { failed: false, slow: true };
const slowFail = { failed: true, slow: true };

describe('ConsecutiveBreaker', () => {
  it('opens on the failureThreshold-th failure in a row', () => {
    const b = new ConsecutiveBreaker(3);
    expect(b.record(fail)).toBeUndefined();
    expect(b.record(fail)).toBeUndefined();
    expect(b.record(fail)).toBe('failures');
  });

  it('opens on the first failure with a threshold of 1', () => {
    expect(new ConsecutiveBreaker(1).record(fail)).toBe('failures');
  });

  it('restarts the streak after a fast success', () => {
    const b = new ConsecutiveBreaker(2);
    b.record(fail);
    b.record(ok);
    expect(b.record(fail)).toBeUndefined();
  });

  it('counts a slow success as part of the streak', () => {
    const b = new ConsecutiveBreaker(3);
    b.record(fail);
    b.record(slow);
    expect(b.record(fail)).toBe('failures');
  });

  it('counts a slow failure once', () => {
    const b = new ConsecutiveBreaker(2);
    b.record(slowFail);
    expect(b.snapshot()).toEqual({ calls: 1, failures: 1, slowCalls: 1 });
  });

  it('reports the current streak in its snapshot', () => {
    const b = new ConsecutiveBreaker(5);
    b.record(fail);
    b.record(slow);
    expect(b.snapshot()).toEqual({ calls: 2, failures: 1, slowCalls: 1 });
  });

  it('forgets the streak on reset', () => {
    const b = new ConsecutiveBreaker(2);
    b.record(fail);
    b.reset();
    expect(b.record(fail)).toBeUndefined();
    expect(b.snapshot()).toEqual({ calls: 1, failures: 1, slowCalls: 0 });
  });
});
