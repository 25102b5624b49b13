import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveOptions } from '../../../src/config/validate-options.js';
import { isRateLimitedError, RateLimitedError } from '../../../src/errors.js';
import type { RateLimitOptions } from '../../../src/options.js';
import type { TakeResult } from '../../../src/policies/limiters/limiter.js';
import type { Call, MethodInfo } from '../../../src/policies/policy.js';
import { RateLimitPolicy } from '../../../src/policies/rate-limit.js';
import type { LimiterStore } from '../../../src/stores/limiter-store.js';
import { methodInfo, recordEvents, testEnv } from '../../support/env.js';

const newCall = (args: unknown[] = [], signal?: AbortSignal): Call =>
  ({ self: undefined, args, signal, attempts: 1, firstFailedAt: undefined, fromFallback: false, scope: undefined });

function setup(raw: Partial<RateLimitOptions> = {}, method: MethodInfo = methodInfo()) {
  const env = testEnv();
  const options = resolveOptions('rateLimit', { limit: 1, ...raw }, method.id);
  const policy = new RateLimitPolicy('Svc.call#rateLimit', method, options, env);
  return { env, policy, options };
}

/** One call with a sync `next`: `'ok'` when admitted, else the refusal's retryAfterMs. */
function attempt(policy: RateLimitPolicy, args: unknown[] = []): 'ok' | number {
  try {
    policy.execute(newCall(args), () => 'ok');
    return 'ok';
  } catch (error) {
    if (isRateLimitedError(error)) return error.retryAfterMs;
    throw error;
  }
}

/** Settles to `'ok'` or the refusal's retryAfterMs; records when, on the fake clock. */
function waitFor(policy: RateLimitPolicy, signal?: AbortSignal) {
  const outcome: { value?: unknown; at?: number } = {};
  const promise = (policy.execute(newCall([], signal), async () => 'ok') as Promise<unknown>).then(
    (value) => Object.assign(outcome, { value, at: Date.now() }),
    (error: unknown) => Object.assign(outcome, { value: isRateLimitedError(error) ? error.retryAfterMs : error, at: Date.now() }),
  );
  return { outcome, promise };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});

describe('RateLimitPolicy defaults', () => {
  it('uses a token bucket', () => {
    expect(setup().policy.state().algorithm).toBe('token-bucket');
  });

  it('counts limit calls per 1000 ms', () => {
    const { policy } = setup({ limit: 2 });
    expect([attempt(policy), attempt(policy), attempt(policy)]).toEqual(['ok', 'ok', 500]);
  });

  it('allows a burst of limit calls, however long it idled', () => {
    const { policy } = setup({ limit: 3 });
    vi.advanceTimersByTime(60_000);
    expect([attempt(policy), attempt(policy), attempt(policy), attempt(policy)]).toEqual(['ok', 'ok', 'ok', 334]);
  });

  it('rejects at once rather than waiting', () => {
    const { policy } = setup();
    attempt(policy);
    expect(() => policy.execute(newCall(), () => 'ok')).toThrow(RateLimitedError);
  });

  it('shares one limit between all calls without a key', () => {
    const { policy } = setup({}, methodInfo({ paramNames: ['userId'] }));
    expect([attempt(policy, ['a']), attempt(policy, ['b'])]).toEqual(['ok', 1000]);
  });

  it('keeps its state in memory', () => {
    const { policy, options } = setup();
    attempt(policy);
    expect([options.store, policy.state().keys]).toEqual(['memory', 1]);
  });

  it('waits up to 1000 ms with onLimit wait', async () => {
    const { policy } = setup({ onLimit: 'wait' });
    await waitFor(policy).promise;
    const second = waitFor(policy);
    await vi.advanceTimersByTimeAsync(1000);
    expect(second.outcome).toEqual({ value: 'ok', at: 1000 });
  });

  it('does not wait past 1000 ms with onLimit wait', async () => {
    const { policy } = setup({ onLimit: 'wait', intervalMs: 1001 });
    await waitFor(policy).promise;
    const second = waitFor(policy);
    await second.promise;
    expect(second.outcome).toEqual({ value: 1001, at: 0 });
  });
});

