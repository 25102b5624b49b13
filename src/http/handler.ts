import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CircuitBreakerHandle } from '../policies/circuit-breaker.js';
import { registry } from '../registry/registry.js';
import { runtime } from '../runtime.js';
import { DASHBOARD_CSP, DASHBOARD_HTML } from './dashboard.js';

/** Options of {@link createHandler}. */
export interface HandlerOptions {
  /**
   * Bearer token that enables the admin routes (`POST /resil/api/policies/:id/reset|isolate`).
   * Default: the one given to `configure({ adminToken })`, else none; without one (or with an empty
   * string) those routes do not exist and answer 404.
   */
  adminToken?: string;
  /**
   * Prefix of every route when the handler sees full paths, e.g. `'/ops'` serves `/ops/health`.
   * Default `''`. Under Express, `app.use('/ops', handler)` needs no basePath: Express strips it.
   */
  basePath?: string;
  /**
   * Told about an error a route threw (the client gets a 500 with no details). The library never
   * logs; pass your logger here. Default: ignored.
   */
  onError?: (error: unknown, req: IncomingMessage) => void;
}

/**
 * A request listener for `http.createServer(handler)` that is also Express middleware
 * (`app.use(handler)`): routes it does not serve go to `next()` when there is one, else get a 404.
 * It never throws and never rejects.
 */
export type ResilHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

/** Content type of `/health`, `/health/live` and `/health/ready`. */
export const HEALTH_CONTENT_TYPE = 'application/health+json';

const JSON_TYPE = 'application/json; charset=utf-8';
const READ = ['GET', 'HEAD'] as const;
const WRITE = ['POST'] as const;
const ADMIN_ROUTE = /^\/resil\/api\/policies\/([^/]+)\/(reset|isolate)$/;

/** What a route answers; written out by {@link send}. */
interface Reply {
  status: number;
  type: string;
  body: string;
  headers?: Record<string, string>;
}

interface Route {
  methods: readonly string[];
  run(req: IncomingMessage): Reply | Promise<Reply>;
}

const jsonReply = (status: number, value: unknown, type = JSON_TYPE): Reply => ({
  status,
  type,
  body: JSON.stringify(toJsonValue(value)),
});

const errorReply = (status: number, error: string, extra: object = {}): Reply => jsonReply(status, { error, ...extra });

const healthReply = (report: { status: string }): Reply =>
  jsonReply(report.status === 'fail' ? 503 : 200, report, HEALTH_CONTENT_TYPE);

/**
 * Converts what `options`, `state()` and `stats()` hold into values `JSON.stringify` renders
 * faithfully: functions become `"[function name]"`, non-finite numbers their name (`"Infinity"`),
 * bigints decimal strings, dates ISO strings, cycles `"[circular]"`; objects that are not plain
 * (a client, a store) are named, not walked.
 */
export function toJsonValue(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
    case 'symbol':
      return value.toString();
    case 'function':
      return `[function ${value.name || 'anonymous'}]`;
    case 'object': {
      if (value === null) return null;
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
      if (value instanceof RegExp) return String(value);
      if (seen.has(value)) return '[circular]';
      const proto = Object.getPrototypeOf(value) as object | null;
      if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) {
        return value instanceof Error ? { name: value.name, message: value.message } : `[object ${value.constructor?.name ?? 'Object'}]`;
      }
      seen.add(value);
      const out = Array.isArray(value)
        ? value.map((v) => toJsonValue(v, seen) ?? null)
        : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v, seen)]));
      seen.delete(value);
      return out;
    }
    default:
      return value;
  }
}

/** Every policy with its options, live state and counters, as `/resil/api/policies` lists them. */
function policyList(): Reply {
  const list = registry.policies().map((p) => {
    const handle = registry.get(p.id);
    return { ...p, state: handle?.state(), stats: handle?.stats() };
  });
  return jsonReply(200, list);
}

