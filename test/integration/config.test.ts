import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { configuration } from '../../src/config/configuration.js';
import {
  Bulkhead,
  Cached,
  CircuitBreaker,
  config,
  ConfigError,
  configure,
  RateLimit,
  registry,
  Retry,
  type ConfigChangeEvent,
  type ConfigErrorEvent,
  type ConfigWatcher,
} from '../../src/index.js';

afterEach(() => {
  vi.unstubAllEnvs();
  configuration.reset();
});

/** A configuration file in a fresh folder. */
function configFile(doc: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'resil-config-')), 'resil.config.json');
  writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
  return file;
}

/** A class whose method always fails, retried with `options`; counts its calls. */
function failing(options: Parameters<typeof Retry>[0]) {
  class Svc {
    calls = 0;
    @Retry(options)
    async call(): Promise<void> {
      this.calls++;
      throw new Error('down');
    }
  }
  return Svc;
}

const retryOptions = () => registry.getOrThrow('Svc.call#retry').options as { maxAttempts: number; baseDelayMs: number };

describe('precedence: built-in defaults < file defaults < decorator < file policies < environment', () => {
  it('takes the built-in default when nothing else is given', () => {
    failing({ baseDelayMs: 0 });
    expect(retryOptions().maxAttempts).toBe(3);
  });

  it('fills what the decorator leaves unset from file defaults, and nothing else', () => {
    configure({ config: { defaults: { retry: { maxAttempts: 4, baseDelayMs: 7 } } } });
    failing({ baseDelayMs: 0 });
    expect(retryOptions()).toMatchObject({ maxAttempts: 4, baseDelayMs: 0 });
  });

  it('lets file policies override the decorator', () => {
    configure({ config: { defaults: { retry: { maxAttempts: 4 } }, policies: { 'Svc.call': { retry: { maxAttempts: 5 } } } } });
    failing({ maxAttempts: 2, baseDelayMs: 0 });
    expect(retryOptions().maxAttempts).toBe(5);
  });

  it('lets the environment override the file', () => {
    vi.stubEnv('RESIL__Svc__call__retry__maxAttempts', '6');
    configure({ config: configFile({ policies: { 'Svc.call': { retry: { maxAttempts: 5 } } } }) });
    failing({ maxAttempts: 2, baseDelayMs: 0 });
    expect(retryOptions().maxAttempts).toBe(6);
  });

  it('lets the environment alone override the decorator', () => {
    vi.stubEnv('RESIL__Svc__call__retry__maxAttempts', '4');
    const Svc = failing({ maxAttempts: 2, baseDelayMs: 0 });
    const svc = new Svc();
    return expect(svc.call())
      .rejects.toThrow('down')
      .then(() => expect(svc.calls).toBe(4));
  });

  it('names where configured values came from when they do not fit the decorator', () => {
    configure({ config: { policies: { 'Svc.call': { retry: { baseDelayMs: 500 } } } } });
    expect(() => failing({ maxDelayMs: 100 })).toThrow(
      '@Retry on Svc.call: baseDelayMs must be <= maxDelayMs (100), got 500 (with options configured in configure({ config }))',
    );
  });

  it('refuses configuration of a policy the method does not have', () => {
    configure({ config: { policies: { 'Svc.call': { circuitBreaker: { failureThreshold: 2 } } } } });
    // Legacy decorators register the class once it is complete: at the latest when the registry is read.
    expect(() => {
      failing({});
      registry.policies();
    }).toThrow(
      'configure({ config }): Svc.call has no @CircuitBreaker; configure only the policies the method has (retry)',
    );
  });
});

