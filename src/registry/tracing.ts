import { createRequire } from 'node:module';
import type * as OtelApi from '@opentelemetry/api';
import type { CallObserver, CallScope, ScopeValue } from '../lifecycle.js';
import type { MethodInfo } from '../policies/policy.js';
import { runtime } from '../runtime.js';

type Api = typeof OtelApi;

/** The tracer name of resil's spans. */
const TRACER_NAME = 'resil';
/** Where `@opentelemetry/api` 1.x registers its globals (`trace`, `context`, …) once something is registered. */
const OTEL_GLOBAL = Symbol.for('opentelemetry.js.api.1');
type OtelGlobal = typeof globalThis & { [OTEL_GLOBAL]?: { trace?: unknown } };
const INSTALLED = Symbol.for('resil.tracing');
/** Set by disableTracing(), so that a later OpenTelemetry registration does not turn spans back on. */
const DISABLED = Symbol.for('resil.tracing.disabled');
type Global = typeof globalThis & { [INSTALLED]?: () => void; [DISABLED]?: boolean };

/** `@opentelemetry/api` is an optional peer: resil works without it, and then never traces. */
function loadApi(): Api | undefined {
  try {
    return createRequire(import.meta.url)('@opentelemetry/api') as Api;
  } catch {
    return undefined;
  }
}

/** One decorated call as a span: attributes, span events, and the error if it failed. */
class SpanScope implements CallScope {
  constructor(
    private readonly span: OtelApi.Span,
    private readonly errorCode: OtelApi.SpanStatusCode,
  ) {}

  attempt(n: number): void {
    this.span.setAttribute('resil.retry.attempt', n);
  }

  event(name: string, attributes?: Record<string, ScopeValue>): void {
    this.span.addEvent(name, attributes);
  }

  setAttribute(key: string, value: ScopeValue): void {
    this.span.setAttribute(key, value);
  }

  end(error?: unknown): void {
    if (error !== undefined) {
      const message = error instanceof Error ? error.message : String(error);
      this.span.recordException(error instanceof Error ? error : message);
      this.span.setStatus({ code: this.errorCode, message });
    }
    this.span.end();
  }
}

/**
 * Starts a span per decorated call while a tracer provider is registered. Whether one is, is asked
 * of the API on every call (`getTracerProvider()` and the proxy's delegate: ~10 ns, measured), so a
 * provider registered or disabled at any time takes effect on the next call.
 */
class TracingObserver implements CallObserver {
  /** The API's no-op provider: what the proxy delegates to while nothing is registered. */
  private readonly noop: OtelApi.TracerProvider;
  /** The API's `trace` singleton, read once: each `api.trace` is a getter call (~12 ns, measured). */
  private readonly trace: OtelApi.TraceAPI;
  private readonly kind: OtelApi.SpanKind;
  private readonly errorCode: OtelApi.SpanStatusCode;
  private delegate: OtelApi.TracerProvider | undefined;
  private tracer: OtelApi.Tracer | undefined;

  constructor(api: Api) {
    this.noop = new api.ProxyTracerProvider().getDelegate();
    this.trace = api.trace;
    this.kind = api.SpanKind.INTERNAL;
    this.errorCode = api.SpanStatusCode.ERROR;
  }

  start(method: MethodInfo, policies: readonly string[]): CallScope | undefined {
    const tracer = this.currentTracer();
    if (tracer === undefined) return undefined;
    const span = tracer.startSpan(method.id, {
      kind: this.kind,
      attributes: { 'resil.method': method.id, 'resil.policy': [...policies] },
    });
    // A span the sampler dropped records nothing; skip the work of feeding it.
    if (!span.isRecording()) {
      span.end();
      return undefined;
    }
    return new SpanScope(span, this.errorCode);
  }

  /** The tracer of the registered provider, or undefined while only the no-op one is there. */
  private currentTracer(): OtelApi.Tracer | undefined {
    // Until some provider is registered the API's global slot has no `trace` entry: one property
    // read answers the common case of no provider at all.
    if ((globalThis as OtelGlobal)[OTEL_GLOBAL]?.trace === undefined) return undefined;
    const provider = this.trace.getTracerProvider() as OtelApi.TracerProvider & { getDelegate?(): OtelApi.TracerProvider };
    // The global provider is a proxy (possibly another copy of the API's) that delegates to the real one.
    const delegate = provider.getDelegate?.() ?? provider;
    if (delegate === this.noop) return undefined;
    if (delegate !== this.delegate) {
      this.delegate = delegate;
      this.tracer = delegate.getTracer(TRACER_NAME);
    }
    return this.tracer;
  }
}

/**
 * Turns on resil's OpenTelemetry spans: one span per decorated call, named after the method id,
 * whenever a tracer provider is registered (`trace.setGlobalTracerProvider`). Importing `resil`
 * already does this; call it again after {@link disableTracing}. Returns false when
 * `@opentelemetry/api` (an optional peer dependency) cannot be loaded.
 */
export function enableTracing(): boolean {
  const g = globalThis as Global;
  delete g[DISABLED];
  // One observer per process, even with two copies of resil loaded.
  if (g[INSTALLED]) return true;
  const api = loadApi();
  if (!api) return false;
  g[INSTALLED] = runtime.lifecycle.observe(new TracingObserver(api));
  return true;
}

/** Stops resil's spans even when a tracer provider is registered; {@link enableTracing} restarts them. */
export function disableTracing(): void {
  const g = globalThis as Global;
  g[INSTALLED]?.();
  delete g[INSTALLED];
  g[DISABLED] = true;
}

/**
 * Enables tracing as soon as `@opentelemetry/api` registers anything. Until then no observer is
 * installed and a decorated call pays nothing for tracing: the API's global slot is watched by an
 * accessor that turns itself back into the plain property the API expects on the first write (the
 * API assigns it in `registerGlobal`, which `trace.setGlobalTracerProvider` calls). If the slot
 * exists already, tracing is enabled at once.
 */
function enableWhenOpenTelemetryRegisters(): void {
  const g = globalThis as Global & OtelGlobal;
  if (g[OTEL_GLOBAL] !== undefined) {
    enableTracing();
    return;
  }
  // Another copy of resil is watching already.
  if (Object.getOwnPropertyDescriptor(g, OTEL_GLOBAL)) return;
  Object.defineProperty(g, OTEL_GLOBAL, {
    configurable: true,
    enumerable: false,
    get: () => undefined,
    set(value: unknown) {
      Object.defineProperty(g, OTEL_GLOBAL, { value, writable: true, configurable: true, enumerable: true });
      if (!g[DISABLED]) enableTracing();
    },
  });
}

enableWhenOpenTelemetryRegisters();
