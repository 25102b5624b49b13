import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveOptions } from '../../../src/config/validate-options.js';
import { BrokenCircuitError, BulkheadFullError, RateLimitedError, ValidationError } from '../../../src/errors.js';
import type { RetryOptions } from '../../../src/options.js';
import type { Call } from '../../../src/policies/policy.js';
import { RetryPolicy } from '../../../src/policies/retry.js';
import { methodInfo, recordEvents, testEnv } from '../../support/env.js';

const newCall = (signal?: AbortSignal): Call => ({ self: undefined, args: [], signal, attempts: 1, firstFailedAt: undefined, fromFallback: false, scope: undefined });

function setup(options: RetryOptions = {}, random = () => 0.5, attemptBoundMs = 0) {
  const env = testEnv({ random });
  const policy = new RetryPolicy('Svc.call#retry', methodInfo(), resolveOptions('retry', options, 'Svc.call'), env, attemptBoundMs);
  return { env, policy };
}

/** A `next` that fails `failures` times with the given errors, then answers. */
function failing(failures: number, makeError = (n: number) => new Error(`boom ${n}`)) {
  let calls = 0;
  const next = vi.fn(async () => {
    calls++;
    if (calls <= failures) throw makeError(calls);
    return `ok after ${calls}`;
  });
  return next;
}

beforeEach(() => vi.useFakeTimers());

