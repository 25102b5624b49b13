import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Bulkhead, CircuitBreaker, configure, DeadLetter, HEALTH_THRESHOLDS, RateLimit, registry, type HealthReport } from '../../../src/index.js';
import type { CircuitBreakerHandle } from '../../../src/policies/circuit-breaker.js';
import { runtime } from '../../../src/runtime.js';

afterEach(() => {
  runtime.lifecycle.draining = false;
  configure({ deadLetterDir: '.resil' });
});

const check = (report: HealthReport, key: string) => report.checks[key]?.[0];

/** Statuses of every check, to test the score against. */
const counts = (report: HealthReport) => {
  const all = Object.values(report.checks).flat();
  return { warn: all.filter((c) => c.status === 'warn').length, fail: all.filter((c) => c.status === 'fail').length };
};

function breakerClass() {
  class Inventory {
    up = false;
    @CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000 })
    async lookup(): Promise<string> {
      if (!this.up) throw new Error('down');
      return 'ok';
    }
  }
  return new Inventory();
}

describe('health of a circuit breaker', () => {
  const KEY = 'Inventory.lookup#circuitBreaker:state';

  it('passes closed, warns open and half-open, and passes again once closed', async () => {
    vi.useFakeTimers();
    const inventory = breakerClass();
    let report = await registry.health();
    expect(report.status).toBe('pass');
    expect(report.score).toBe(100);
    expect(check(report, KEY)).toMatchObject({ componentType: 'circuitBreaker', observedValue: 'closed', status: 'pass' });
    expect(check(report, KEY)).not.toHaveProperty('output');

    await expect(inventory.lookup()).rejects.toThrow('down');
    report = await registry.health();
    expect(report.status).toBe('warn');
    expect(report.score).toBe(90);
    expect(check(report, KEY)).toMatchObject({ observedValue: 'open', status: 'warn', output: 'circuit is open' });

    vi.advanceTimersByTime(1000);
    report = await registry.health();
    expect(report.status).toBe('warn');
    expect(check(report, KEY)).toMatchObject({ observedValue: 'half-open', status: 'warn', output: 'circuit is half-open' });

    inventory.up = true;
    // Three trial calls (halfOpenMaxCalls' default) must succeed; until then it stays half-open.
    await inventory.lookup();
    expect(check(await registry.health(), KEY)).toMatchObject({ observedValue: 'half-open', status: 'warn' });
    await inventory.lookup();
    await inventory.lookup();
    report = await registry.health();
    expect(report.status).toBe('pass');
    expect(report.score).toBe(100);
    expect(check(report, KEY)).toMatchObject({ observedValue: 'closed', status: 'pass' });
  });

  it('warns for an isolated breaker', async () => {
    breakerClass();
    (registry.get('Inventory.lookup#circuitBreaker') as CircuitBreakerHandle).isolate();
    const report = await registry.health();
    expect(check(report, KEY)).toMatchObject({ observedValue: 'open', status: 'warn', output: 'circuit is isolated' });
  });

  it('fails for an open critical breaker; readiness fails and liveness passes', async () => {
    class Payments {
      @CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000, critical: true })
      async charge(): Promise<void> {
        throw new Error('gateway down');
      }
    }
    const payments = new Payments();
    expect(registry.readiness()).toEqual({ status: 'pass' });
    await expect(payments.charge()).rejects.toThrow('gateway down');
    const report = await registry.health();
    expect(report.status).toBe('fail');
    expect(report.score).toBe(60);
    expect(check(report, 'Payments.charge#circuitBreaker:state')).toMatchObject({ status: 'fail', output: 'circuit is open (critical)' });
    expect(registry.readiness()).toEqual({ status: 'fail', output: 'critical circuit Payments.charge#circuitBreaker is open' });
    expect(registry.liveness()).toEqual({ status: 'pass' });
  });

  it('only warns for a critical breaker that is half-open, and readiness passes again', async () => {
    vi.useFakeTimers();
    class Payments {
      @CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 1000, critical: true })
      async charge(): Promise<void> {
        throw new Error('gateway down');
      }
    }
    await expect(new Payments().charge()).rejects.toThrow();
    vi.advanceTimersByTime(1000);
    const report = await registry.health();
    expect(check(report, 'Payments.charge#circuitBreaker:state')).toMatchObject({ observedValue: 'half-open', status: 'warn' });
    expect(registry.readiness()).toEqual({ status: 'pass' });
  });
});

