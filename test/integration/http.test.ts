import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Bulkhead, CircuitBreaker, configure, Retry, registry, type HealthReport } from '../../src/index.js';
import { createHandler, type HandlerOptions } from '../../src/http/index.js';
import { toJsonValue } from '../../src/http/handler.js';
import type { CircuitBreakerHandle } from '../../src/policies/circuit-breaker.js';
import { runtime } from '../../src/runtime.js';
import { runDashboard } from '../support/fake-dom.js';

const TOKEN = 's3cret-admin-token';
const BREAKER = 'Inventory.lookup#circuitBreaker';
const NO_STORE = 'no-store';

/** Policies for the routes to show: a breaker, a retry with function options, a bulkhead. */
function defineServices() {
  class Inventory {
    up = true;
    @CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 60_000 })
    async lookup(sku: string): Promise<string> {
      if (!this.up) throw new Error('inventory down');
      return sku;
    }
  }
  class Payments {
    @CircuitBreaker({ failureThreshold: 1, critical: true })
    async charge(ok: boolean): Promise<string> {
      if (!ok) throw new Error('gateway down');
      return 'charged';
    }
  }
  class Mailer {
    @Retry({ maxAttempts: 2, baseDelayMs: 1, retryOn: function isTransient(e) { return e instanceof TypeError; } })
    @Bulkhead({ maxConcurrent: 2 })
    async send(to: string): Promise<string> {
      return `sent to ${to}`;
    }
  }
  return { inventory: new Inventory(), payments: new Payments(), mailer: new Mailer() };
}

interface Running {
  url: string;
  server: Server;
}

const running: Server[] = [];

function listen(listener: RequestListener): Promise<Running> {
  const server = createServer(listener);
  running.push(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, server });
    });
  });
}

/** The two ways to host the handler; Express also gets an app route and a 404 of its own after it. */
const hosts = {
  'node:http': (options: HandlerOptions) => listen(createHandler(options)),
  express: (options: HandlerOptions) => {
    const app = express();
    app.use(createHandler(options));
    app.get('/app/hello', (_req, res) => {
      res.json({ from: 'app' });
    });
    return listen(app);
  },
} as const;