/** The read-only routes, keyed by path relative to the mount point. */
const ROUTES: Record<string, Route> = {
  '/health': { methods: READ, run: async () => healthReply(await registry.health()) },
  '/health/live': { methods: READ, run: () => healthReply(registry.liveness()) },
  '/health/ready': { methods: READ, run: () => healthReply(registry.readiness()) },
  '/metrics': {
    methods: READ,
    run: async () => ({ status: 200, type: registry.metricsContentType, body: await registry.metrics() }),
  },
  '/resil': {
    methods: READ,
    run: () => ({
      status: 200,
      type: 'text/html; charset=utf-8',
      body: DASHBOARD_HTML,
      headers: { 'content-security-policy': DASHBOARD_CSP, 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' },
    }),
  },
  '/resil/api/policies': { methods: READ, run: policyList },
};
ROUTES['/resil/'] = ROUTES['/resil']!;

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Whether the `Authorization` header carries the admin token. Both sides are hashed first so the
 * comparison runs on equal-length buffers in constant time and leaks neither content nor length.
 */
function authorized(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  if (!match) return false;
  return timingSafeEqual(digest(match[1]!), expected);
}

/** `POST /resil/api/policies/:id/reset|isolate`, once the route is known to be enabled. */
function adminRoute(rawId: string, action: 'reset' | 'isolate', expected: Buffer): Route {
  return {
    methods: WRITE,
    run: (req) => {
      if (!authorized(req.headers.authorization, expected)) {
        const reply = errorReply(401, 'admin routes need the bearer token configured as adminToken');
        return { ...reply, headers: { 'www-authenticate': 'Bearer realm="resil"' } };
      }
      let id: string;
      try {
        id = decodeURIComponent(rawId);
      } catch {
        return errorReply(400, 'the policy id is not validly URL-encoded');
      }
      const handle = registry.get(id);
      if (!handle) return errorReply(404, `no policy '${id}'`, { id });
      if (handle.kind !== 'circuitBreaker') {
        return errorReply(400, `policy '${id}' is a ${handle.kind}; only a circuitBreaker can be ${action === 'reset' ? 'reset' : 'isolated'}`, { id, kind: handle.kind });
      }
      const breaker = handle as CircuitBreakerHandle;
      if (action === 'reset') breaker.reset();
      else breaker.isolate();
      return jsonReply(200, { id, action, state: breaker.state() });
    },
  };
}

/** The path of `url` below `base` (query dropped), or undefined when it is not under `base`. */
function pathBelow(url: string | undefined, base: string): string | undefined {
  const path = (url ?? '/').split('?', 1)[0]!;
  if (base === '') return path;
  if (path === base) return '/';
  return path.startsWith(`${base}/`) ? path.slice(base.length) : undefined;
}

function normalizeBase(basePath: string | undefined): string {
  const trimmed = (basePath ?? '').replace(/\/+$/, '');
  if (trimmed !== '' && !trimmed.startsWith('/')) throw new TypeError(`resil: basePath must start with '/', got '${basePath}'`);
  return trimmed;
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = Buffer.from(reply.body, 'utf8');
  res.statusCode = reply.status;
  res.setHeader('content-type', reply.type);
  res.setHeader('content-length', body.length);
  res.setHeader('cache-control', 'no-store');
  res.setHeader('x-content-type-options', 'nosniff');
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  res.end(body);
}

const NOT_FOUND: Reply = { status: 404, type: 'text/plain; charset=utf-8', body: 'Not Found\n' };

/**
 * Creates the HTTP handler of resil's observability routes (see the README's route table):
 * `/health`, `/health/live`, `/health/ready`, `/metrics`, the `/resil` dashboard,
 * `/resil/api/policies`, and, with {@link HandlerOptions.adminToken}, the admin routes that reset
 * or isolate a circuit breaker. Every answer carries `cache-control: no-store`.
 */
export function createHandler(options: HandlerOptions = {}): ResilHandler {
  const base = normalizeBase(options.basePath);
  const token = options.adminToken ?? runtime.adminToken;
  const expected = token ? digest(token) : undefined;

  const find = (path: string): Route | undefined => {
    const fixed = Object.hasOwn(ROUTES, path) ? ROUTES[path] : undefined;
    if (fixed || !expected) return fixed;
    const admin = ADMIN_ROUTE.exec(path);
    return admin ? adminRoute(admin[1]!, admin[2] as 'reset' | 'isolate', expected) : undefined;
  };

  const answer = async (route: Route, req: IncomingMessage): Promise<Reply> => {
    if (!route.methods.includes(req.method ?? 'GET')) {
      return { ...errorReply(405, `method ${req.method} not allowed`), headers: { allow: route.methods.join(', ') } };
    }
    try {
      return await route.run(req);
    } catch (error) {
      try {
        options.onError?.(error, req);
      } catch {
        // A failing error reporter must not turn a 500 into a crash.
      }
      return errorReply(500, 'internal error');
    }
  };

  return (req, res, next) => {
    const path = pathBelow(req.url, base);
    const route = path === undefined ? undefined : find(path);
    if (!route) {
      if (next) next();
      else send(res, NOT_FOUND);
      return;
    }
    answer(route, req)
      .then((reply) => send(res, reply))
      .catch(() => {
        // Only send() itself can land here (the socket went away): nothing is left to answer.
        if (!res.writableEnded) res.destroy();
      });
  };
}
