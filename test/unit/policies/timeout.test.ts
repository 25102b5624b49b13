import { getEventListeners } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveOptions } from '../../../src/config/validate-options.js';
import type { Clock } from '../../../src/clock.js';
import { TimeoutError } from '../../../src/errors.js';
import type { Call } from '../../../src/policies/policy.js';
import { TimeoutPolicy } from '../../../src/policies/timeout.js';
import type { Runtime } from '../../../src/runtime.js';
import { methodInfo, recordEvents, testEnv } from '../../support/env.js';

const newCall = (args: unknown[] = [], signal?: AbortSignal): Call => ({ self: undefined, args, signal, attempts: 1, firstFailedAt: undefined, fromFallback: false, scope: undefined });
const never = () => new Promise(() => {});
const after = (ms: number, value: unknown) => () => new Promise((resolve) => setTimeout(() => resolve(value), ms));

/** The timers of a {@link trackingClock} still set, and whether each keeps the process alive. */
let live: Map<object, { holds: boolean }>;
let timerHolds: () => boolean[];

/** The system clock (faked by vitest), with handles that record ref() and unref(): fake timers do not. */
function trackingClock(): Clock {
  live = new Map();
  timerHolds = () => [...live.values()].map((t) => t.holds);
  return {
    now: () => Date.now(),
    setTimeout(fn, ms) {
      const record = { holds: true };
      const handle = {
        inner: setTimeout(() => {
          live.delete(handle);
          fn();
        }, ms),
        ref: () => void (record.holds = true),
        unref: () => void (record.holds = false),
      };
      live.set(handle, record);
      return handle;
    },
    clearTimeout(handle) {
      live.delete(handle as object);
      clearTimeout((handle as { inner: ReturnType<typeof setTimeout> }).inner);
    },
  };
}

/** Starts one more call from inside the first `timeout` event, while the policy is expiring calls. */
function startCallOnFirstTimeout(policy: TimeoutPolicy, env: Runtime): void {
  let restarted = false;
  env.events.on('timeout', () => {
    if (restarted) return;
    restarted = true;
    void policy.execute(newCall(), never).catch(() => {});
  });
}

function setup(ms = 100, signalIndex = -1) {
  const env = testEnv({ clock: trackingClock() });
  const policy = new TimeoutPolicy('Svc.call#timeout', methodInfo({ signalIndex }), { ms }, env);
  return { env, policy };
}

beforeEach(() => vi.useFakeTimers());

/**
 * Waits until the timeout's idle check has run: the idle timer stops holding the process once the
 * microtask queue has drained with nothing pending, not at each call's end.
 */
