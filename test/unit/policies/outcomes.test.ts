import { describe, expect, it, vi } from 'vitest';
import { Bulkhead, Cached, CircuitBreaker, Fallback, RateLimit, Retry, Timeout, registry } from '../../../src/index.js';

/** Every call a policy saw ends in exactly one outcome counter (what resil_calls_total exports). */
function outcomesOf(id: string): { calls: number; total: number } {
  const s = registry.get(id)!.stats() as unknown as Record<string, number>;
  const total = s.successes! + s.failures! + s.rejections! + (s.fallbacks ?? 0) + (s.ignored ?? 0);
  return { calls: s.calls!, total };
}

/** One slot, a queue of 5, and a 50 ms timeout above it; calls run until `release` lets them finish. */
function queuedBehindTimeout() {
  class B {
    release: (() => void)[] = [];
    @Bulkhead({ maxConcurrent: 1, maxQueue: 5 })
    @Timeout(50)
    async call(signal?: AbortSignal): Promise<void> {
      void signal;
      await new Promise<void>((r) => this.release.push(r));
    }
  }
  return new B();
}

describe('outcome counters', () => {
  it('count cache hits, misses and failures once each', async () => {
    class C {
      n = 0;
      @Cached()
      async get(k: number): Promise<number> {
        if (k < 0) throw new Error('negative');
        return ++this.n;
      }
    }
    const c = new C();
    await Promise.all([c.get(1), c.get(1), c.get(2)]);
    await c.get(1);
    await c.get(-1).catch(() => {});
    expect(outcomesOf('C.get#cache')).toEqual({ calls: 5, total: 5 });
  });

  it('count a call abandoned in the bulkhead queue by its timeout, and one its caller aborted', async () => {
    vi.useFakeTimers();
    const b = queuedBehindTimeout();
    const caller = new AbortController();
    const calls = [b.call().catch(() => {}), b.call().catch(() => {}), b.call(caller.signal).catch(() => {})];
    caller.abort(new Error('gone'));
    await vi.advanceTimersByTimeAsync(50);
    b.release.shift()!();
    await Promise.all(calls);
    expect(outcomesOf('B.call#bulkhead')).toEqual({ calls: 3, total: 3 });
    expect(outcomesOf('B.call#timeout')).toEqual({ calls: 3, total: 3 });
  });

  it('count cached errors and calls joining a failing load as failures', async () => {
    class C {
      @Cached({ cacheErrors: true })
      async get(k: number): Promise<number> {
        throw new Error(`no ${k}`);
      }
    }
    const c = new C();
    await Promise.all([c.get(1).catch(() => {}), c.get(1).catch(() => {})]);
    await c.get(1).catch(() => {});
    expect(registry.get('C.get#cache')!.stats()).toMatchObject({ calls: 3, successes: 0, failures: 3 });
  });

  it('count a queued call a timeout abandons as refused, also when the method takes a signal', async () => {
    vi.useFakeTimers();
    const b = queuedBehindTimeout();
    const calls = [b.call().catch(() => {}), b.call().catch(() => {})];
    await vi.advanceTimersByTimeAsync(50);
    b.release.shift()!();
    await Promise.all(calls);
    expect(registry.get('B.call#bulkhead')!.stats()).toMatchObject({ calls: 2, successes: 1, failures: 0, rejections: 1 });
  });

  it('count a call that arrives at a full bulkhead with its signal already aborted', async () => {
    class B {
      release: (() => void)[] = [];
      @Bulkhead({ maxConcurrent: 1, maxQueue: 1 })
      async call(signal?: AbortSignal): Promise<void> {
        void signal;
        await new Promise<void>((r) => this.release.push(r));
      }
    }
    const b = new B();
    const first = b.call();
    await expect(b.call(AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
    b.release.shift()!();
    await first;
    expect(outcomesOf('B.call#bulkhead')).toEqual({ calls: 2, total: 2 });
  });

  it('count a fallback method that throws as a failure, not a fallback', async () => {
    class F {
      @Fallback('backup')
      async call(): Promise<void> {
        throw new Error('primary');
      }
      async backup(): Promise<void> {
        throw new Error('backup too');
      }
    }
    await expect(new F().call()).rejects.toThrow('backup too');
    expect(registry.get('F.call#fallback')!.stats()).toMatchObject({ calls: 1, failures: 1, fallbacks: 0 });
  });

  it('add up for retry, breaker and rate limit under refusals', async () => {
    vi.useFakeTimers();
    class R {
      @Retry({ maxAttempts: 3, baseDelayMs: 1 })
      @CircuitBreaker({ failureThreshold: 2 })
      @RateLimit({ limit: 4 })
      async call(): Promise<void> {
        throw new Error('down');
      }
    }
    const r = new R();
    const outcomes = [r.call().catch(() => {}), r.call().catch(() => {}), r.call().catch(() => {})];
    await vi.runAllTimersAsync();
    await Promise.all(outcomes);
    for (const kind of ['retry', 'circuitBreaker', 'rateLimit']) {
      const { calls, total } = outcomesOf(`R.call#${kind}`);
      expect(total, kind).toBe(calls);
    }
  });
});
