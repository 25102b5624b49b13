// The libraries resil is compared with, set up for retry, circuit breaker and timeout as issue 3's
// benchmark names them. They are dev dependencies of bench/package.json only.
import { circuitBreaker, ConsecutiveBreaker, handleAll, retry, timeout, TimeoutStrategy, wrap } from 'cockatiel';
import CircuitBreaker from 'opossum';

/** opossum: one breaker around the function with a 1000 ms timeout; callers use `fire()`. */
export function opossumBreaker<T>(fn: () => Promise<T>): CircuitBreaker<[], T> {
  return new CircuitBreaker(fn, { timeout: 1000 });
}

/**
 * cockatiel: retry, then a breaker opening after 5 consecutive failures, then a 1000 ms timeout
 * per attempt. Its `maxAttempts` counts retries, so 2 means three attempts, as resil's 3 does.
 */
export function cockatielPolicy() {
  return wrap(
    retry(handleAll, { maxAttempts: 2 }),
    circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) }),
    timeout(1000, TimeoutStrategy.Aggressive),
  );
}