describe('RateLimitPolicy options', () => {
  it('counts limit per intervalMs', () => {
    const { policy } = setup({ limit: 1, intervalMs: 250 });
    expect([attempt(policy), attempt(policy)]).toEqual(['ok', 250]);
  });

  it('admits burst calls at once', () => {
    const { policy } = setup({ limit: 1, burst: 3 });
    expect([attempt(policy), attempt(policy), attempt(policy), attempt(policy)]).toEqual(['ok', 'ok', 'ok', 1000]);
  });

  it.each([
    ['token-bucket', ['ok', 1000, 900]],
    ['sliding-window', ['ok', 1000, 900]],
    ['fixed-window', ['ok', 100, 'ok']],
    ['leaky-bucket', ['ok', 1000, 900]],
  ] as const)('uses the %s algorithm', (algorithm, expected) => {
    vi.setSystemTime(900);
    const { policy } = setup({ algorithm });
    const results = [attempt(policy), attempt(policy)];
    vi.setSystemTime(1000);
    results.push(attempt(policy));
    expect({ algorithm: policy.state().algorithm, results }).toEqual({ algorithm, results: expected });
  });

  it('limits each value of a parameter named by key on its own', () => {
    const { policy } = setup({ key: 'userId' }, methodInfo({ paramNames: ['userId'] }));
    expect([attempt(policy, ['a']), attempt(policy, ['b']), attempt(policy, ['a'])]).toEqual(['ok', 'ok', 1000]);
  });

  it('limits by a path into a parameter', () => {
    const { policy } = setup({ key: 'req.tenant.id' }, methodInfo({ paramNames: ['req'] }));
    const req = (id: string) => ({ tenant: { id }, body: {} });
    expect([attempt(policy, [req('t1')]), attempt(policy, [req('t2')]), attempt(policy, [req('t1')])]).toEqual([
      'ok',
      'ok',
      1000,
    ]);
  });

  it('limits by a key function of the arguments', () => {
    const key = (_body: unknown, region: string) => region;
    const { policy } = setup({ key: key as (...args: never[]) => string }, methodInfo({ paramNames: ['body', 'region'] }));
    expect([attempt(policy, [1, 'eu']), attempt(policy, [2, 'us']), attempt(policy, [3, 'eu'])]).toEqual(['ok', 'ok', 1000]);
  });

  it('gives a number key and its string one limit', () => {
    const { policy } = setup({ key: 'userId' }, methodInfo({ paramNames: ['userId'] }));
    expect([attempt(policy, [42]), attempt(policy, ['42'])]).toEqual(['ok', 1000]);
  });

  it('keys an object by its content, whatever its property order', () => {
    const { policy } = setup({ key: 'who' }, methodInfo({ paramNames: ['who'] }));
    expect([attempt(policy, [{ org: 1, user: 2 }]), attempt(policy, [{ user: 2, org: 1 }])]).toEqual(['ok', 1000]);
  });

  it('refuses a key that names no parameter, naming the method', () => {
    expect(() => setup({ key: 'userid' }, methodInfo({ paramNames: ['userId'] }))).toThrowErrorMatchingInlineSnapshot(
      `[ConfigError: Svc.call: key 'userid' names no parameter; parameters are userId]`,
    );
  });

  it("refuses store 'redis', which this version does not include", () => {
    expect(() => setup({ store: 'redis' })).toThrowErrorMatchingInlineSnapshot(
      `[ConfigError: @RateLimit on Svc.call: store 'redis' requires the resil/redis store, which this version does not include; use store 'memory']`,
    );
  });

  it('uses a store it is given, also for redis', async () => {
    const store: LimiterStore = { take: async () => ({ admitted: false, retryAfterMs: 7 }), size: () => undefined, clear: () => {} };
    const env = testEnv();
    const options = resolveOptions('rateLimit', { limit: 1, store: 'redis' }, 'Svc.call');
    const policy = new RateLimitPolicy('Svc.call#rateLimit', methodInfo(), options, env, store);
    await expect(policy.execute(newCall(), () => 'ok')).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 7 });
  });

  it('makes an asynchronous store answer asynchronously', async () => {
    const result: TakeResult = { admitted: true, retryAfterMs: 0 };
    const store: LimiterStore = { take: async () => result, size: () => undefined, clear: () => {} };
    const options = resolveOptions('rateLimit', { limit: 1 }, 'Svc.call');
    const policy = new RateLimitPolicy('Svc.call#rateLimit', methodInfo(), options, testEnv(), store);
    await expect(policy.execute(newCall(), () => 'ok')).resolves.toBe('ok');
  });
});

