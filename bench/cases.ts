// What `npm run bench` measures. Each case runs in a process of its own, set up once, so that the
// JIT state of one case (spans being made, say) cannot leak into another's figures.
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { disableTracing, registry } from 'resil';
import type Opossum from 'opossum';
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
  /** The index of the decorated case without any call observer, for the table's last column. */
  noObserver?: number;
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
const inline = handWritten(() => plain.call());
const cockatiel = cockatielPolicy();
// Made in its case's setup: each opossum breaker starts a statistics interval, which other cases' processes need not run.
let opossum: Opossum<[], number>;

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
    cases: [
      { name: 'bare sync method', fn: syncBatch(() => plain.read()) },
      { name: '@CircuitBreaker, no call observer', setup: disableTracing, fn: syncBatch(() => guarded.read()) },
      { name: '@CircuitBreaker, OTel API loaded, no provider', fn: syncBatch(() => guarded.read()) },
    ],
  },
  {
    name: 'async method',
    batch: ASYNC_BATCH,
    noObserver: 1,
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
    ],
  },
  {
    name: 'retry + breaker + timeout, happy path (async)',
    batch: ASYNC_BATCH,
    note: 'compiled resil (resil gen; issue 3 targets at most 4x the bare call) is not in this version',
    cases: [
      { name: 'bare async method', fn: asyncBatch(() => plain.call()) },
      { name: 'hand-written wrapper, setTimeout per call', fn: asyncBatch(inline) },
      { name: 'resil runtime mode, @Retry @CircuitBreaker @Timeout', setup: disableTracing, fn: asyncBatch(() => layered.call()) },
      {
        name: 'opossum, fire(), timeout 1000',
        setup: () => void (opossum = opossumBreaker(() => plain.call())),
        fn: asyncBatch(() => opossum.fire()),
      },
      { name: 'cockatiel, wrap(retry, circuitBreaker, timeout)', fn: asyncBatch(() => cockatiel.execute(() => plain.call())) },
    ],
  },
];