describe('kill switches', () => {
  it('RESIL_ENABLED=false lets every call pass straight through', async () => {
    vi.stubEnv('RESIL_ENABLED', 'false');
    const svc = new (failing({ maxAttempts: 5, baseDelayMs: 0 }))();
    await expect(svc.call()).rejects.toThrow('down');
    expect(svc.calls).toBe(1);
    expect(registry.getOrThrow('Svc.call#retry').stats().calls).toBe(0);
  });

  it('enabled: false in the file switches one method off', async () => {
    configure({ config: { policies: { 'Svc.call': { enabled: false } } } });
    class Other {
      calls = 0;
      @Retry({ maxAttempts: 2, baseDelayMs: 0 })
      async call(): Promise<void> {
        this.calls++;
        throw new Error('down');
      }
    }
    const svc = new (failing({ maxAttempts: 5, baseDelayMs: 0 }))();
    const other = new Other();
    await expect(svc.call()).rejects.toThrow('down');
    await expect(other.call()).rejects.toThrow('down');
    expect([svc.calls, other.calls]).toEqual([1, 2]);
  });

  it('RESIL__<id>__enabled switches it back on over the file, and a reload switches it live', async () => {
    const file = configFile({ policies: { 'Svc.call': { enabled: false } } });
    vi.stubEnv('RESIL__Svc__call__enabled', 'true');
    configure({ config: file });
    const svc = new (failing({ maxAttempts: 3, baseDelayMs: 0 }))();
    await expect(svc.call()).rejects.toThrow('down');
    expect(svc.calls).toBe(3);
    vi.unstubAllEnvs();
    expect(config.reload()).toEqual(['Svc.call']);
    await expect(svc.call()).rejects.toThrow('down');
    expect(svc.calls).toBe(4);
  });
});

