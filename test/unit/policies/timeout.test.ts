import { beforeEach, describe, expect, it, vi } from 'vitest';
import { TimeoutError } from '../../../src/errors.js';
import type { Call } from '../../../src/policies/policy.js';
import { TimeoutPolicy } from '../../../src/policies/timeout.js';
import { methodInfo, recordEvents, testEnv } from '../../support/env.js';

const newCall = (args: unknown[] = [], signal?: AbortSignal): Call => ({ self: undefined, args, signal, attempts: 1, firstFailedAt: undefined, fromFallback: false, scope: undefined });
const never = () => new Promise(() => {});
const after = (ms: number, value: unknown) => () => new Promise((resolve) => setTimeout(() => resolve(value), ms));

function setup(ms = 100, signalIndex = -1) {
  const env = testEnv();
  const policy = new TimeoutPolicy('Svc.call#timeout', methodInfo({ signalIndex }), { ms }, env);
  return { env, policy };
}

beforeEach(() => vi.useFakeTimers());

describe('TimeoutPolicy', () => {
  it('rejects with TimeoutError carrying timeoutMs at the deadline', async () => {
    const { policy } = setup(100);
    const outcome = policy.execute(newCall(), never).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(99);
    await vi.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'TIMEOUT', timeoutMs: 100, policy: 'Svc.call#timeout' });
  });

  it('does not fire a millisecond early', async () => {
    const { policy } = setup(100);
    let settled = false;
    policy.execute(newCall(), never).catch(() => (settled = true));
    await vi.advanceTimersByTimeAsync(99);
    expect(settled).toBe(false);
  });

  it('passes through a result that arrives in time, and clears its timer', async () => {
    const { policy } = setup(100);
    const outcome = policy.execute(newCall(), after(50, 'done'));
    await vi.advanceTimersByTimeAsync(50);
    await expect(outcome).resolves.toBe('done');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('passes the user’s own error through unchanged', async () => {
    const { policy } = setup();
    const mine = new Error('mine');
    await expect(policy.execute(newCall(), () => Promise.reject(mine))).rejects.toBe(mine);
    await expect(policy.execute(newCall(), () => { throw mine; })).rejects.toBe(mine);
  });

  it('serves many pending calls with a single timer', async () => {
    const { policy } = setup(100);
    const outcomes = Array.from({ length: 50 }, () => policy.execute(newCall(), never).catch((e: unknown) => e));
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    for (const o of outcomes) expect(await o).toBeInstanceOf(TimeoutError);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('times out staggered calls each at its own deadline', async () => {
    const { policy } = setup(100);
    const first = policy.execute(newCall(), never).catch(() => 'first timed out');
    await vi.advanceTimersByTimeAsync(30);
    let secondDone = false;
    const second = policy.execute(newCall(), never).catch(() => (secondDone = true));
    await vi.advanceTimersByTimeAsync(70);
    expect(await first).toBe('first timed out');
    expect(secondDone).toBe(false);
    await vi.advanceTimersByTimeAsync(30);
    await second;
    expect(secondDone).toBe(true);
  });

  it('keeps serving later calls when an earlier one finished first', async () => {
    const { policy } = setup(100);
    const fast = policy.execute(newCall(), after(10, 'fast'));
    await vi.advanceTimersByTimeAsync(5);
    const slow = policy.execute(newCall(), never).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    await expect(fast).resolves.toBe('fast');
    await vi.advanceTimersByTimeAsync(95);
    expect(await slow).toBeInstanceOf(TimeoutError);
  });

  it('gives a method that takes a signal one that aborts at the deadline', async () => {
    const { policy } = setup(100, 1);
    let seen: AbortSignal | undefined;
    const outcome = policy.execute(newCall(['id', undefined]), (call) => {
      seen = call.args[1] as AbortSignal;
      return never();
    }).catch((e: unknown) => e);
    expect(seen).toBeInstanceOf(AbortSignal);
    expect(seen!.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(seen!.aborted).toBe(true);
    expect(seen!.reason).toBe(await outcome);
  });

  it('never aborts the signal after success', async () => {
    const { policy } = setup(100, 0);
    let seen: AbortSignal | undefined;
    await policy.execute(newCall([undefined]), (call) => {
      seen = call.args[0] as AbortSignal;
      return Promise.resolve('ok');
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(seen!.aborted).toBe(false);
  });

  it('does not change the caller’s arguments array', async () => {
    const { policy } = setup(100, 0);
    const args: unknown[] = [undefined];
    await policy.execute(newCall(args), () => Promise.resolve('ok'));
    expect(args).toEqual([undefined]);
  });

  it('aborts and rejects when the caller’s signal aborts', async () => {
    const { policy } = setup(100, 0);
    const caller = new AbortController();
    let seen: AbortSignal | undefined;
    const outcome = policy.execute(newCall([caller.signal], caller.signal), (call) => {
      seen = call.args[0] as AbortSignal;
      return never();
    }).catch((e: unknown) => e);
    caller.abort(new Error('stop'));
    expect(await outcome).toMatchObject({ message: 'stop' });
    expect(seen!.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects at once when the caller’s signal is already aborted', async () => {
    const { policy } = setup(100, 0);
    const next = vi.fn();
    await expect(policy.execute(newCall([AbortSignal.abort('gone')], AbortSignal.abort('gone')), next)).rejects.toBe('gone');
    expect(next).not.toHaveBeenCalled();
  });

  it('creates no AbortController for a method without a signal parameter', async () => {
    const { policy } = setup(100);
    const spy = vi.spyOn(globalThis, 'AbortController');
    await policy.execute(newCall(['x']), (call) => Promise.resolve(call.args[0]));
    expect(spy).not.toHaveBeenCalled();
  });

  it('emits a timeout event and counts timeouts', async () => {
    const { policy, env } = setup(100);
    const events = recordEvents(env, 'timeout');
    const outcome = policy.execute(newCall(), never).catch(() => {});
    await vi.advanceTimersByTimeAsync(100);
    await outcome;
    expect(events).toEqual([['timeout', { policy: 'Svc.call#timeout', timeoutMs: 100 }]]);
    expect(policy.stats()).toMatchObject({ calls: 1, timeouts: 1, failures: 1 });
  });
});
