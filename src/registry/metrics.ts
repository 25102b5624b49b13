import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';
import type { Disposable } from '../events.js';
import type { BulkheadState } from '../policies/bulkhead.js';
import type { CacheStats } from '../policies/cache.js';
import type { CircuitBreakerState } from '../policies/circuit-breaker.js';
import type { FallbackStats } from '../policies/fallback.js';
import type { PolicyKind } from '../policies/kinds.js';
import type { PolicyHandle } from '../policies/policy.js';
import type { RetryStats } from '../policies/retry.js';
import type { TimeoutStats } from '../policies/timeout.js';
import { runtime, type Runtime } from '../runtime.js';
import { DurationHistogram } from './duration-histogram.js';
import type { DeadLetterHandle } from './handles.js';
import type { Registry } from './registry.js';

/** Content type of the Prometheus text exposition format that {@link Metrics.metrics} returns. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export { DURATION_BUCKETS_SECONDS } from './duration-histogram.js';

const CIRCUIT_STATES = ['closed', 'open', 'half-open'] as const;

// prom-client takes ~36 ms to load on Node 20 (measured: `require('prom-client')`, three runs),
// about as long as the rest of resil, so it is loaded when metrics are first asked for.
const requireHere = createRequire(import.meta.url);

type Labels = Record<string, string>;
type Fill = (set: (labels: Labels, value: number) => void) => void | Promise<void>;

/**
 * resil's Prometheus metrics, in a prom-client `Registry` of their own (never the global default
 * one; no default process metrics). Counters and gauges are read from the policies' `stats()` and
 * `state()` at scrape time, so they cost nothing per call; `resil_call_duration_seconds` is
 * observed at the end of each decorated call, and `resil_circuit_transitions_total` counts the
 * `stateChange` events emitted after this object was created. Labels are policy ids (the
 * histogram's `policy` label is the method id, `Class.method`), outcomes and states: never
 * arguments or rate-limit keys.
 */
export class Metrics {
  /** The prom-client registry holding every resil metric; merge it into your own. */
  readonly prometheus: PromClient.Registry;
  private readonly client: typeof PromClient;
  private readonly stopObserving: () => void;
  private readonly transitionsSubscription: Disposable;

  /**
   * @param source the registry whose policies are reported
   * @param env where the clock, the events and the call lifecycle come from; {@link runtime} by default
   */
  constructor(
    private readonly source: Registry,
    private readonly env: Runtime = runtime,
  ) {
    this.client = requireHere('prom-client') as typeof PromClient;
    this.prometheus = new this.client.Registry();
    this.defineCallMetrics();
    const transitions = this.defineBreakerMetrics();
    this.definePolicyMetrics();
    const duration = new DurationHistogram(env);
    duration.registerIn(this.prometheus);
    this.transitionsSubscription = env.events.on('stateChange', (e) => transitions.inc({ policy: e.policy, from: e.from, to: e.to }));
    this.stopObserving = env.lifecycle.observe(duration.observer());
  }

  /** The Prometheus text exposition of every metric (content type {@link METRICS_CONTENT_TYPE}). */
  metrics(): Promise<string> {
    return this.prometheus.metrics();
  }

  /** Stops timing calls and counting transitions; the counters and gauges still read `source` when scraped. */
  dispose(): void {
    this.stopObserving();
    this.transitionsSubscription.dispose();
  }

  /** Every registered policy of `kind` with its handle. */
  private handles(kind?: PolicyKind): { id: string; kind: PolicyKind; handle: PolicyHandle }[] {
    const out: { id: string; kind: PolicyKind; handle: PolicyHandle }[] = [];
    for (const p of this.source.policies()) {
      const handle = this.source.get(p.id);
      if (handle && (kind === undefined || p.kind === kind)) out.push({ id: p.id, kind: p.kind, handle });
    }
    return out;
  }

  /** A counter whose series are recomputed by `fill` at each scrape. */
  private counter(name: string, help: string, labelNames: string[], fill: Fill): PromClient.Counter {
    return new this.client.Counter({
      name,
      help,
      labelNames,
      registers: [this.prometheus],
      collect() {
        this.reset();
        return fill((labels, value) => this.inc(labels, value));
      },
    });
  }

