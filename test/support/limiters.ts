import type { LimiterAlgorithm } from '../../src/policies/limiters/limiter.js';

/** Takes at each time in turn from a fresh state at `times[0]`; returns the decisions ('ok' or retryAfterMs) and the last state. */
export function runLimiter<S>(algorithm: LimiterAlgorithm<S>, times: number[]) {
  let state = algorithm.initial(times[0] ?? 0);
  const results = times.map((now) => {
    const step = algorithm.take(state, now);
    state = step.state;
    return step.admitted ? 'ok' : step.retryAfterMs;
  });
  return { results, state };
}