afterEach(async () => {
  runtime.lifecycle.draining = false;
  await Promise.all(
    running.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

const post = (url: string, token?: string) =>
  fetch(url, { method: 'POST', headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

describe.each(Object.keys(hosts) as (keyof typeof hosts)[])('createHandler under %s', (host) => {
  const start = (options: HandlerOptions = {}) => hosts[host](options);

  it('GET /health answers the report as application/health+json', async () => {
    defineServices();
    const { url } = await start();
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/health+json');
    expect(res.headers.get('cache-control')).toBe(NO_STORE);
    const body = (await res.json()) as HealthReport;
    expect(body).toMatchObject({ status: expect.stringMatching(/^(pass|warn)$/), score: expect.any(Number), description: expect.any(String) });
    expect(body.checks[`${BREAKER}:state`]).toEqual([
      { componentId: BREAKER, componentType: 'circuitBreaker', observedValue: 'closed', status: 'pass', time: expect.any(String) },
    ]);
    expect(body.checks['eventLoop:delay']?.[0]).toMatchObject({ componentId: 'process', observedUnit: 'ms' });
    expect(body.checks['heap:utilization']?.[0]).toMatchObject({ componentId: 'process', observedUnit: 'percent' });
  });

  it('GET /health answers 503 when a critical breaker is open', async () => {
    const { payments } = defineServices();
    await expect(payments.charge(false)).rejects.toThrow('gateway down');
    const { url } = await start();
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/health+json');
    const body = (await res.json()) as HealthReport;
    expect(body.status).toBe('fail');
    expect(body.checks['Payments.charge#circuitBreaker:state']?.[0]).toMatchObject({ status: 'fail', output: 'circuit is open (critical)' });
  });

  it('GET /health/live and /health/ready answer 200 while all is well', async () => {
    defineServices();
    const { url } = await start();
    for (const path of ['/health/live', '/health/ready']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/health+json');
      expect(res.headers.get('cache-control')).toBe(NO_STORE);
      expect(await res.json()).toEqual({ status: 'pass' });
    }
  });

  it('readiness answers 503 while the process drains, liveness stays 200', async () => {
    defineServices();
    const { url } = await start();
    runtime.lifecycle.draining = true;
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'fail', output: 'the process is shutting down' });
    const live = await fetch(`${url}/health/live`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'pass' });
  });

  it('readiness answers 503 while a critical breaker is open', async () => {
    const { payments } = defineServices();
    await expect(payments.charge(false)).rejects.toThrow();
    const { url } = await start();
    const res = await fetch(`${url}/health/ready`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'fail', output: 'critical circuit Payments.charge#circuitBreaker is open' });
  });

  it('GET /metrics answers Prometheus text', async () => {
    const { inventory } = defineServices();
    const { url } = await start();
    await fetch(`${url}/metrics`); // the first scrape starts timing calls
    await inventory.lookup('kettle');
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe(NO_STORE);
    const text = await res.text();
    expect(text).toContain('# TYPE resil_calls_total counter');
    expect(text).toMatch(/^resil_calls_total\{[^}]*policy="Inventory\.lookup#circuitBreaker"[^}]*\} \d+/m);
  });

  it('GET /resil/api/policies lists every policy with options, state and stats', async () => {
    const { inventory } = defineServices();
    await inventory.lookup('kettle');
    const { url } = await start();
    const res = await fetch(`${url}/resil/api/policies`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe(NO_STORE);
    const list = (await res.json()) as { id: string; kind: string; methods: string[]; options: Record<string, unknown>; state: unknown; stats: unknown }[];
    expect(list.map((p) => p.id)).toEqual(registry.policies().map((p) => p.id));
    expect(list.find((p) => p.id === BREAKER)).toMatchObject({
      kind: 'circuitBreaker',
      methods: ['Inventory.lookup'],
      options: { failureThreshold: 1, resetTimeoutMs: 60_000 },
      state: { state: 'closed' },
      stats: { calls: 1, successes: 1, failures: 0, rejections: 0 },
    });
    expect(list.find((p) => p.id === 'Mailer.send#retry')!.options.retryOn).toBe('[function isTransient]');
    expect(list.find((p) => p.id === 'Mailer.send#bulkhead')!.state).toEqual({ active: 0, queued: 0 });
  });

  it('GET /resil serves a self-contained dashboard page', async () => {
    defineServices();
    const { url } = await start();
    const res = await fetch(`${url}/resil`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe(NO_STORE);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'sha256-[^']+'/);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('/resil/api/policies');
    expect(html).toContain("getJson('/health')");
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<link\b/i);
    // No attribute or CSS url() points anywhere: nothing is loaded but the page itself.
    expect(html).not.toMatch(/\s(src|href)\s*=/i);
    expect(html).not.toMatch(/url\(|@import|https?:\/\//i);
  });

  it('answers HEAD like GET without a body', async () => {
    defineServices();
    const { url } = await start();
    const res = await fetch(`${url}/health/live`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/health+json');
    expect(await res.text()).toBe('');
  });

  it('answers 405 with Allow for another method on a known route', async () => {
    const { url } = await start({ adminToken: TOKEN });
    for (const path of ['/health', '/health/live', '/health/ready', '/metrics', '/resil', '/resil/api/policies']) {
      const res = await fetch(`${url}${path}`, { method: 'DELETE' });
      expect(res.status, path).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
      expect(res.headers.get('cache-control')).toBe(NO_STORE);
    }
    const admin = await fetch(`${url}/resil/api/policies/${encodeURIComponent(BREAKER)}/reset`);
    expect(admin.status).toBe(405);
    expect(admin.headers.get('allow')).toBe('POST');
  });

  it('answers 500 with a JSON body when a route throws, and keeps serving', async () => {
    const seen: unknown[] = [];
    vi.spyOn(registry, 'health').mockRejectedValueOnce(new Error('health exploded'));
    const { url } = await start({ onError: (e) => seen.push((e as Error).message) });
    const res = await fetch(`${url}/health`);
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe(NO_STORE);
    expect(await res.json()).toEqual({ error: 'internal error' });
    expect(seen).toEqual(['health exploded']);
    expect((await fetch(`${url}/health`)).status).toBe(200);
  });

  it('admin routes answer 404 when no adminToken is configured', async () => {
    const { inventory } = defineServices();
    await expect(inventory.lookup('x')).resolves.toBe('x');
    const { url } = await start();
    const res = await post(`${url}/resil/api/policies/${encodeURIComponent(BREAKER)}/isolate`, TOKEN);
    expect(res.status).toBe(404);
    expect((registry.get(BREAKER) as CircuitBreakerHandle).state().state).toBe('closed');
  });

  it('admin routes take the token given to configure() when createHandler has none', async () => {
    const { inventory } = defineServices();
    await expect(inventory.lookup('x')).resolves.toBe('x');
    configure({ adminToken: TOKEN });
    try {
      const { url } = await start();
      const target = `${url}/resil/api/policies/${encodeURIComponent(BREAKER)}/isolate`;
      expect((await post(target, 'wrong')).status).toBe(401);
      expect((await post(target, TOKEN)).status).toBe(200);
      expect((registry.get(BREAKER) as CircuitBreakerHandle).state()).toMatchObject({ state: 'open', isolated: true });
    } finally {
      configure({ adminToken: '' });
    }
  });

  it('admin routes refuse a request without a token, or with a wrong one', async () => {
    defineServices();
    const { url } = await start({ adminToken: TOKEN });
    const target = `${url}/resil/api/policies/${encodeURIComponent(BREAKER)}/isolate`;
    for (const token of [undefined, 'wrong', `${TOKEN}x`, '']) {
      const res = await post(target, token);
      expect(res.status, String(token)).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
      expect(res.headers.get('cache-control')).toBe(NO_STORE);
      expect(await res.json()).toMatchObject({ error: expect.stringContaining('bearer token') });
    }
    const basic = await fetch(target, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` } });
    expect(basic.status).toBe(401);
    expect((registry.get(BREAKER) as CircuitBreakerHandle).state().state).toBe('closed');
  });

  it('admin routes isolate and reset a breaker with the right token', async () => {
    const { inventory } = defineServices();
    const { url } = await start({ adminToken: TOKEN });
    const breaker = registry.get(BREAKER) as CircuitBreakerHandle;
    expect(encodeURIComponent(BREAKER)).toContain('%23');

    const isolated = await post(`${url}/resil/api/policies/${encodeURIComponent(BREAKER)}/isolate`, TOKEN);
    expect(isolated.status).toBe(200);
    expect(isolated.headers.get('cache-control')).toBe(NO_STORE);
    expect(await isolated.json()).toMatchObject({ id: BREAKER, action: 'isolate', state: { state: 'open', isolated: true } });
    expect(breaker.state()).toMatchObject({ state: 'open', isolated: true });
    await expect(inventory.lookup('x')).rejects.toMatchObject({ code: 'CIRCUIT_OPEN', isolated: true });

    const reset = await post(`${url}/resil/api/policies/${encodeURIComponent(BREAKER)}/reset`, TOKEN);
    expect(reset.status).toBe(200);
    expect(await reset.json()).toMatchObject({ id: BREAKER, action: 'reset', state: { state: 'closed' } });
    await expect(inventory.lookup('x')).resolves.toBe('x');
  });

  it('admin routes answer 404 for an unknown policy and 400 for one that is not a breaker', async () => {
    defineServices();
    const { url } = await start({ adminToken: TOKEN });
    const unknown = await post(`${url}/resil/api/policies/${encodeURIComponent('Nope.x#circuitBreaker')}/reset`, TOKEN);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await unknown.json()).toEqual({ error: "no policy 'Nope.x#circuitBreaker'", id: 'Nope.x#circuitBreaker' });
    const retry = await post(`${url}/resil/api/policies/${encodeURIComponent('Mailer.send#retry')}/isolate`, TOKEN);
    expect(retry.status).toBe(400);
    expect(await retry.json()).toMatchObject({ kind: 'retry', error: expect.stringContaining('is a retry') });
    const malformed = await post(`${url}/resil/api/policies/%E0%A4%A/reset`, TOKEN);
    expect(malformed.status).toBe(400);
  });

  it('serves the routes below basePath only', async () => {
    defineServices();
    const { url } = await start({ basePath: '/ops/' });
    expect((await fetch(`${url}/ops/health/live`)).status).toBe(200);
    expect((await fetch(`${url}/ops/resil/api/policies`)).status).toBe(200);
    expect((await fetch(`${url}/health/live`)).status).toBe(404);
  });
});

describe('unknown routes', () => {
  it('answer 404 in plain text under node:http', async () => {
    const { url } = await hosts['node:http']({});
    for (const path of ['/', '/nope', '/healthz', '/resil/api/policies/x/reset', '/resil/api']) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe(NO_STORE);
    }
  });

  it('fall through to the app under Express', async () => {
    const { url } = await hosts.express({});
    const res = await fetch(`${url}/app/hello`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ from: 'app' });
    const missing = await fetch(`${url}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^text\/html/); // Express's own 404
  });

  it('are served under an Express mount path without basePath', async () => {
    defineServices();
    const app = express();
    app.use('/ops', createHandler());
    const { url } = await listen(app);
    expect((await fetch(`${url}/ops/health/ready`)).status).toBe(200);
    expect((await fetch(`${url}/ops/resil`)).status).toBe(200);
  });
});

describe('toJsonValue', () => {
  it('renders functions, non-finite numbers, bigints, dates and cycles as valid JSON', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    class Client {}
    const value = toJsonValue({
      fn: function retryable() {},
      arrow: () => 1,
      inf: Infinity,
      nan: NaN,
      gone: undefined,
      big: 10n,
      at: new Date(0),
      list: [Number.NEGATIVE_INFINITY, undefined],
      cyclic,
      client: new Client(),
    });
    expect(JSON.parse(JSON.stringify(value))).toEqual({
      fn: '[function retryable]',
      arrow: '[function arrow]',
      inf: 'Infinity',
      nan: 'NaN',
      big: '10',
      at: '1970-01-01T00:00:00.000Z',
      list: ['-Infinity', null],
      cyclic: { a: 1, self: '[circular]' },
      client: '[object Client]',
    });
  });
});

describe('the dashboard script', () => {
  it('fetches relative to its mount point and renders each policy with its state and health', async () => {
    const { inventory } = defineServices();
    await expect(inventory.lookup('x')).resolves.toBe('x');
    (registry.get(BREAKER) as CircuitBreakerHandle).isolate();
    const app = express();
    app.use('/ops', createHandler());
    const { url } = await listen(app);
    const html = await (await fetch(`${url}/ops/resil`)).text();
    const page = runDashboard(html, '/ops/resil', (path) => fetch(`${url}${path}`));
    await vi.waitFor(() => expect(page.byId.get('updated')!.textContent).toMatch(/^updated /));
    expect(page.fetched).toEqual(['/ops/resil/api/policies', '/ops/health']);
    const rows = page.byId.get('rows')!.children;
    expect(rows).toHaveLength(registry.policies().length);
    const breakerRow = rows.find((r) => r.children[0]!.textContent === BREAKER)!;
    const stateBadge = breakerRow.children[2]!.children[0]!;
    expect(stateBadge).toMatchObject({ textContent: 'open (isolated)', className: 'badge open' });
    expect(breakerRow.children.slice(3, 7).map((c) => c.textContent)).toEqual(['1', '1', '0', '0']);
    expect(breakerRow.children[7]!.text()).toEqual(['warn', 'circuit is isolated']);
    expect(page.byId.get('summary')!.text()).toEqual(expect.arrayContaining(['health', 'warn', expect.stringMatching(/^score \d+$/)]));
    expect(page.byId.get('banner')!.className).toBe('');
  });

  it('says clearly that it cannot refresh when a fetch fails', async () => {
    const { url } = await hosts['node:http']({});
    const html = await (await fetch(`${url}/resil`)).text();
    const page = runDashboard(html, '/resil', () => Promise.reject(new TypeError('fetch failed')));
    await vi.waitFor(() => expect(page.byId.get('banner')!.className).toBe('shown'));
    expect(page.byId.get('banner')!.textContent).toBe('Cannot refresh: fetch failed. No data received yet. Retrying every 2 s.');
    expect(page.body.classes.has('stale')).toBe(true);
  });
});