  /** A gauge whose series are recomputed by `fill` at each scrape. */
  private gauge(name: string, help: string, labelNames: string[], fill: Fill): PromClient.Gauge {
    return new this.client.Gauge({
      name,
      help,
      labelNames,
      registers: [this.prometheus],
      async collect() {
        // Gathered first and set at once, so a slow store cannot leave a half-filled gauge.
        const values: [Labels, number][] = [];
        await fill((labels, value) => values.push([labels, value]));
        this.reset();
        for (const [labels, value] of values) this.set(labels, value);
      },
    });
  }

  private defineCallMetrics(): void {
    this.counter(
      'resil_calls_total',
      'Calls settled by each policy, by outcome (disjoint): success, failure, rejected (refused by the policy), timeout (@Timeout), fallback (@Fallback answered).',
      ['policy', 'outcome'],
      (set) => {
        for (const { id, kind, handle } of this.handles()) {
          const s = handle.stats();
          // A timeout's `failures` include its expired deadlines; here the outcomes are disjoint.
          const timeouts = kind === 'timeout' ? (s as TimeoutStats).timeouts : 0;
          set({ policy: id, outcome: 'success' }, s.successes);
          set({ policy: id, outcome: 'failure' }, Math.max(0, s.failures - timeouts));
          set({ policy: id, outcome: 'rejected' }, s.rejections);
          if (kind === 'timeout') set({ policy: id, outcome: 'timeout' }, timeouts);
          if (kind === 'fallback') set({ policy: id, outcome: 'fallback' }, (s as FallbackStats).fallbacks);
        }
      },
    );
    this.counter('resil_retries_total', 'Retries made by each @Retry policy (attempts after the first).', ['policy'], (set) => {
      for (const { id, handle } of this.handles('retry')) set({ policy: id }, (handle.stats() as RetryStats).retries);
    });
  }

  /** Circuit state and transitions; the state gauge is registered first so that a scrape which moves an open circuit to half-open counts that move in the same scrape. */
  private defineBreakerMetrics(): PromClient.Counter {
    this.gauge('resil_circuit_state', 'Current state of each circuit breaker: 1 for the current state, 0 for the others.', ['policy', 'state'], (set) => {
      for (const { id, handle } of this.handles('circuitBreaker')) {
        const current = (handle.state() as CircuitBreakerState).state;
        for (const state of CIRCUIT_STATES) set({ policy: id, state }, state === current ? 1 : 0);
      }
    });
    return new this.client.Counter({
      name: 'resil_circuit_transitions_total',
      help: 'Circuit breaker state transitions since metrics were first requested.',
      labelNames: ['policy', 'from', 'to'],
      registers: [this.prometheus],
    });
  }

  private definePolicyMetrics(): void {
    this.counter('resil_rate_limited_total', 'Calls refused by each @RateLimit policy.', ['policy'], (set) => {
      for (const { id, handle } of this.handles('rateLimit')) set({ policy: id }, handle.stats().rejections);
    });
    this.counter('resil_cache_requests_total', 'Lookups of each @Cached policy by result: hit (fresh), miss, stale (served while revalidating).', ['policy', 'result'], (set) => {
      for (const { id, handle } of this.handles('cache')) {
        const s = handle.stats() as CacheStats;
        // The cache counts a stale answer as a hit too; here the three results are disjoint.
        set({ policy: id, result: 'hit' }, s.hits - s.stale);
        set({ policy: id, result: 'miss' }, s.misses);
        set({ policy: id, result: 'stale' }, s.stale);
      }
    });
    const bulkhead = (field: keyof BulkheadState): Fill => (set) => {
      for (const { id, handle } of this.handles('bulkhead')) set({ policy: id }, (handle.state() as BulkheadState)[field]);
    };
    this.gauge('resil_bulkhead_active', 'Calls running inside each @Bulkhead.', ['policy'], bulkhead('active'));
    this.gauge('resil_bulkhead_queued', 'Calls waiting for a slot of each @Bulkhead.', ['policy'], bulkhead('queued'));
    this.gauge('resil_dead_letters', 'Entries stored by each @DeadLetter policy.', ['policy'], async (set) => {
      for (const { id, handle } of this.handles('deadLetter')) {
        try {
          set({ policy: id }, (await (handle as DeadLetterHandle).list()).length);
        } catch {
          // A store that cannot be read now is left out of this scrape rather than failing it.
        }
      }
    });
  }
}
