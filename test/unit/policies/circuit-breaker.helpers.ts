import { beforeEach, vi } from 'vitest';
import { resolveOptions } from '../../../src/config/validate-options.js';
import type { CircuitBreakerOptions } from '../../../src/options.js';
import { CircuitBreakerPolicy } from '../../../src/policies/circuit-breaker.js';
import type { Call } from '../../../src/policies/policy.js';
import type { Runtime } from '../../../src/runtime.js';
import { methodInfo, testEnv } from '../../support/env.js';

/** Helpers of the circuit-breaker tests: a breaker on a fake clock, and calls that succeed, fail or wait. */

export const ID = 'Svc.call#circuitBreaker';
let currentEnv: Runtime;

/** Fake time from 0 and a fresh runtime before each test of the file that calls it. */
export function useBreakerEnv(): void {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
    currentEnv = testEnv();
  });
}

/** The runtime of the current test. */
export const env = (): Runtime => currentEnv;

export function breaker(options: CircuitBreakerOptions = {}): CircuitBreakerPolicy {
  return new CircuitBreakerPolicy(ID, methodInfo(), resolveOptions('circuitBreaker', options, 'Svc.call'), currentEnv);
}

export const newCall = (): Call => ({ self: undefined, args: [], signal: undefined, attempts: 1, firstFailedAt: undefined, fromFallback: false, scope: undefined });

/** A sync call that returns 'ok', optionally taking `ms` of fake time. */
export const ok = (cb: CircuitBreakerPolicy, ms = 0): unknown =>
  cb.execute(newCall(), () => {
    vi.advanceTimersByTime(ms);
    return 'ok';
  });

/** A sync call that throws `error`; returns what was thrown. */
export function fail(cb: CircuitBreakerPolicy, error: unknown = new Error('boom'), ms = 0): unknown {
  try {
    cb.execute(newCall(), () => {
      vi.advanceTimersByTime(ms);
      throw error;
    });
  } catch (thrown) {
    return thrown;
  }
  throw new Error('expected the call to throw');
}

/** An async call left pending; settle it with `resolve`/`reject`, then await `done`. */
export function pending(cb: CircuitBreakerPolicy) {
  let resolve!: (value: unknown) => void;
  let reject!: (error: unknown) => void;
  const inner = new Promise<unknown>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const result = cb.execute(newCall(), () => inner) as Promise<unknown>;
  const done = result.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  return { resolve, reject, done, result };
}

export const openIt = (cb: CircuitBreakerPolicy, n = cb.options.failureThreshold) => {
  for (let i = 0; i < n; i++) fail(cb);
};
