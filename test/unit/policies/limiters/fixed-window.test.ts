import { describe, expect, it } from 'vitest';
import { fixedWindow, type FixedWindowState } from '../../../../src/policies/limiters/fixed-window.js';
import { runLimiter as run } from '../../../support/limiters.js';

describe('fixedWindow', () => {
  it('admits limit calls per window and refuses the next until the next window starts', () => {
    const { results } = run(fixedWindow({ limit: 2, intervalMs: 1000, burst: 2 }), [100, 200, 300]);
    expect(results).toEqual(['ok', 'ok', 700]);
  });

  it('aligns windows to the clock origin, not to the first call', () => {
    const { results } = run(fixedWindow({ limit: 1, intervalMs: 1000, burst: 1 }), [2900, 2999, 3000]);
    expect(results).toEqual(['ok', 1, 'ok']);
  });

  it('admits up to twice the limit across a window boundary', () => {
    const { results } = run(fixedWindow({ limit: 2, intervalMs: 1000, burst: 2 }), [998, 999, 1000, 1001, 1002]);
    expect(results).toEqual(['ok', 'ok', 'ok', 'ok', 998]);
  });

  it('ignores burst', () => {
    const { results } = run(fixedWindow({ limit: 1, intervalMs: 1000, burst: 5 }), [0, 0]);
    expect(results).toEqual(['ok', 1000]);
  });

  it('stays in the counted window when the clock steps back', () => {
    const window = fixedWindow({ limit: 1, intervalMs: 1000, burst: 1 });
    const { state } = run(window, [2500]);
    expect(window.take(state, 1500)).toMatchObject({ admitted: false, retryAfterMs: 1500 });
  });

  it('does not mutate the state it is given', () => {
    const window = fixedWindow({ limit: 2, intervalMs: 100, burst: 2 });
    const state: FixedWindowState = Object.freeze({ window: 0, count: 1 });
    window.take(state, 10);
    expect(state).toEqual({ window: 0, count: 1 });
  });
});