describe('applying a configuration to running methods', () => {
  it('configure({ config }) after the class is defined applies at once', async () => {
    const svc = new (failing({ maxAttempts: 2, baseDelayMs: 0 }))();
    await expect(svc.call()).rejects.toThrow('down');
    const changes: ConfigChangeEvent[] = [];
    registry.on('configChange', (e) => changes.push(e));
    configure({ config: { policies: { 'Svc.call': { retry: { maxAttempts: 4 } } } } });
    await expect(svc.call()).rejects.toThrow('down');
    expect(svc.calls).toBe(2 + 4);
    expect(changes).toEqual([{ file: undefined, methods: ['Svc.call'] }]);
  });

  it('an invalid reload throws every problem and keeps the configuration in force', async () => {
    const file = configFile({ policies: { 'Svc.call': { retry: { maxAttempts: 2 } } } });
    configure({ config: file });
    const svc = new (failing({ baseDelayMs: 0 }))();
    writeFileSync(file, '{ "policies": { "Svc.call": { "retry": { "maxAttempts": 0, "jiter": "none" } } } }');
    expect(() => config.reload()).toThrow(ConfigError);
    try {
      config.reload();
    } catch (error) {
      expect((error as ConfigError).issues.map((i) => i.message.replace(/^.*resil\.config\.json/, 'resil.config.json'))).toEqual([
        'resil.config.json:1:42: policies.Svc.call.retry.maxAttempts must be an integer >= 1, got 0',
        "resil.config.json:1:60: unknown @Retry option 'jiter' in policies.Svc.call.retry (did you mean 'jitter'?); options: maxAttempts, backoff, baseDelayMs, maxDelayMs, multiplier, jitter, budgetMs",
      ]);
    }
    await expect(svc.call()).rejects.toThrow('down');
    expect(svc.calls).toBe(2);
  });

  it('a breaker keeps its state and counters through a change of its options', async () => {
    vi.useFakeTimers({ now: 0 });
    const file = configFile({ policies: { 'Api.call': { circuitBreaker: { resetTimeoutMs: 1000 } } } });
    configure({ config: file });
    class Api {
      @CircuitBreaker({ failureThreshold: 1 })
      async call(): Promise<void> {
        throw new Error('down');
      }
    }
    const api = new Api();
    const handle = registry.getOrThrow('Api.call#circuitBreaker');
    await expect(api.call()).rejects.toThrow('down');
    expect(handle.state()).toMatchObject({ state: 'open', openedAt: 0 });
    writeFileSync(file, JSON.stringify({ policies: { 'Api.call': { circuitBreaker: { resetTimeoutMs: 100 } } } }));
    expect(config.reload()).toEqual(['Api.call']);
    expect(registry.getOrThrow('Api.call#circuitBreaker')).toBe(handle);
    expect(handle.state()).toMatchObject({ state: 'open', openedAt: 0, retryAfterMs: 100 });
    expect(handle.stats()).toMatchObject({ failures: 1, opens: 1 });
    await expect(api.call()).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    vi.advanceTimersByTime(100);
    expect(handle.state()).toMatchObject({ state: 'half-open' });
  });

  it('a memory limiter keeps its tokens while its algorithm and interval stay, and starts afresh when they change', () => {
    vi.useFakeTimers({ now: 0 });
    const file = configFile({ policies: { 'Limited.call': { rateLimit: { maxWaitMs: 10 } } } });
    configure({ config: file });
    class Limited {
      @RateLimit({ limit: 2, intervalMs: 1000 })
      call(): string {
        return 'ok';
      }
    }
    const svc = new Limited();
    expect([svc.call(), svc.call()]).toEqual(['ok', 'ok']);
    expect(() => svc.call()).toThrow(expect.objectContaining({ code: 'RATE_LIMITED' }));
    writeFileSync(file, JSON.stringify({ policies: { 'Limited.call': { rateLimit: { limit: 3 } } } }));
    config.reload();
    expect(() => svc.call()).toThrow(expect.objectContaining({ code: 'RATE_LIMITED' }));
    writeFileSync(file, JSON.stringify({ policies: { 'Limited.call': { rateLimit: { limit: 3, intervalMs: 500 } } } }));
    config.reload();
    expect([svc.call(), svc.call(), svc.call()]).toEqual(['ok', 'ok', 'ok']);
    expect(() => svc.call()).toThrow(expect.objectContaining({ code: 'RATE_LIMITED' }));
  });

  it('a bulkhead keeps its running and waiting calls: more room admits waiters at once, less lets running calls finish', async () => {
    const file = configFile({ policies: { 'Pool.work': { bulkhead: { maxConcurrent: 1, maxQueue: 2 } } } });
    configure({ config: file });
    const gates: (() => void)[] = [];
    class Pool {
      @Bulkhead({})
      async work(): Promise<void> {
        await new Promise<void>((resolve) => gates.push(resolve));
      }
    }
    const pool = new Pool();
    const handle = registry.getOrThrow('Pool.work#bulkhead');
    const calls = [pool.work(), pool.work(), pool.work()];
    await Promise.resolve();
    expect(handle.state()).toEqual({ active: 1, queued: 2 });
    writeFileSync(file, JSON.stringify({ policies: { 'Pool.work': { bulkhead: { maxConcurrent: 3, maxQueue: 2 } } } }));
    config.reload();
    expect(registry.getOrThrow('Pool.work#bulkhead')).toBe(handle);
    await new Promise((resolve) => setImmediate(resolve));
    expect(handle.state()).toEqual({ active: 3, queued: 0 });
    expect(gates).toHaveLength(3);
    writeFileSync(file, JSON.stringify({ policies: { 'Pool.work': { bulkhead: { maxConcurrent: 1, maxQueue: 2 } } } }));
    config.reload();
    calls.push(pool.work());
    await Promise.resolve();
    expect(handle.state()).toEqual({ active: 3, queued: 1 });
    gates[0]!();
    gates[1]!();
    await Promise.all(calls.slice(0, 2));
    expect(handle.state()).toEqual({ active: 1, queued: 1 });
    gates[2]!();
    await calls[2];
    await new Promise((resolve) => setImmediate(resolve));
    expect(handle.state()).toEqual({ active: 1, queued: 0 });
    gates[3]!();
    await Promise.all(calls);
    expect(handle.state()).toEqual({ active: 0, queued: 0 });
  });

  it('a cache keeps its entries through a new ttlMs, and its most recent ones through a smaller maxEntries', () => {
    vi.useFakeTimers({ now: 0 });
    const file = configFile({ policies: { 'Catalog.item': { cache: { ttlMs: 1000 } } } });
    configure({ config: file });
    class Catalog {
      loads = 0;
      @Cached({ maxEntries: 10 })
      item(id: number): string {
        this.loads++;
        return `item ${id}`;
      }
    }
    const catalog = new Catalog();
    for (const id of [1, 2, 3]) catalog.item(id);
    writeFileSync(file, JSON.stringify({ policies: { 'Catalog.item': { cache: { ttlMs: 5000, maxEntries: 2 } } } }));
    config.reload();
    expect(registry.getOrThrow('Catalog.item#cache').state()).toMatchObject({ size: 2 });
    catalog.item(3);
    catalog.item(2);
    expect(catalog.loads).toBe(3);
    catalog.item(1);
    expect(catalog.loads).toBe(4);
    // Entries kept their own freshness; a new entry gets the new ttlMs.
    vi.advanceTimersByTime(1500);
    catalog.item(1);
    catalog.item(3);
    expect(catalog.loads).toBe(5);
  });

  it('says once which configured method ids no defined method has (runtime mode)', async () => {
    configure({ config: { policies: { 'Svc.cal': { retry: { maxAttempts: 2 } } } } });
    failing({});
    await new Promise((resolve) => setImmediate(resolve));
    expect(registry.notices().filter((n) => n.code === 'configUnused')).toEqual([
      {
        method: 'Svc.cal',
        code: 'configUnused',
        message: "configure({ config }): no decorated method with id 'Svc.cal' is defined (did you mean 'Svc.call'?); its configuration is not used",
      },
    ]);
  });
});

