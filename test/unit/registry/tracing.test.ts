import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CircuitBreaker, disableTracing, enableTracing, Fallback, Retry, Timeout } from '../../../src/index.js';
import { runtime } from '../../../src/runtime.js';
import { methodInfo } from '../../support/env.js';

let exporter: InMemorySpanExporter;

/** Registers an SDK provider that keeps finished spans in memory. */
function register(sampler?: Sampler): void {
  exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)], ...(sampler ? { sampler } : {}) });
  expect(trace.setGlobalTracerProvider(provider)).toBe(true);
}

const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
const only = (): ReadableSpan => {
  expect(spans()).toHaveLength(1);
  return spans()[0]!;
};

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  trace.disable();
  enableTracing();
});

describe('tracing with a registered provider', () => {
  beforeEach(() => register());

  it('makes one INTERNAL span per call, named after the method, with resil attributes', async () => {
    class Api {
      @Retry({ maxAttempts: 2 })
      @CircuitBreaker()
      async call(): Promise<string> {
        return 'ok';
      }
    }
    await expect(new Api().call()).resolves.toBe('ok');
    const span = only();
    expect(span.name).toBe('Api.call');
    expect(span.kind).toBe(SpanKind.INTERNAL);
    expect(span.instrumentationScope.name).toBe('resil');
    expect(span.attributes).toEqual({
      'resil.method': 'Api.call',
      'resil.policy': ['Api.call#retry', 'Api.call#circuitBreaker'],
      'resil.retry.attempt': 1,
      'resil.circuit.state': 'closed',
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.events).toEqual([]);
  });

  it('records retries as span events and the last attempt as an attribute', async () => {
    class Api {
      attempts = 0;
      @Retry({ maxAttempts: 3, baseDelayMs: 10, jitter: 'none', backoff: 'fixed' })
      async call(): Promise<string> {
        if (++this.attempts < 3) throw new Error('again');
        return 'ok';
      }
    }
    const outcome = new Api().call();
    await vi.advanceTimersByTimeAsync(20);
    await expect(outcome).resolves.toBe('ok');
    const span = only();
    expect(span.attributes['resil.retry.attempt']).toBe(3);
    expect(span.events.map((e) => [e.name, e.attributes])).toEqual([
      ['retry', { 'resil.retry.attempt': 1, 'resil.retry.delay_ms': 10 }],
      ['retry', { 'resil.retry.attempt': 2, 'resil.retry.delay_ms': 10 }],
    ]);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('records a timeout: the timeout event, the exception and an ERROR status', async () => {
    class Api {
      @Timeout(50)
      async call(): Promise<void> {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const outcome = expect(new Api().call()).rejects.toMatchObject({ code: 'TIMEOUT' });
    await vi.advanceTimersByTimeAsync(50);
    await outcome;
    const span = only();
    expect(span.status).toMatchObject({ code: SpanStatusCode.ERROR });
    expect(span.status.message).toMatch(/50 ms|50ms/);
    expect(span.events.map((e) => e.name)).toEqual(['timeout', 'exception']);
    expect(span.events[0]!.attributes).toEqual({ 'resil.policy': 'Api.call#timeout', 'resil.timeout_ms': 50 });
    expect(span.events[1]!.attributes).toMatchObject({ 'exception.type': 'TIMEOUT' });
  });

  it('records a call refused by an open circuit with the circuit state open', async () => {
    class Api {
      @CircuitBreaker({ failureThreshold: 1 })
      async call(): Promise<void> {
        throw new Error('down');
      }
    }
    const api = new Api();
    await expect(api.call()).rejects.toThrow('down');
    await expect(api.call()).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
    const [failed, refused] = spans();
    expect(failed!.attributes['resil.circuit.state']).toBe('closed');
    expect(failed!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'down' });
    expect(refused!.attributes['resil.circuit.state']).toBe('open');
    expect(refused!.status.code).toBe(SpanStatusCode.ERROR);
    expect(refused!.events.map((e) => [e.name, e.attributes?.['exception.type']])).toEqual([['exception', 'CIRCUIT_OPEN']]);
  });

  it('records a fallback as a span event, the call succeeding', async () => {
    class Api {
      @Fallback({ value: 'spare' })
      async call(): Promise<string> {
        throw new Error('down');
      }
    }
    await expect(new Api().call()).resolves.toBe('spare');
    const span = only();
    expect(span.events.map((e) => [e.name, e.attributes])).toEqual([['fallback', { 'resil.policy': 'Api.call#fallback' }]]);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('records a sync method’s throw', () => {
    class Api {
      @CircuitBreaker()
      call(): number {
        throw new RangeError('bad');
      }
    }
    expect(() => new Api().call()).toThrow('bad');
    expect(only().events[0]!.attributes).toMatchObject({ 'exception.type': 'RangeError', 'exception.message': 'bad' });
  });

  it('makes no span after disableTracing(), and spans again after enableTracing()', async () => {
    class Api {
      @CircuitBreaker()
      async call(): Promise<void> {}
    }
    disableTracing();
    await new Api().call();
    expect(spans()).toEqual([]);
    expect(enableTracing()).toBe(true);
    expect(enableTracing()).toBe(true);
    await new Api().call();
    expect(spans()).toHaveLength(1);
  });
});

describe('tracing without a provider', () => {
  it('makes no span and no scope, so policies report to nobody', async () => {
    class Api {
      @Retry({ maxAttempts: 2 })
      @CircuitBreaker()
      async call(): Promise<string> {
        return 'ok';
      }
    }
    await expect(new Api().call()).resolves.toBe('ok');
    // The tracing observer is the only one installed here (metrics were not asked for).
    expect(runtime.lifecycle.observer).toBeDefined();
    expect(runtime.lifecycle.observer!.start(methodInfo(), ['Svc.call#retry'])).toBeUndefined();
    register();
    const scope = runtime.lifecycle.observer!.start(methodInfo(), ['Svc.call#retry']);
    expect(scope).toBeDefined();
    scope!.end();
    trace.disable();
    expect(runtime.lifecycle.observer!.start(methodInfo(), ['Svc.call#retry'])).toBeUndefined();
    expect(spans()).toHaveLength(1);
  });

  it('makes no scope for a span the sampler drops', () => {
    register(new AlwaysOffSampler());
    expect(runtime.lifecycle.observer!.start(methodInfo(), [])).toBeUndefined();
    expect(spans()).toEqual([]);
  });
});

/** A child script that decorates a method by hand (plain JS has no decorator syntax), calls it and reads the metrics. */
const CHILD = `
import { Retry, registry, enableTracing } from './dist/src/index.js';
class Api { async call() { return 'ok'; } }
const d = Object.getOwnPropertyDescriptor(Api.prototype, 'call');
Object.defineProperty(Api.prototype, 'call', Retry()(Api.prototype, 'call', d) ?? d);
const result = await new Api().call();
const metrics = await registry.metrics();
process.stdout.write(JSON.stringify({ enabled: enableTracing(), result, counted: metrics.includes('policy="Api.call#retry",outcome="success"} 1') }));
`;

describe('without @opentelemetry/api installed', () => {
  it('loads, decorates and serves metrics; enableTracing() says tracing is off', () => {
    // The built package (global setup builds dist/) alone in a folder where only its required
    // dependencies resolve: @opentelemetry/api is not among them.
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const dir = mkdtempSync(join(tmpdir(), 'resil-no-otel-'));
    cpSync(join(root, 'dist', 'src'), join(dir, 'dist', 'src'), { recursive: true });
    mkdirSync(join(dir, 'node_modules'));
    for (const dep of ['lru-cache', 'prom-client', 'jsonc-parser', 'ajv']) symlinkSync(join(root, 'node_modules', dep), join(dir, 'node_modules', dep), 'dir');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(dir, 'child.js'), CHILD);
    const env = { ...process.env };
    delete env.NODE_PATH;
    const probe = spawnSync(process.execPath, ['-e', "require.resolve('@opentelemetry/api')"], { cwd: dir, env, encoding: 'utf8' });
    expect(probe.status, 'the folder must not resolve @opentelemetry/api').not.toBe(0);
    const child = spawnSync(process.execPath, ['child.js'], { cwd: dir, env, encoding: 'utf8', timeout: 15_000 });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({ enabled: false, result: 'ok', counted: true });
  });
});

/** A fresh process: is anything observing calls before OpenTelemetry registers a provider, and after? */
const WATCH_CHILD = `
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Retry } from 'resil';
class Api { async call() { return 'ok'; } }
const d = Object.getOwnPropertyDescriptor(Api.prototype, 'call');
Object.defineProperty(Api.prototype, 'call', Retry()(Api.prototype, 'call', d) ?? d);
const lifecycle = globalThis[Symbol.for('resil.runtime')].lifecycle;
await new Api().call();
const observedBefore = lifecycle.observer !== undefined;
const exporter = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
const observedAfter = lifecycle.observer !== undefined;
await new Api().call();
process.stdout.write(JSON.stringify({ observedBefore, observedAfter, spans: exporter.getFinishedSpans().map((s) => s.name) }));
`;

describe('before any provider is registered', () => {
  it('installs no call observer at all, and starts tracing when a provider is registered', () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const dir = join(root, 'test', '.compiled', 'otel-watch');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'child.mjs'), WATCH_CHILD);
    const child = spawnSync(process.execPath, [join(dir, 'child.mjs')], { cwd: root, encoding: 'utf8', timeout: 15_000 });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual({ observedBefore: false, observedAfter: true, spans: ['Api.call'] });
  });
});
