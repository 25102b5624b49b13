import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import client from 'prom-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  Bulkhead,
  Cached,
  CircuitBreaker,
  configure,
  DeadLetter,
  Fallback,
  RateLimit,
  registry,
  Retry,
  Timeout,
} from '../../../src/index.js';
import { DURATION_BUCKETS_SECONDS } from '../../../src/registry/metrics.js';

/** One sample of the exposition: name, labels and value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus text into samples (label values here never hold quotes or commas). */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) labels[k!] = v!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

/** The value of the one sample with exactly these labels, or undefined. */
async function value(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const wanted = JSON.stringify(Object.entries(labels).sort());
  const found = parse(await registry.metrics()).filter(
    (s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === wanted,
  );
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0]?.value;
}

const down = () => Promise.reject(new Error('down'));

beforeEach(() => vi.useFakeTimers());
afterEach(() => configure({ deadLetterDir: '.resil' }));

describe('registry.metrics()', () => {
  it('counts calls per policy by disjoint outcomes, with timeout and fallback outcomes', async () => {
    class Api {
      @CircuitBreaker({ failureThreshold: 2 })
      async call(ok: boolean): Promise<string> {
        return ok ? 'up' : down().then(() => '');
      }
      @Timeout(50)
      async slow(): Promise<void> {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      @Fallback({ value: 'spare' })
      async flaky(): Promise<string> {
        return down().then(() => '');
      }
    }
    const api = new Api();
    await api.call(true);
    for (let i = 0; i < 2; i++) await expect(api.call(false)).rejects.toThrow('down');
    await expect(api.call(true)).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    const slow = expect(api.slow()).rejects.toMatchObject({ code: 'TIMEOUT' });
    await vi.advanceTimersByTimeAsync(50);
    await slow;
    await expect(api.flaky()).resolves.toBe('spare');

    const breaker = 'Api.call#circuitBreaker';
    expect(await value('resil_calls_total', { policy: breaker, outcome: 'success' })).toBe(1);
    expect(await value('resil_calls_total', { policy: breaker, outcome: 'failure' })).toBe(2);
    expect(await value('resil_calls_total', { policy: breaker, outcome: 'rejected' })).toBe(1);
    expect(await value('resil_calls_total', { policy: breaker, outcome: 'timeout' })).toBeUndefined();
    expect(await value('resil_calls_total', { policy: 'Api.slow#timeout', outcome: 'timeout' })).toBe(1);
    expect(await value('resil_calls_total', { policy: 'Api.slow#timeout', outcome: 'failure' })).toBe(0);
    expect(await value('resil_calls_total', { policy: 'Api.flaky#fallback', outcome: 'failure' })).toBe(0);
    expect(await value('resil_calls_total', { policy: 'Api.flaky#fallback', outcome: 'fallback' })).toBe(1);
  });

  it('counts retries', async () => {
    class Api {
      attempts = 0;
      @Retry({ maxAttempts: 3, baseDelayMs: 10, jitter: 'none' })
      async call(): Promise<string> {
        if (++this.attempts < 3) throw new Error('again');
        return 'ok';
      }
    }
    const outcome = new Api().call();
    await vi.advanceTimersByTimeAsync(1000);
    await expect(outcome).resolves.toBe('ok');
    expect(await value('resil_retries_total', { policy: 'Api.call#retry' })).toBe(2);
  });

  it('reports the circuit state and counts transitions, an open → half-open move in the scrape that makes it', async () => {
    class Api {
      @CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 })
      async call(): Promise<void> {
        await down();
      }
    }
    const id = 'Api.call#circuitBreaker';
    expect(await value('resil_circuit_state', { policy: id, state: 'closed' })).toBe(1);
    await expect(new Api().call()).rejects.toThrow('down');
    expect(await value('resil_circuit_state', { policy: id, state: 'open' })).toBe(1);
    expect(await value('resil_circuit_state', { policy: id, state: 'closed' })).toBe(0);
    expect(await value('resil_circuit_transitions_total', { policy: id, from: 'closed', to: 'open' })).toBe(1);
    vi.advanceTimersByTime(1000);
    const samples = parse(await registry.metrics());
    expect(samples).toContainEqual({ name: 'resil_circuit_state', labels: { policy: id, state: 'half-open' }, value: 1 });
    expect(samples).toContainEqual({ name: 'resil_circuit_transitions_total', labels: { policy: id, from: 'open', to: 'half-open' }, value: 1 });
  });

  it('counts rate-limit refusals and cache lookups by result', async () => {
    class Api {
      @RateLimit({ limit: 1, intervalMs: 1000 })
      async limited(): Promise<void> {}
      @Cached({ ttlMs: 100, staleWhileRevalidateMs: 1000 })
      async cached(n: number): Promise<number> {
        return n;
      }
    }
    const api = new Api();
    await api.limited();
    await expect(api.limited()).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    await api.cached(1); // miss
    await api.cached(1); // hit
    vi.advanceTimersByTime(150);
    await api.cached(1); // stale
    expect(await value('resil_rate_limited_total', { policy: 'Api.limited#rateLimit' })).toBe(1);
    for (const [result, n] of [['hit', 1], ['miss', 1], ['stale', 1]] as const) {
      expect(await value('resil_cache_requests_total', { policy: 'Api.cached#cache', result })).toBe(n);
    }
  });

  it('shows bulkhead occupancy while calls run', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    class Api {
      @Bulkhead({ maxConcurrent: 1, maxQueue: 2 })
      async call(): Promise<void> {
        await gate;
      }
    }
    const api = new Api();
    const calls = [api.call(), api.call(), api.call()];
    await vi.advanceTimersByTimeAsync(0);
    expect(await value('resil_bulkhead_active', { policy: 'Api.call#bulkhead' })).toBe(1);
    expect(await value('resil_bulkhead_queued', { policy: 'Api.call#bulkhead' })).toBe(2);
    release();
    await Promise.all(calls);
    expect(await value('resil_bulkhead_active', { policy: 'Api.call#bulkhead' })).toBe(0);
    expect(await value('resil_bulkhead_queued', { policy: 'Api.call#bulkhead' })).toBe(0);
  });

  it('counts stored dead letters', async () => {
    vi.useRealTimers();
    configure({ deadLetterDir: mkdtempSync(join(tmpdir(), 'resil-metrics-')) });
    class Jobs {
      @DeadLetter()
      async run(_job: string): Promise<void> {
        await down();
      }
    }
    expect(await value('resil_dead_letters', { policy: 'Jobs.run#deadLetter' })).toBe(0);
    await expect(new Jobs().run('a')).rejects.toThrow('down');
    await expect(new Jobs().run('b')).rejects.toThrow('down');
    expect(await value('resil_dead_letters', { policy: 'Jobs.run#deadLetter' })).toBe(2);
  });

  it('times each decorated call into the histogram, labelled with the method id', async () => {
    class Api {
      @CircuitBreaker()
      async call(ms: number): Promise<void> {
        await new Promise((resolve) => setTimeout(resolve, ms));
      }
    }
    await registry.metrics(); // metrics start timing calls when first asked for
    const api = new Api();
    for (const ms of [3, 20, 2000]) {
      const call = api.call(ms);
      await vi.advanceTimersByTimeAsync(ms);
      await call;
    }
    const bucket = (le: string) => value('resil_call_duration_seconds_bucket', { policy: 'Api.call', le });
    expect(await bucket('0.0025')).toBe(0);
    expect(await bucket('0.005')).toBe(1);
    expect(await bucket('0.025')).toBe(2);
    expect(await bucket('2.5')).toBe(3);
    expect(await bucket('+Inf')).toBe(3);
    expect(await value('resil_call_duration_seconds_count', { policy: 'Api.call' })).toBe(3);
    expect(await value('resil_call_duration_seconds_sum', { policy: 'Api.call' })).toBeCloseTo(2.023);
    const les = parse(await registry.metrics())
      .filter((s) => s.name === 'resil_call_duration_seconds_bucket')
      .map((s) => s.labels.le);
    expect(les).toEqual([...DURATION_BUCKETS_SECONDS.map(String), '+Inf']);
  });

  it('labels series with policy ids, outcomes and states only: never arguments or rate-limit keys', async () => {
    class Api {
      @RateLimit({ limit: 1, key: 'tenant' })
      @Cached()
      @Retry({ maxAttempts: 2, baseDelayMs: 1 })
      async call(tenant: string, secret: string): Promise<string> {
        return tenant + secret;
      }
    }
    await registry.metrics();
    const api = new Api();
    await api.call('tenant-acme', 'arg-s3cr3t');
    await expect(api.call('tenant-acme', 'arg-other')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    const text = await registry.metrics();
    expect(text).not.toMatch(/tenant-acme|arg-s3cr3t|arg-other/);
    const allowed = new Set(['policy', 'outcome', 'state', 'from', 'to', 'result', 'le']);
    for (const s of parse(text)) for (const label of Object.keys(s.labels)) expect(allowed).toContain(label);
  });

  it('merges into the user’s own prom-client registry', async () => {
    class Api {
      @Retry()
      async call(): Promise<void> {}
    }
    const resil = registry.prometheus();
    // Called after the metrics exist, so the duration histogram has a sample to merge.
    await new Api().call();
    const mine = new client.Registry();
    new client.Counter({ name: 'app_orders_total', help: 'Orders.', registers: [mine] }).inc(3);
    const merged = client.Registry.merge([mine, resil]);
    const text = await merged.metrics();
    expect(text).toContain('app_orders_total 3');
    expect(text).toContain('resil_calls_total{policy="Api.call#retry",outcome="success"} 1');
    expect(text).toContain('# TYPE resil_call_duration_seconds histogram');
    expect(text).toContain('resil_call_duration_seconds_count{policy="Api.call"} 1');
    expect(text).toContain('resil_call_duration_seconds_bucket{policy="Api.call",le="+Inf"} 1');
    const json = await merged.getMetricsAsJSON();
    expect(json.find((m) => m.name === 'resil_call_duration_seconds')?.values).toContainEqual(
      expect.objectContaining({ metricName: 'resil_call_duration_seconds_count', value: 1 }),
    );
  });

  it('leaves the global default prom-client registry empty', async () => {
    class Api {
      @CircuitBreaker()
      async call(): Promise<void> {}
    }
    await new Api().call();
    await registry.metrics();
    // The same prom-client instance resil loads, so its default registry is the one checked.
    expect((createRequire(import.meta.url)('prom-client') as typeof client).register).toBe(client.register);
    expect(client.register.getMetricsAsArray()).toEqual([]);
    expect((await client.register.metrics()).trim()).toBe('');
  });

  it('names its content type', () => {
    expect(registry.metricsContentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('starts afresh after registry.clear(): the old metrics stop timing calls', async () => {
    class Api {
      @CircuitBreaker()
      async call(): Promise<void> {}
    }
    await new Api().call();
    const before = registry.prometheus();
    registry.clear();
    const after = registry.prometheus();
    class Api2 {
      @CircuitBreaker()
      async call(): Promise<void> {}
    }
    await new Api2().call();
    expect(after).not.toBe(before);
    expect(await before.metrics()).not.toContain('resil_call_duration_seconds_count{policy="Api2.call"}');
    expect(await after.metrics()).toContain('resil_call_duration_seconds_count{policy="Api2.call"} 1');
    expect(await after.metrics()).not.toContain('"Api.call#circuitBreaker"');
  });
});