describe('health of other policies', () => {
  it(`warns when a limiter refused at least ${HEALTH_THRESHOLDS.rateLimitedWarnPercent}% of calls in the last minute`, async () => {
    vi.useFakeTimers();
    class Api {
      @RateLimit({ limit: 2, intervalMs: 60_000 })
      async call(): Promise<void> {}
    }
    const api = new Api();
    const KEY = 'Api.call#rateLimit:rejections';
    const attempt = () => api.call().catch(() => 'refused');
    await attempt();
    await attempt();
    await attempt(); // 1 of 3 refused
    expect(check(await registry.health(), KEY)).toMatchObject({ observedValue: 33, observedUnit: 'percent', status: 'pass' });
    await attempt(); // 2 of 4
    expect(check(await registry.health(), KEY)).toMatchObject({ observedValue: 50, status: 'warn', output: '50% of calls refused in the last minute' });
    // A minute later only the new calls count: two admitted, none refused.
    vi.advanceTimersByTime(61_000);
    await attempt();
    await attempt();
    expect(check(await registry.health(), KEY)).toMatchObject({ observedValue: 0, status: 'pass' });
  });

  it('warns while every slot of a bulkhead without a queue is busy', async () => {
    class Narrow {
      release: (() => void)[] = [];
      @Bulkhead({ maxConcurrent: 1 })
      async call(): Promise<void> {
        await new Promise<void>((resolve) => this.release.push(resolve));
      }
    }
    const n = new Narrow();
    const KEY = 'Narrow.call#bulkhead:saturation';
    const first = n.call();
    await expect(n.call()).rejects.toMatchObject({ code: 'BULKHEAD_FULL' });
    expect(check(await registry.health(), KEY)).toMatchObject({ observedValue: 100, status: 'warn', output: 'all 1 slots busy' });
    n.release.shift()!();
    await first;
    expect(check(await registry.health(), KEY)).toMatchObject({ observedValue: 0, status: 'pass' });
  });

  it('warns while a bulkhead has calls queued', async () => {
    class Narrow {
      release: (() => void)[] = [];
      @Bulkhead({ maxConcurrent: 1, maxQueue: 1 })
      async call(): Promise<void> {
        await new Promise<void>((resolve) => this.release.push(resolve));
      }
    }
    const n = new Narrow();
    const KEY = 'Narrow.call#bulkhead:saturation';
    const first = n.call();
    expect(check(await registry.health(), KEY)).toMatchObject({ observedValue: 100, observedUnit: 'percent', status: 'warn', output: 'all 1 slots busy' });
    const second = n.call();
    expect(check(await registry.health(), KEY)).toMatchObject({ status: 'warn', output: '1 call waiting for a slot' });
    n.release.shift()!();
    await first;
    await vi.waitFor(() => expect(n.release).toHaveLength(1));
    n.release.shift()!();
    await second;
    expect(check(await registry.health(), KEY)).toMatchObject({ observedValue: 0, status: 'pass' });
  });

  it('warns while dead letters wait for replay', async () => {
    configure({ deadLetterDir: mkdtempSync(join(tmpdir(), 'resil-health-')) });
    class Carrier {
      @DeadLetter()
      async book(order: string): Promise<void> {
        throw new Error(`cannot book ${order}`);
      }
    }
    const KEY = 'Carrier.book#deadLetter:entries';
    const carrier = new Carrier();
    expect(check(await registry.health(), KEY)).toMatchObject({ observedValue: 0, status: 'pass' });
    await expect(carrier.book('A-1')).rejects.toThrow();
    await expect(carrier.book('A-2')).rejects.toThrow();
    expect(check(await registry.health(), KEY)).toMatchObject({ observedValue: 2, status: 'warn', output: '2 failed calls waiting for replay' });
    await (registry.get('Carrier.book#deadLetter') as unknown as { purge(): Promise<number> }).purge();
    expect(check(await registry.health(), KEY)).toMatchObject({ observedValue: 0, status: 'pass' });
  });

  it('reports a dead-letter store it cannot read as a warning check instead of failing the report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'resil-health-'));
    // The store's folder is a file: every read fails with ENOTDIR.
    writeFileSync(join(dir, 'dead-letters'), 'not a folder');
    configure({ deadLetterDir: dir });
    class Carrier {
      @DeadLetter()
      async book(): Promise<void> {}
    }
    void Carrier;
    const report = await registry.health();
    expect(check(report, 'Carrier.book#deadLetter:entries')).toMatchObject({
      status: 'warn',
      observedValue: 'unknown',
      output: expect.stringMatching(/^cannot read the dead-letter store: .*ENOTDIR/),
    });
  });
});

