import { describe, expect, it } from 'vitest';
import { fixedWindow } from '../../../../src/policies/limiters/fixed-window.js';
import { MEMORY_LIMITER_MAX_KEYS, MemoryLimiterStore } from '../../../../src/stores/memory-limiter-store.js';

const oncePerSecond = () => fixedWindow({ limit: 1, intervalMs: 1000, burst: 1 });

describe('MemoryLimiterStore', () => {
  it('keeps state per key', () => {
    const store = new MemoryLimiterStore(oncePerSecond());
    expect([store.take('a', 0).admitted, store.take('b', 0).admitted, store.take('a', 0).admitted]).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('returns the refusal with its retryAfterMs', () => {
    const store = new MemoryLimiterStore(oncePerSecond());
    store.take('a', 100);
    expect(store.take('a', 100)).toMatchObject({ admitted: false, retryAfterMs: 900 });
  });

  it('counts the keys it holds', () => {
    const store = new MemoryLimiterStore(oncePerSecond());
    store.take('a', 0);
    store.take('b', 0);
    expect(store.size()).toBe(2);
  });

  it('forgets every key on clear', () => {
    const store = new MemoryLimiterStore(oncePerSecond());
    store.take('a', 0);
    store.clear();
    expect([store.size(), store.take('a', 0).admitted]).toEqual([0, true]);
  });

  it('evicts the least recently used key beyond maxKeys, which then starts full', () => {
    const store = new MemoryLimiterStore(oncePerSecond(), { maxKeys: 2 });
    store.take('a', 0);
    store.take('b', 0);
    store.take('c', 0);
    expect([store.size(), store.take('a', 0).admitted, store.take('c', 0).admitted]).toEqual([2, true, false]);
  });

  it('bounds keys at 100 000 by default', () => {
    expect(MEMORY_LIMITER_MAX_KEYS).toBe(100_000);
  });
});
