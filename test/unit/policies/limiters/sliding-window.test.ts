import { describe, expect, it } from 'vitest';
import { slidingWindow, type SlidingWindowState } from '../../../../src/policies/limiters/sliding-window.js';
import { runLimiter as run } from '../../../support/limiters.js';

describe('slidingWindow', () => {
  it('admits limit calls in an interval and refuses the next until the oldest leaves', () => {
    const { results } = run(slidingWindow({ limit: 2, intervalMs: 1000, burst: 2 }), [0, 400, 600]);
    expect(results).toEqual(['ok', 'ok', 400]);
  });

  it('frees a slot exactly intervalMs after the call that took it', () => {
    const { results } = run(slidingWindow({ limit: 2, intervalMs: 1000, burst: 2 }), [0, 400, 999, 1000, 1399, 1400]);
    expect(results).toEqual(['ok', 'ok', 1, 'ok', 1, 'ok']);
  });

  it('ignores burst', () => {
    const { results } = run(slidingWindow({ limit: 1, intervalMs: 1000, burst: 5 }), [0, 0]);
    expect(results).toEqual(['ok', 1000]);
  });

  it('logs only the calls still inside the window', () => {
    const { state } = run(slidingWindow({ limit: 3, intervalMs: 100, burst: 3 }), [0, 50, 120, 160]);
    expect(state).toEqual({ log: [120, 160] });
  });

  it('keeps the log sorted when the clock steps back', () => {
    const { state } = run(slidingWindow({ limit: 3, intervalMs: 100, burst: 3 }), [50, 40]);
    expect(state).toEqual({ log: [50, 50] });
  });

  it('does not mutate the state it is given', () => {
    const window = slidingWindow({ limit: 2, intervalMs: 100, burst: 2 });
    const state: SlidingWindowState = { log: Object.freeze([0]) as number[] };
    window.take(state, 10);
    expect(state).toEqual({ log: [0] });
  });
});