describe('health of the process', () => {
  it('fails while draining, with a process:draining check counting calls in flight', async () => {
    class Slow {
      done!: () => void;
      @CircuitBreaker()
      async call(): Promise<void> {
        await new Promise<void>((resolve) => (this.done = resolve));
      }
    }
    const slow = new Slow();
    // Calls other tests left pending count too: expect one more than before.
    const before = runtime.lifecycle.inFlight;
    const pending = slow.call();
    runtime.lifecycle.draining = true;
    const report = await registry.health();
    expect(report.status).toBe('fail');
    expect(check(report, 'process:draining')).toMatchObject({
      componentId: 'process',
      componentType: 'system',
      observedValue: before + 1,
      observedUnit: 'calls in flight',
      status: 'fail',
      output: 'the process is shutting down',
    });
    expect(registry.readiness()).toEqual({ status: 'fail', output: 'the process is shutting down' });
    expect(registry.liveness()).toEqual({ status: 'pass' });
    slow.done();
    await pending;
  });

  it('checks event-loop delay and heap use', async () => {
    const report = await registry.health();
    expect(check(report, 'eventLoop:delay')).toMatchObject({ componentId: 'process', observedValue: expect.any(Number), observedUnit: 'ms', status: 'pass' });
    expect(check(report, 'heap:utilization')).toMatchObject({ componentId: 'process', observedValue: expect.any(Number), observedUnit: 'percent' });
    expect(report).toMatchObject({ description: expect.any(String) });
  });
});

describe('health score', () => {
  it('is 100 − 10 per warn − 40 per fail, and the status is the worst check', async () => {
    class Deps {
      @CircuitBreaker({ failureThreshold: 1 })
      async a(): Promise<void> {
        throw new Error('a');
      }
      @CircuitBreaker({ failureThreshold: 1 })
      async b(): Promise<void> {
        throw new Error('b');
      }
      @CircuitBreaker({ failureThreshold: 1, critical: true })
      async c(): Promise<void> {
        throw new Error('c');
      }
    }
    const deps = new Deps();
    await expect(deps.a()).rejects.toThrow();
    await expect(deps.b()).rejects.toThrow();
    let report = await registry.health();
    expect(counts(report)).toEqual({ warn: 2, fail: 0 });
    expect(report).toMatchObject({ status: 'warn', score: 80 });
    await expect(deps.c()).rejects.toThrow();
    report = await registry.health();
    expect(counts(report)).toEqual({ warn: 2, fail: 1 });
    expect(report).toMatchObject({ status: 'fail', score: 40 });
    runtime.lifecycle.draining = true;
    report = await registry.health();
    expect(counts(report)).toEqual({ warn: 2, fail: 2 });
    expect(report).toMatchObject({ status: 'fail', score: 0 });
  });

  it('never goes below 0', async () => {
    class Deps {
      @CircuitBreaker({ failureThreshold: 1, critical: true })
      async a(): Promise<void> {
        throw new Error('a');
      }
      @CircuitBreaker({ failureThreshold: 1, critical: true })
      async b(): Promise<void> {
        throw new Error('b');
      }
      @CircuitBreaker({ failureThreshold: 1, critical: true })
      async c(): Promise<void> {
        throw new Error('c');
      }
    }
    const deps = new Deps();
    for (const m of ['a', 'b', 'c'] as const) await expect(deps[m]()).rejects.toThrow();
    const report = await registry.health();
    expect(counts(report).fail).toBe(3);
    expect(report.score).toBe(0);
  });
});
