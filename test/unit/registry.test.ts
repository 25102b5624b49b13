import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Bulkhead, Cached, CircuitBreaker, configure, DeadLetter, registry, Retry } from '../../src/index.js';
import type { CircuitBreakerHandle } from '../../src/policies/circuit-breaker.js';
import type { PolicyHandle } from '../../src/policies/policy.js';

afterEach(() => configure({ deadLetterDir: '.resil' }));

describe('registry', () => {
  it('lists descriptors with effective options', () => {
    class Shop {
      @Retry({ maxAttempts: 5 })
      async charge(): Promise<void> {}
    }
    void Shop;
    expect(registry.policies()).toEqual([
      {
        id: 'Shop.charge#retry',
        kind: 'retry',
        method: 'Shop.charge',
        methods: ['Shop.charge'],
        options: { maxAttempts: 5, backoff: 'exponential', baseDelayMs: 100, maxDelayMs: 30_000, multiplier: 2, jitter: 'full' },
      },
    ]);
  });

  it('gives undefined for an unknown id, and getOrThrow names what exists', () => {
    expect(registry.get('Nope.x#retry')).toBeUndefined();
    expect(() => registry.getOrThrow('Nope.x#retry')).toThrow("no policy 'Nope.x#retry'");
  });

  it('resets and isolates a breaker through its handle, with events', async () => {
    class Api {
      @CircuitBreaker({ failureThreshold: 1 })
      async call(ok: boolean): Promise<string> {
        if (!ok) throw new Error('down');
        return 'up';
      }
    }
    const api = new Api();
    const changes: string[] = [];
    registry.on('stateChange', (e) => changes.push(`${e.from}->${e.to}:${e.reason}`));
    const breaker = registry.get('Api.call#circuitBreaker') as CircuitBreakerHandle;
    await expect(api.call(false)).rejects.toThrow('down');
    expect(breaker.state().state).toBe('open');
    breaker.reset();
    await expect(api.call(true)).resolves.toBe('up');
    breaker.isolate();
    await expect(api.call(true)).rejects.toMatchObject({ code: 'CIRCUIT_OPEN', isolated: true });
    expect(breaker.state()).toMatchObject({ state: 'open', isolated: true });
    expect(changes).toEqual(['closed->open:failures', 'open->closed:reset', 'closed->open:isolate']);
    expect(breaker.stats()).toMatchObject({ calls: 3, successes: 1, failures: 1, rejections: 1 });
  });

  it('invalidates and clears a cache through its handle', async () => {
    class Catalog {
      loads = 0;
      @Cached()
      async item(id: number): Promise<string> {
        this.loads++;
        return `item ${id}`;
      }
    }
    const c = new Catalog();
    const cache = registry.get('Catalog.item#cache') as PolicyHandle<{ size: number; hits: number; misses: number }> & {
      invalidate(...args: unknown[]): boolean;
      clear(): void;
    };
    await c.item(1);
    await c.item(1);
    expect(cache.state()).toEqual({ size: 1, hits: 1, misses: 1 });
    cache.invalidate(1);
    await c.item(1);
    expect(c.loads).toBe(2);
    cache.clear();
    expect(cache.state().size).toBe(0);
  });

  it('shows a bulkhead’s active and queued calls', async () => {
    class Narrow {
      release!: () => void;
      @Bulkhead({ maxConcurrent: 1, maxQueue: 1 })
      async call(): Promise<void> {
        await new Promise<void>((resolve) => (this.release = resolve));
      }
    }
    const n = new Narrow();
    const first = n.call();
    const second = n.call();
    expect(registry.get('Narrow.call#bulkhead')!.state()).toEqual({ active: 1, queued: 1 });
    n.release();
    await first;
    await vi.waitFor(() => expect(registry.get('Narrow.call#bulkhead')!.state()).toEqual({ active: 1, queued: 0 }));
    n.release();
    await second;
  });

  it('lists, replays and purges dead letters through the handle', async () => {
    configure({ deadLetterDir: mkdtempSync(join(tmpdir(), 'resil-registry-')) });
    class Mailer {
      healthy = false;
      @DeadLetter()
      async send(to: string): Promise<string> {
        if (!this.healthy) throw new Error(`cannot reach ${to}`);
        return `sent to ${to}`;
      }
    }
    const mailer = new Mailer();
    await expect(mailer.send('a@example.test')).rejects.toThrow('cannot reach');
    await expect(mailer.send('b@example.test')).rejects.toThrow('cannot reach');
    const dlq = registry.get('Mailer.send#deadLetter') as PolicyHandle & {
      list(): Promise<{ id: string; args: unknown[]; error: { message: string } }[]>;
      replay(id: string, instance: object): Promise<unknown>;
      purge(): Promise<number>;
    };
    const entries = await dlq.list();
    expect(entries.map((e) => e.args)).toEqual([['a@example.test'], ['b@example.test']]);
    expect(entries[0]!.error.message).toBe('cannot reach a@example.test');
    mailer.healthy = true;
    await expect(dlq.replay(entries[0]!.id, mailer)).resolves.toBe('sent to a@example.test');
    expect((await dlq.list()).map((e) => e.args)).toEqual([['b@example.test']]);
    await expect(dlq.purge()).resolves.toBe(1);
    expect(await dlq.list()).toEqual([]);
  });

  it('emits attempt, retry, rejection and fallback events', async () => {
    vi.useFakeTimers();
    const seen: string[] = [];
    for (const type of ['attempt', 'retry', 'rejection'] as const) registry.on(type, () => seen.push(type));
    class Flaky {
      n = 0;
      @Retry({ maxAttempts: 2, baseDelayMs: 1 })
      async call(): Promise<number> {
        if (++this.n === 1) throw new Error('once');
        return this.n;
      }
    }
    const outcome = new Flaky().call();
    await vi.runAllTimersAsync();
    await expect(outcome).resolves.toBe(2);
    expect(seen).toEqual(['attempt', 'retry', 'attempt']);
  });

  it('stops delivering events after dispose', async () => {
    const seen: unknown[] = [];
    const sub = registry.on('attempt', (e) => seen.push(e));
    sub.dispose();
    class S {
      @Retry()
      async call(): Promise<void> {}
    }
    await new S().call();
    expect(seen).toEqual([]);
  });

  it('is shared by two copies of the package loaded in one process', async () => {
    const dist = pathToFileURL(join(process.cwd(), 'dist', 'src', 'index.js')).href;
    const other = (await import(/* @vite-ignore */ dist)) as typeof import('../../src/index.js');
    expect(other.registry).toBe(registry);
  });
});
