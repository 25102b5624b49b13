import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
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
  Validated,
} from '../../src/index.js';

const PROMTOOL = '/usr/bin/promtool';

afterEach(() => configure({ deadLetterDir: '.resil' }));

/** A service using every decorator, driven so that every metric has series. */
async function busyFixture(): Promise<void> {
  class Shop {
    attempts = 0;

    @Validated()
    @Cached({ ttlMs: 10, staleWhileRevalidateMs: 60_000 })
    @Fallback('backup')
    @DeadLetter()
    @Retry({ maxAttempts: 3, baseDelayMs: 1, jitter: 'none' })
    @CircuitBreaker({ failureThreshold: 3, resetTimeoutMs: 60_000 })
    @RateLimit({ limit: 50, intervalMs: 60_000, key: 'id' })
    @Timeout(1000)
    @Bulkhead({ maxConcurrent: 2, maxQueue: 10 })
    async order(id: string): Promise<string> {
      this.attempts++;
      if (id.startsWith('fail')) throw new Error(`failed ${id}`);
      return `${id} done`;
    }

    backup(id: string): string {
      return `${id} from backup`;
    }

    // A shared breaker whose name needs escaping in the exposition.
    @CircuitBreaker({ name: 'payments "eu" \\ v2', failureThreshold: 1 })
    async pay(ok: boolean): Promise<void> {
      if (!ok) throw new Error('declined');
    }

    @DeadLetter()
    @Timeout(5)
    async lost(): Promise<void> {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  await registry.metrics(); // time the calls below too
  const shop = new Shop();
  await Promise.all(['a', 'a', 'b', 'fail-1', 'fail-2', 'fail-3', 'c'].map((id) => shop.order(id)));
  await shop.order('a');
  await new Promise((resolve) => setTimeout(resolve, 20));
  await shop.order('a'); // stale
  await shop.pay(true);
  await shop.pay(false).catch(() => undefined);
  await shop.pay(true).catch(() => undefined); // refused: open
  await shop.lost().catch(() => undefined);
}

describe('promtool check metrics', () => {
  it('finds no problem in the metrics of a busy service', async () => {
    expect(
      existsSync(PROMTOOL),
      `${PROMTOOL} is missing: install Debian's prometheus package (apt-get install -y prometheus), as .ci/run does`,
    ).toBe(true);
    vi.useRealTimers();
    configure({ deadLetterDir: mkdtempSync(join(tmpdir(), 'resil-promtool-')) });
    await busyFixture();
    const text = await registry.metrics();
    for (const name of [
      'resil_calls_total',
      'resil_call_duration_seconds_bucket',
      'resil_retries_total',
      'resil_circuit_state',
      'resil_circuit_transitions_total',
      'resil_rate_limited_total',
      'resil_cache_requests_total',
      'resil_bulkhead_active',
      'resil_bulkhead_queued',
      'resil_dead_letters',
    ]) {
      expect(text).toMatch(new RegExp(`^${name}\\{`, 'm'));
    }
    const file = join(mkdtempSync(join(tmpdir(), 'resil-metrics-')), 'metrics.txt');
    writeFileSync(file, text);
    const result = spawnSync(PROMTOOL, ['check', 'metrics'], { input: readFileSync(file), encoding: 'utf8' });
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
  });
});