describe('config.watch()', () => {
  let watcher: ConfigWatcher | undefined;
  afterEach(() => watcher?.close());

  const next = <K extends 'configChange' | 'configError'>(type: K) =>
    new Promise<K extends 'configChange' ? ConfigChangeEvent : ConfigErrorEvent>((resolve) => {
      const subscription = registry.on(type, (event) => {
        subscription.dispose();
        resolve(event as never);
      });
    });

  it('applies a changed file, keeps the configuration on an invalid one, and follows a save by rename', async () => {
    const file = configFile({ policies: { 'Svc.call': { retry: { maxAttempts: 2 } } } });
    configure({ config: file });
    const svc = new (failing({ baseDelayMs: 0 }))();
    watcher = config.watch();

    const changed = next('configChange');
    writeFileSync(file, JSON.stringify({ policies: { 'Svc.call': { retry: { maxAttempts: 3 } } } }));
    expect(await changed).toEqual({ file, methods: ['Svc.call'] });
    await expect(svc.call()).rejects.toThrow('down');
    expect(svc.calls).toBe(3);

    const refused = next('configError');
    writeFileSync(file, '{ "policies": { "Svc.call": { "retry": { "maxAttempts": "many" } } } }');
    const { error } = await refused;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/resil\.config\.json:1:42: policies\.Svc\.call\.retry\.maxAttempts must be a number, got "many"$/);
    expect(retryOptions().maxAttempts).toBe(3);

    const renamed = next('configChange');
    const temporary = `${file}.tmp`;
    writeFileSync(temporary, JSON.stringify({ policies: { 'Svc.call': { retry: { maxAttempts: 1 } } } }));
    renameSync(temporary, file);
    await renamed;
    expect(retryOptions().maxAttempts).toBe(1);
  });

  it('needs a file', () => {
    configure({ config: {} });
    expect(() => config.watch()).toThrow('config.watch() needs a configuration file; configure({ config }) was given an object');
  });
});