describe('RetryPolicy', () => {
  it('makes 3 attempts by default and rethrows the last error unchanged', async () => {
    const { policy } = setup();
    const errors: Error[] = [];
    const next = vi.fn(async () => {
      const e = new Error(`boom ${errors.length + 1}`);
      errors.push(e);
      throw e;
    });
    const outcome = policy.execute(newCall(), next).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(await outcome).toBe(errors[2]);
    expect(next).toHaveBeenCalledTimes(3);
  });

  it('returns as soon as an attempt succeeds', async () => {
    const { policy } = setup({ maxAttempts: 5 });
    const next = failing(2);
    const outcome = policy.execute(newCall(), next);
    await vi.runAllTimersAsync();
    await expect(outcome).resolves.toBe('ok after 3');
    expect(policy.stats()).toMatchObject({ calls: 1, successes: 1, retries: 2 });
  });

  it('waits the exponential backoff with full jitter by default', async () => {
    const { policy, env } = setup({}, () => 0.5);
    const events = recordEvents(env, 'retry');
    const outcome = policy.execute(newCall(), failing(2));
    await vi.runAllTimersAsync();
    await outcome;
    expect(events.map(([, e]) => (e as { delayMs: number }).delayMs)).toEqual([50, 100]);
  });

  it('uses baseDelayMs, multiplier and no jitter as given', async () => {
    const { policy, env } = setup({ maxAttempts: 4, baseDelayMs: 10, multiplier: 3, jitter: 'none' });
    const events = recordEvents(env, 'retry');
    const outcome = policy.execute(newCall(), failing(3));
    await vi.advanceTimersByTimeAsync(10 + 30 - 1);
    expect(events).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1 + 90);
    await expect(outcome).resolves.toBe('ok after 4');
    expect(events.map(([, e]) => (e as { delayMs: number }).delayMs)).toEqual([10, 30, 90]);
  });

  it.each([
    ['a ValidationError', new ValidationError('p', [])],
    ['a BrokenCircuitError', new BrokenCircuitError('p', 10)],
    ['a RateLimitedError', new RateLimitedError('p', 10)],
    ['a BulkheadFullError', new BulkheadFullError('p')],
    ['an error with retryable false', Object.assign(new Error('no'), { retryable: false })],
  ])('does not retry %s by default', async (_, error) => {
    const { policy } = setup();
    const next = vi.fn(async () => {
      throw error;
    });
    await expect(policy.execute(newCall(), next)).rejects.toBe(error);
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('retries only what retryOn accepts (classes)', async () => {
    class Transient extends Error {}
    const { policy } = setup({ retryOn: [Transient] });
    const next = failing(1, () => new TypeError('fatal'));
    await expect(policy.execute(newCall(), next)).rejects.toThrow('fatal');
    expect(next).toHaveBeenCalledTimes(1);
    const next2 = failing(1, () => new Transient('flaky'));
    const outcome = policy.execute(newCall(), next2);
    await vi.runAllTimersAsync();
    await expect(outcome).resolves.toBe('ok after 2');
  });

  it('retries only what a retryOn predicate accepts', async () => {
    const { policy } = setup({ retryOn: (e) => (e as Error).message === 'boom 1' });
    const next = failing(5);
    const outcome = policy.execute(newCall(), next).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(await outcome).toMatchObject({ message: 'boom 2' });
    expect(next).toHaveBeenCalledTimes(2);
  });

  it('never retries what abortOn names, even when retryOn accepts it', async () => {
    const { policy } = setup({ retryOn: () => true, abortOn: [RangeError] });
    const next = failing(1, () => new RangeError('stop'));
    await expect(policy.execute(newCall(), next)).rejects.toThrow('stop');
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('retries results that retryOnResult rejects, and returns the last one when attempts run out', async () => {
    const { policy } = setup({ maxAttempts: 3, retryOnResult: (r) => r === 'pending' });
    const next = vi.fn(async () => 'pending');
    const outcome = policy.execute(newCall(), next);
    await vi.runAllTimersAsync();
    await expect(outcome).resolves.toBe('pending');
    expect(next).toHaveBeenCalledTimes(3);
  });

  it('calls onRetry before each delay with the attempt and error', async () => {
    const onRetry = vi.fn();
    const { policy } = setup({ onRetry, jitter: 'none' });
    const outcome = policy.execute(newCall(), failing(1));
    await vi.runAllTimersAsync();
    await outcome;
    expect(onRetry).toHaveBeenCalledWith({ method: 'Svc.call', attempt: 1, delayMs: 100, error: expect.objectContaining({ message: 'boom 1' }) });
  });

  it('keeps the call’s outcome when onRetry throws', async () => {
    const { policy } = setup({ onRetry: () => { throw new Error('listener bug'); } });
    const outcome = policy.execute(newCall(), failing(1));
    await vi.runAllTimersAsync();
    await expect(outcome).resolves.toBe('ok after 2');
  });

  it('counts a caller abort during the backoff as a failure', async () => {
    const { policy } = setup({ baseDelayMs: 1000, jitter: 'none' });
    const controller = new AbortController();
    const outcome = policy.execute(newCall(controller.signal), failing(5)).catch(() => {});
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error('gone'));
    await outcome;
    expect(policy.stats()).toMatchObject({ calls: 1, successes: 0, failures: 1 });
  });

  it('starts no attempt that budgetMs cannot hold', async () => {
    const { policy } = setup({ maxAttempts: 10, baseDelayMs: 100, jitter: 'none', budgetMs: 350 });
    const next = failing(99);
    const outcome = policy.execute(newCall(), next).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    // Delays 100 + 200 fit in 350 ms; the next (400) does not.
    expect(await outcome).toMatchObject({ message: 'boom 3' });
    expect(next).toHaveBeenCalledTimes(3);
  });

  it('counts a timeout below it when deciding whether an attempt fits the budget', async () => {
    const { policy } = setup({ maxAttempts: 10, baseDelayMs: 100, jitter: 'none', budgetMs: 350 }, undefined, 200);
    const next = failing(99);
    const outcome = policy.execute(newCall(), next).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    // After attempt 1: 0 + 100 + 200 <= 350, so attempt 2 runs; after it: 100 + 200 + 200 > 350.
    expect(await outcome).toMatchObject({ message: 'boom 2' });
  });

  it('stops waiting when the caller aborts, with the signal’s reason', async () => {
    const { policy } = setup({ baseDelayMs: 1000, jitter: 'none' });
    const controller = new AbortController();
    const outcome = policy.execute(newCall(controller.signal), failing(5)).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    controller.abort(new Error('caller gave up'));
    expect(await outcome).toMatchObject({ message: 'caller gave up' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('emits an attempt event per attempt', async () => {
    const { policy, env } = setup();
    const events = recordEvents(env, 'attempt');
    const outcome = policy.execute(newCall(), failing(1));
    await vi.runAllTimersAsync();
    await outcome;
    expect(events.map(([, e]) => (e as { attempt: number }).attempt)).toEqual([1, 2]);
  });

  it('records attempts and the first failure time on the call for dead letters', async () => {
    const { policy } = setup();
    const call = newCall();
    const outcome = policy.execute(call, failing(9)).catch(() => {});
    await vi.runAllTimersAsync();
    await outcome;
    expect(call.attempts).toBe(3);
    expect(call.firstFailedAt).toBeTypeOf('number');
  });
});
