import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveOptions } from '../../../src/config/validate-options.js';
import type { CachedOptions } from '../../../src/options.js';
import { BrokenCircuitError } from '../../../src/errors.js';
import { CachePolicy } from '../../../src/policies/cache.js';
import type { Call, MethodInfo } from '../../../src/policies/policy.js';
import { methodInfo, recordEvents, testEnv } from '../../support/env.js';

const newCall = (args: unknown[]): Call => ({ self: undefined, args, signal: undefined, attempts: 1, firstFailedAt: undefined, fromFallback: false, scope: undefined });

function setup(options: CachedOptions = {}, method: Partial<MethodInfo> = {}) {
  const env = testEnv();
  const policy = new CachePolicy('Svc.call#cache', methodInfo(method), resolveOptions('cache', options, 'Svc.call'), env);
  let calls = 0;
  const next = vi.fn(async (call: Call) => `value ${++calls} for ${JSON.stringify(call.args)}`);
  return { env, policy, next, get: (...args: unknown[]) => policy.execute(newCall(args), next) };
}

beforeEach(() => vi.useFakeTimers());

describe('CachePolicy', () => {
  it('answers a repeated call from the cache', async () => {
    const { get, next, policy } = setup();
    await expect(get(1)).resolves.toBe('value 1 for [1]');
    await expect(get(1)).resolves.toBe('value 1 for [1]');
    expect(next).toHaveBeenCalledTimes(1);
    expect(policy.state()).toEqual({ size: 1, hits: 1, misses: 1 });
  });

  it('keeps 1 and "1" apart', async () => {
    const { get, next } = setup();
    await get(1);
    await get('1');
    expect(next).toHaveBeenCalledTimes(2);
  });

  it('ignores object key order', async () => {
    const { get, next } = setup();
    await get({ a: 1, b: 2 });
    await get({ b: 2, a: 1 });
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('expires entries after ttlMs (60 s by default)', async () => {
    const { get, next } = setup();
    await get(1);
    vi.advanceTimersByTime(59_999);
    await get(1);
    expect(next).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    await get(1);
    expect(next).toHaveBeenCalledTimes(2);
  });

  it('evicts the least recently used entry beyond maxEntries', async () => {
    const { get, next } = setup({ maxEntries: 2 });
    await get(1);
    await get(2);
    await get(1);
    await get(3);
    await get(1);
    expect(next).toHaveBeenCalledTimes(3);
    await get(2);
    expect(next).toHaveBeenCalledTimes(4);
  });

  it('shares one call between concurrent misses for a key', async () => {
    const { get, next } = setup();
    const [a, b] = await Promise.all([get('k'), get('k')]);
    expect(a).toBe(b);
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('does not share calls with singleFlight false', async () => {
    const { get, next } = setup({ singleFlight: false });
    await Promise.all([get('k'), get('k')]);
    expect(next).toHaveBeenCalledTimes(2);
  });

  it('serves a stale value within staleWhileRevalidateMs while one refresh runs', async () => {
    const { get, next, env } = setup({ ttlMs: 100, staleWhileRevalidateMs: 1000 });
    const events = recordEvents(env, 'cache');
    await get(1);
    vi.advanceTimersByTime(150);
    const first = get(1);
    const second = get(1);
    await expect(first).resolves.toBe('value 1 for [1]');
    await expect(second).resolves.toBe('value 1 for [1]');
    await vi.advanceTimersByTimeAsync(0);
    expect(next).toHaveBeenCalledTimes(2);
    await expect(get(1)).resolves.toBe('value 2 for [1]');
    expect(events.map(([, e]) => (e as { result: string }).result)).toEqual(['miss', 'stale', 'stale', 'hit']);
  });

  it('keeps the stale value when the refresh fails, and reports it', async () => {
    const { policy, env } = setup({ ttlMs: 100, staleWhileRevalidateMs: 1000 });
    const events = recordEvents(env, 'refreshError');
    await policy.execute(newCall([1]), async () => 'good');
    vi.advanceTimersByTime(150);
    await expect(policy.execute(newCall([1]), async () => { throw new Error('down'); })).resolves.toBe('good');
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toHaveLength(1);
    await expect(policy.execute(newCall([1]), async () => 'new')).resolves.toBe('good');
  });

  it('does not cache errors by default', async () => {
    const { policy } = setup();
    const failing = vi.fn(async () => { throw new Error('down'); });
    await expect(policy.execute(newCall([1]), failing)).rejects.toThrow('down');
    await expect(policy.execute(newCall([1]), failing)).rejects.toThrow('down');
    expect(failing).toHaveBeenCalledTimes(2);
  });

  it('caches errors with cacheErrors', async () => {
    const { policy } = setup({ cacheErrors: true });
    const failing = vi.fn(async () => { throw new Error('down'); });
    await expect(policy.execute(newCall([1]), failing)).rejects.toThrow('down');
    await expect(policy.execute(newCall([1]), failing)).rejects.toThrow('down');
    expect(failing).toHaveBeenCalledTimes(1);
  });

  it('does not cache resil’s own refusals even with cacheErrors', async () => {
    const { policy } = setup({ cacheErrors: true });
    const refuse = vi.fn(async () => { throw new BrokenCircuitError('Svc.call#circuitBreaker', 10); });
    await expect(policy.execute(newCall([1]), refuse)).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    await expect(policy.execute(newCall([1]), async () => 'recovered')).resolves.toBe('recovered');
  });

  it('refreshes a stale entry of a sync method after answering, not inline', async () => {
    const { policy } = setup({ ttlMs: 100, staleWhileRevalidateMs: 1000 });
    let n = 0;
    const next = vi.fn(() => ++n);
    expect(policy.execute(newCall([1]), next)).toBe(1);
    vi.advanceTimersByTime(150);
    expect(policy.execute(newCall([1]), next)).toBe(1);
    expect(next).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(next).toHaveBeenCalledTimes(2);
    expect(policy.execute(newCall([1]), next)).toBe(2);
  });

  it('keys on a parameter path', async () => {
    const { get, next } = setup({ key: 'req.user.id' }, { paramNames: ['req'] });
    await get({ user: { id: 7 }, trace: 'a' });
    await get({ user: { id: 7 }, trace: 'b' });
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('keys on a function of the arguments', async () => {
    const { get, next } = setup({ key: (a: string) => a.toLowerCase() });
    await get('ABC');
    await get('abc');
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('leaves the AbortSignal argument out of the key', async () => {
    const { get, next } = setup({}, { signalIndex: 1 });
    await get('a', new AbortController().signal);
    await get('a', new AbortController().signal);
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('rejects a key naming no parameter at construction', () => {
    expect(() => setup({ key: 'nope' }, { paramNames: ['id'] })).toThrow("key 'nope' names no parameter; parameters are id");
  });

  it('stays synchronous for a synchronous method', () => {
    const { policy } = setup();
    const next = vi.fn(() => 'sync');
    expect(policy.execute(newCall([1]), next)).toBe('sync');
    expect(policy.execute(newCall([1]), next)).toBe('sync');
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('does not keep an answer produced by a fallback', async () => {
    const { policy } = setup();
    await policy.execute(newCall([1]), async (call) => {
      call.fromFallback = true;
      return 'fallback';
    });
    expect(policy.state().size).toBe(0);
  });

  it('invalidates one key and clears all', async () => {
    const { get, next, policy } = setup();
    await get(1);
    await get(2);
    expect(policy.invalidate(1)).toBe(true);
    await get(1);
    expect(next).toHaveBeenCalledTimes(3);
    policy.clear();
    expect(policy.state().size).toBe(0);
  });

  it('refuses the redis store, which this version does not include', () => {
    expect(() => setup({ store: 'redis' })).toThrow("store 'redis' requires the resil/redis store");
  });
});