describe('RateLimitPolicy shared by name', () => {
  const second = methodInfo({ id: 'Svc.other', methodName: 'other', paramNames: ['userId'] });

  it('lists every method it guards, once each', () => {
    const { policy } = setup({ name: 'users' }, methodInfo({ paramNames: ['userId'] }));
    policy.attach(second);
    policy.attach(second);
    expect(policy.methods).toEqual(['Svc.call', 'Svc.other']);
  });

  it('shares one limit between its methods', () => {
    const { policy } = setup({ name: 'users' });
    policy.attach(second);
    expect([attempt(policy), attempt(policy)]).toEqual(['ok', 1000]);
  });

  it('refuses a method that declares the key parameter at another position', () => {
    const { policy } = setup({ name: 'users', key: 'userId' }, methodInfo({ paramNames: ['userId'] }));
    const moved = methodInfo({ id: 'Svc.moved', paramNames: ['body', 'userId'] });
    expect(() => policy.attach(moved)).toThrowErrorMatchingInlineSnapshot(
      `[ConfigError: @RateLimit on Svc.moved: the shared limiter 'Svc.call#rateLimit' reads key 'userId' from parameter 1 (as in Svc.call), but here it is parameter 2; declare it at the same position or give a key function]`,
    );
  });

  it('refuses a method without the key parameter', () => {
    const { policy } = setup({ name: 'users', key: 'userId' }, methodInfo({ paramNames: ['userId'] }));
    const without = methodInfo({ id: 'Svc.none', paramNames: ['id'] });
    expect(() => policy.attach(without)).toThrow(/Svc\.none: key 'userId' names no parameter/);
  });
});

describe("RateLimitPolicy onLimit 'reject'", () => {
  it('throws RateLimitedError synchronously with the policy id and retryAfterMs', () => {
    const { policy } = setup({ limit: 2 });
    attempt(policy);
    attempt(policy);
    let thrown: unknown;
    try {
      policy.execute(newCall(), () => 'ok');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'RATE_LIMITED', policy: 'Svc.call#rateLimit', retryAfterMs: 500 });
  });

  it('returns the value of a sync method synchronously', () => {
    const { policy } = setup();
    expect(policy.execute(newCall(), () => 42)).toBe(42);
  });

  it("returns an async method's promise as it is", () => {
    const { policy } = setup();
    const promise = Promise.resolve(42);
    expect(policy.execute(newCall(), () => promise)).toBe(promise);
  });

  it("passes the method's own errors through uncounted", () => {
    const { policy } = setup();
    const boom = new Error('boom');
    expect(() =>
      policy.execute(newCall(), () => {
        throw boom;
      }),
    ).toThrow(boom);
    expect(policy.stats()).toEqual({ calls: 1, successes: 1, failures: 0, rejections: 0 });
  });
});

