import { admit, refuse, type LimiterAlgorithm, type LimiterParams } from './limiter.js';

/** State of a {@link slidingWindow}: clock times of the calls admitted in the last `intervalMs`, oldest first. */
export interface SlidingWindowState {
  log: number[];
}

/**
 * Sliding-window log: a call at `now` is admitted when fewer than `limit` calls were admitted in
 * `(now − intervalMs, now]`. Exact: at most `limit` calls in any window of `intervalMs` (at most
 * `limit × ceil(T / intervalMs)` in a window of `T` ms), and no burst beyond `limit` (`burst` is
 * ignored). A refused call may retry when the oldest logged call leaves the window.
 * Costs `O(limit)` memory per key and per take (the log is copied, as `take` is pure).
 */
export function slidingWindow(params: LimiterParams): LimiterAlgorithm<SlidingWindowState> {
  const { limit, intervalMs } = params;
  return {
    name: 'sliding-window',
    params,
    initial: () => ({ log: [] }),
    take(state, now) {
      const { log } = state;
      const start = firstAfter(log, now - intervalMs);
      if (log.length - start < limit) {
        // Keep the log sorted even if the clock stepped back.
        const last = log.length > 0 ? log[log.length - 1]! : now;
        return admit({ log: [...log.slice(start), Math.max(now, last)] });
      }
      const kept = start === 0 ? state : { log: log.slice(start) };
      // The oldest call in the window leaves it at oldest + intervalMs; then there is room.
      return refuse(kept, log[start]! + intervalMs - now);
    },
  };
}

/** Index of the first entry of the sorted `log` greater than `t` (binary search). */
function firstAfter(log: readonly number[], t: number): number {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (log[mid]! > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