const idleChecked = () => new Promise<void>((resolve) => process.nextTick(resolve));

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

  it('passes through a result that arrives in time; its idle timer no longer holds the process', async () => {
    const { policy } = setup(100);
    const outcome = policy.execute(newCall(), after(50, 'done'));
    await vi.advanceTimersByTimeAsync(50);
    await expect(outcome).resolves.toBe('done');
    expect(timerHolds()).toEqual([false]);
    // It fires once at its deadline and is not armed again while nothing is pending.
    await vi.advanceTimersByTimeAsync(50);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('close() clears an idle timer', async () => {
    const { policy } = setup(100);
    await policy.execute(newCall(), () => Promise.resolve('ok'));
    policy.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not start a timer per call for calls one after another', async () => {
    const env = testEnv();
    const setTimeoutSpy = vi.spyOn(env.clock, 'setTimeout');
    const policy = new TimeoutPolicy('Svc.call#timeout', methodInfo(), { ms: 1000 }, env);
    for (let i = 0; i < 100; i++) {
      await policy.execute(newCall(), () => Promise.resolve(i));
      await vi.advanceTimersByTimeAsync(5);
    }
    // 100 calls over 500 ms, each allowed 1000 ms: the first timer covers them all.
    expect(setTimeoutSpy).toHaveBeenCalledTimes(1);
  });

  it('forgets settled calls at once, even while an earlier call is pending', async () => {
    const { policy } = setup(60_000);
    void policy.execute(newCall(), never).catch(() => {});
    for (let i = 0; i < 1000; i++) await policy.execute(newCall(), () => Promise.resolve(i));
    expect(policy.state()).toEqual({ pending: 1 });
  });

  it('removes its listener from the caller’s signal when a call times out', async () => {
    const { policy } = setup(100, 0);
    const caller = new AbortController();
    const outcomes = Array.from({ length: 20 }, () => policy.execute(newCall([caller.signal], caller.signal), never).catch(() => {}));
    // One listener for the twenty calls, however many share the signal.
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all(outcomes);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
  });

  it('keeps earlier deadlines when a call starts while calls are timing out', async () => {
    const { policy, env } = setup(100);
    startCallOnFirstTimeout(policy, env);
    const a = policy.execute(newCall(), never).catch(() => 'a');
    await vi.advanceTimersByTimeAsync(50);
    let bAt = -1;
    const start = Date.now();
    const b = policy.execute(newCall(), never).catch(() => (bAt = Date.now() - start));
    await vi.advanceTimersByTimeAsync(50);
    expect(await a).toBe('a');
    await vi.advanceTimersByTimeAsync(50);
    await b;
    expect(bAt).toBe(100);
  });

  it('counts the deadlines of the calls of one burst from the end of that burst, with one clock read', async () => {
    const { policy, env } = setup(100);
    await policy.execute(newCall(), () => Promise.resolve('arms the timer'));
    const now = vi.spyOn(env.clock, 'now');
    const start = Date.now();
    const timedOutAt: number[] = [];
    const calls = [0, 1, 2].map(() => policy.execute(newCall(), never).catch(() => timedOutAt.push(Date.now() - start)));
    // The rest of the burst blocks the event loop for 30 ms: no timer could have fired meanwhile.
    vi.setSystemTime(start + 30);
    await idleChecked();
    expect(now).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(200);
    await Promise.all(calls);
    expect(timedOutAt).toEqual([130, 130, 130]);
  });

  it('lets the idle timer hold the process again once a call is pending', async () => {
    const { policy } = setup(100);
    await policy.execute(newCall(), () => Promise.resolve('first'));
    await idleChecked();
    expect(timerHolds()).toEqual([false]);
    const pending = policy.execute(newCall(), never).catch(() => 'timed out');
    expect(timerHolds()).toEqual([true]);
    await vi.advanceTimersByTimeAsync(100);
    expect(await pending).toBe('timed out');
  });

  it('leaves no second timer behind when a call starts while calls are timing out', async () => {
    const { policy, env } = setup(100);
    startCallOnFirstTimeout(policy, env);
    void policy.execute(newCall(), never).catch(() => {});
    await vi.advanceTimersByTimeAsync(100);
    expect(live.size).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(policy.state()).toEqual({ pending: 0 });
  });

  it('times out on schedule when the wall clock steps back', async () => {
    const { policy } = setup(100);
    const outcome = policy.execute(newCall(), never).catch((e: unknown) => e);
    vi.setSystemTime(Date.now() - 3000);
    await vi.advanceTimersByTimeAsync(100);
    expect(await outcome).toBeInstanceOf(TimeoutError);
  });

  it('keeps every pending deadline when the wall clock steps back (monotonic time)', async () => {
    const policy = new TimeoutPolicy('Svc.call#timeout', methodInfo(), { ms: 100 }, testEnv());
    const at: Record<string, number> = {};
    const a = policy.execute(newCall(), never).catch(() => (at.a = performance.now()));
    await vi.advanceTimersByTimeAsync(50);
    const b = policy.execute(newCall(), never).catch(() => (at.b = performance.now()));
    await vi.advanceTimersByTimeAsync(10);
    vi.setSystemTime(Date.now() - 3000);
    await vi.advanceTimersByTimeAsync(90);
    await Promise.all([a, b]);
    // Measured on the monotonic clock from the first call: each at its own deadline, 100 and 150 ms.
    expect([at.a, at.b].map((t) => Math.round(t! - (performance.now() - 150)))).toEqual([100, 150]);
  });

  it('refuses a timeout longer than a timer can wait', () => {
    expect(() => resolveOptions('timeout', { ms: 3e9 }, 'Svc.call')).toThrow('ms must be an integer >= 1 <= 2147483647, got 3000000000');
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
    await idleChecked();
    expect(timerHolds()).toEqual([false]);
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
