import { admit, refuse, type LimiterAlgorithm, type LimiterParams } from './limiter.js';

/** State of a {@link fixedWindow}: which window, and how many calls it admitted. */
export interface FixedWindowState {
  /** `floor(now / intervalMs)`: windows are aligned to the clock's origin, not to the first call. */
  window: number;
  count: number;
}

/**
 * Fixed window: a counter per aligned window `[k × intervalMs, (k + 1) × intervalMs)`, at most
 * `limit` calls each (`burst` is ignored). Cheapest state, but not smooth: calls at the end of one
 * window and the start of the next add up to `2 × limit` in a sliding `intervalMs` (at most
 * `limit × (ceil(T / intervalMs) + 1)` in any window of `T` ms). A refused call may retry when the
 * next window starts.
 */
export function fixedWindow(params: LimiterParams): LimiterAlgorithm<FixedWindowState> {
  const { limit, intervalMs } = params;
  return {
    name: 'fixed-window',
    params,
    initial: (now) => ({ window: Math.floor(now / intervalMs), count: 0 }),
    take(state, now) {
      // A clock that stepped back stays in the window it already counted.
      const window = Math.max(state.window, Math.floor(now / intervalMs));
      const count = window === state.window ? state.count : 0;
      if (count < limit) return admit({ window, count: count + 1 });
      return refuse(state, (window + 1) * intervalMs - now);
    },
  };
}