describe("RateLimitPolicy onLimit 'wait'", () => {
  it('returns a promise even when admitted at once', async () => {
    const { policy } = setup({ onLimit: 'wait' });
    const result = policy.execute(newCall(), () => 'sync');
    expect(result).toBeInstanceOf(Promise);
    await expect(result).resolves.toBe('sync');
  });

  it('resolves when a slot frees, not before', async () => {
    const { policy } = setup({ onLimit: 'wait', limit: 2 });
    await Promise.all([waitFor(policy).promise, waitFor(policy).promise]);
    const third = waitFor(policy);
    await vi.advanceTimersByTimeAsync(499);
    expect(third.outcome).toEqual({});
    await vi.advanceTimersByTimeAsync(1);
    expect(third.outcome).toEqual({ value: 'ok', at: 500 });
  });

  it('counts the sleeping calls as waiting', async () => {
    const { policy } = setup({ onLimit: 'wait' });
    await waitFor(policy).promise;
    const second = waitFor(policy);
    expect(policy.state().waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    await second.promise;
    expect(policy.state().waiting).toBe(0);
  });

  it('rejects at once, leaving no timer, when the wait exceeds maxWaitMs', async () => {
    const { policy } = setup({ onLimit: 'wait', maxWaitMs: 999 });
    await waitFor(policy).promise;
    const second = waitFor(policy);
    await second.promise;
    expect([second.outcome, vi.getTimerCount()]).toEqual([{ value: 1000, at: 0 }, 0]);
  });

  it('waits again when another waiter took the freed slot first', async () => {
    const { policy } = setup({ onLimit: 'wait', maxWaitMs: 5000 });
    await waitFor(policy).promise;
    const first = waitFor(policy);
    await vi.advanceTimersByTimeAsync(500);
    const late = waitFor(policy);
    await vi.advanceTimersByTimeAsync(1500);
    expect([first.outcome, late.outcome]).toEqual([
      { value: 'ok', at: 1000 },
      { value: 'ok', at: 2000 },
    ]);
  });

  it('rejects when a lost race leaves a wait beyond what remains of maxWaitMs', async () => {
    const { policy } = setup({ onLimit: 'wait', maxWaitMs: 1400 });
    await waitFor(policy).promise;
    waitFor(policy);
    await vi.advanceTimersByTimeAsync(500);
    const late = waitFor(policy);
    await vi.advanceTimersByTimeAsync(500);
    expect([late.outcome, vi.getTimerCount()]).toEqual([{ value: 1000, at: 1000 }, 0]);
  });

  it("rejects with the caller's abort reason and leaves no timer", async () => {
    const { policy } = setup({ onLimit: 'wait' });
    await waitFor(policy).promise;
    const controller = new AbortController();
    const second = waitFor(policy, controller.signal);
    await vi.advanceTimersByTimeAsync(100);
    const reason = new Error('caller gave up');
    controller.abort(reason);
    await second.promise;
    expect([second.outcome, vi.getTimerCount()]).toEqual([{ value: reason, at: 100 }, 0]);
  });

  it('rejects with the reason of a signal aborted before the wait', async () => {
    const { policy } = setup({ onLimit: 'wait' });
    await waitFor(policy).promise;
    const reason = new Error('already gone');
    const second = waitFor(policy, AbortSignal.abort(reason));
    await second.promise;
    expect(second.outcome.value).toBe(reason);
  });

  it('counts an aborted wait as a failure', async () => {
    const { policy } = setup({ onLimit: 'wait' });
    await waitFor(policy).promise;
    const controller = new AbortController();
    const second = waitFor(policy, controller.signal);
    controller.abort();
    await second.promise;
    expect(policy.stats()).toEqual({ calls: 2, successes: 1, failures: 1, rejections: 0 });
  });
});

describe('RateLimitPolicy events', () => {
  it('emits a rejection with the retry delay', () => {
    const { env, policy } = setup();
    const events = recordEvents(env, 'rejection');
    attempt(policy);
    attempt(policy);
    expect(events).toEqual([
      ['rejection', { policy: 'Svc.call#rateLimit', kind: 'rateLimit', code: 'RATE_LIMITED', retryAfterMs: 1000 }],
    ]);
  });

  it('emits a rejection when a wait gives up', async () => {
    const { env, policy } = setup({ onLimit: 'wait', maxWaitMs: 10 });
    const events = recordEvents(env, 'rejection');
    await waitFor(policy).promise;
    await waitFor(policy).promise;
    expect(events).toHaveLength(1);
  });

  it('builds no event nobody listens to', () => {
    const { env, policy } = setup();
    const emit = vi.spyOn(env.events, 'emit');
    attempt(policy);
    attempt(policy);
    expect(emit).not.toHaveBeenCalled();
  });
});

describe('RateLimitPolicy stats and state', () => {
  it('counts calls, admissions as successes and refusals as rejections', () => {
    const { policy } = setup({ limit: 2 });
    attempt(policy);
    attempt(policy);
    attempt(policy);
    expect(policy.stats()).toEqual({ calls: 3, successes: 2, failures: 0, rejections: 1 });
  });

  it('counts a throwing key function as a failure and rethrows its error', () => {
    const boom = new Error('no tenant');
    const key = () => {
      throw boom;
    };
    const { policy } = setup({ key });
    expect(() => attempt(policy)).toThrow(boom);
    expect(policy.stats()).toEqual({ calls: 1, successes: 0, failures: 1, rejections: 0 });
  });

  it('reports the keys holding state', () => {
    const { policy } = setup({ key: 'userId' }, methodInfo({ paramNames: ['userId'] }));
    attempt(policy, ['a']);
    attempt(policy, ['b']);
    attempt(policy, ['a']);
    expect(policy.state()).toEqual({ algorithm: 'token-bucket', keys: 2, waiting: 0 });
  });

  it('hands out a copy of its counters', () => {
    const { policy } = setup();
    policy.stats().calls = 99;
    expect(policy.stats().calls).toBe(0);
  });

});
