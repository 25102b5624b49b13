// What `npm run bench` measures. Each case runs in a process of its own, set up once, so that the
// JIT state of one case (spans being made, say) cannot leak into another's figures.
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { compiledMethods, disableTracing, registry } from 'resil';
import type Opossum from 'opossum';
import { CompiledGuarded, CompiledLayered } from './compiled/index.js';
import { Guarded, Layered, Plain } from './fixtures.js';
import { handWritten } from './hand-written.js';
import { cockatielPolicy, opossumBreaker } from './peers.js';

/** One measured variant: `setup` runs once in its process; `fn` makes `batch` calls. */
export interface Case {
  name: string;
  setup?: () => void;
  fn: () => unknown;
}

/** Cases compared with each other; the first is the bare method. */
export interface Suite {
  name: string;
  /** Calls per timed iteration: timer resolution and tinybench's own overhead vanish in the batch. */
  batch: number;
  cases: Case[];
  /** The index of the decorated case without any call observer, for the table's "vs no observer" column. */
  noObserver?: number;
  /** The index of the compiled-mode case, for the table's "vs compiled" column. */
  compiled?: number;
  /** Printed under the table. */
  note?: string;
}

let sink = 0;
/** Keeps the calls' results alive. */
export const consumed = () => sink;

const ASYNC_BATCH = 100;
const SYNC_BATCH = 1000;
const guarded = new Guarded();
const plain = new Plain();
const layered = new Layered();
const compiledGuarded = new CompiledGuarded();
const compiledLayered = new CompiledLayered();
assertModes();
const inline = handWritten(() => plain.call());
const cockatiel = cockatielPolicy();
// Made in its case's setup: each opossum breaker starts a statistics interval, which other cases' processes need not run.
let opossum: Opossum<[], number>;

/**
 * Throws unless the compiled fixtures run the wrappers generated for them and the runtime ones do
 * not: a missing or stale bench/compiled/resil.generated.ts would otherwise put runtime-mode
 * figures in the compiled rows without a word.
 */
function assertModes(): void {
  const running = new Set(compiledMethods());
  const compiled = ['CompiledGuarded.call', 'CompiledGuarded.read', 'CompiledLayered.call'];
  const runtime = ['Guarded.call', 'Guarded.read', 'Layered.call'];
  const missing = compiled.filter((id) => !running.has(id));
  if (missing.length > 0) throw new Error(`bench: ${missing.join(', ')} not in compiled mode; run resil gen -p bench/compiled/tsconfig.json`);
  const wrong = runtime.filter((id) => running.has(id));
  if (wrong.length > 0) throw new Error(`bench: ${wrong.join(', ')} run generated wrappers; they must stay in runtime mode`);
}

const asyncBatch = (call: () => Promise<number>) => async () => {
  for (let i = 0; i < ASYNC_BATCH; i++) sink += await call();
};
const syncBatch = (call: () => number) => () => {
  for (let i = 0; i < SYNC_BATCH; i++) sink += call();
};

/** A provider exporting to nowhere: the SDK's own cost of a span, with nothing sent. */
function registerNoopProvider(): void {
  const exporter: SpanExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
}

export const SUITES: Suite[] = [
  {
    name: 'sync method',
    batch: SYNC_BATCH,
    noObserver: 1,
    compiled: 3,
    cases: [
      { name: 'bare sync method', fn: syncBatch(() => plain.read()) },
      { name: '@CircuitBreaker, no call observer', setup: disableTracing, fn: syncBatch(() => guarded.read()) },
      { name: '@CircuitBreaker, OTel API loaded, no provider', fn: syncBatch(() => guarded.read()) },
      { name: '@CircuitBreaker compiled, no call observer', setup: disableTracing, fn: syncBatch(() => compiledGuarded.read()) },
    ],
  },
  {
    name: 'async method',
    batch: ASYNC_BATCH,
    noObserver: 1,
    compiled: 5,
    cases: [
      { name: 'bare async method', fn: asyncBatch(() => plain.call()) },
      { name: '@CircuitBreaker, no call observer', setup: disableTracing, fn: asyncBatch(() => guarded.call()) },
      { name: '@CircuitBreaker, OTel API loaded, no provider', fn: asyncBatch(() => guarded.call()) },
      { name: '@CircuitBreaker, provider + no-op exporter', setup: registerNoopProvider, fn: asyncBatch(() => guarded.call()) },
      {
        name: '@CircuitBreaker, metrics on, no provider',
        setup: () => void registry.prometheus(),
        fn: asyncBatch(() => guarded.call()),
      },
      { name: '@CircuitBreaker compiled, no call observer', setup: disableTracing, fn: asyncBatch(() => compiledGuarded.call()) },
    ],
  },
  {
    name: 'retry + breaker + timeout, happy path (async)',
    batch: ASYNC_BATCH,
    compiled: 3,
    cases: [
      { name: 'bare async method', fn: asyncBatch(() => plain.call()) },
      { name: 'hand-written wrapper, setTimeout per call', fn: asyncBatch(inline) },
      { name: 'resil runtime mode, @Retry @CircuitBreaker @Timeout', setup: disableTracing, fn: asyncBatch(() => layered.call()) },
      { name: 'resil compiled, @Retry @CircuitBreaker @Timeout', setup: disableTracing, fn: asyncBatch(() => compiledLayered.call()) },
      {
        name: 'opossum, fire(), timeout 1000',
        setup: () => void (opossum = opossumBreaker(() => plain.call())),
        fn: asyncBatch(() => opossum.fire()),
      },
      { name: 'cockatiel, wrap(retry, circuitBreaker, timeout)', fn: asyncBatch(() => cockatiel.execute(() => plain.call())) },
    ],
  },
];
