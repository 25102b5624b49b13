import type * as PromClient from 'prom-client';
import type { CallObserver, CallScope } from '../lifecycle.js';
import type { MethodInfo } from '../policies/policy.js';
import type { Runtime } from '../runtime.js';

/** Upper bounds of `resil_call_duration_seconds`, seconds: calls from 1 ms to 30 s. */
export const DURATION_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;

const NAME = 'resil_call_duration_seconds';
const HELP = 'Duration of decorated calls in seconds, by method id (Class.method) in the policy label.';

/** One method's durations: a count per bucket (not cumulative), their sum and number. */
class MethodDurations {
  readonly counts = new Float64Array(DURATION_BUCKETS_SECONDS.length);
  sum = 0;
  count = 0;

  observe(seconds: number): void {
    let i = 0;
    while (i < DURATION_BUCKETS_SECONDS.length && seconds > DURATION_BUCKETS_SECONDS[i]!) i++;
    if (i < this.counts.length) this.counts[i]!++;
    this.sum += seconds;
    this.count++;
  }
}

/** Times one decorated call; the other scope methods are of no interest to a histogram. */
class DurationScope implements CallScope {
  constructor(
    private readonly durations: MethodDurations,
    private readonly clock: Runtime['clock'],
    private readonly startedAt: number,
  ) {}
  attempt(): void {}
  event(): void {}
  setAttribute(): void {}
  end(): void {
    this.durations.observe((this.clock.now() - this.startedAt) / 1000);
  }
}

/**
 * `resil_call_duration_seconds`, kept by resil rather than by a prom-client `Histogram`: a
 * prom-client child re-validates and hashes its labels on every `observe()` (about 0.6 µs a call,
 * measured in bench/), while here a call finds its bucket among 14 bounds and adds to three numbers.
 * prom-client reads it at scrape time through `get()`, the shape its own metrics have, so it formats,
 * merges (`Registry.merge`) and exports it like any other; the tests check the text, the merge and
 * `promtool check metrics`.
 */
export class DurationHistogram {
  private readonly byMethod = new Map<string, MethodDurations>();
  readonly name = NAME;
  readonly help = HELP;
  readonly type = 'histogram';
  readonly aggregator = 'sum';

  constructor(private readonly env: Runtime) {}

  /** The call observer that feeds it. */
  observer(): CallObserver {
    return {
      start: (method: MethodInfo) => {
        let durations = this.byMethod.get(method.id);
        if (!durations) this.byMethod.set(method.id, (durations = new MethodDurations()));
        const { clock } = this.env;
        return new DurationScope(durations, clock, clock.now());
      },
    };
  }

  /** Registers it in `registry` as a prom-client metric. */
  registerIn(registry: PromClient.Registry): void {
    // Metric<T> is typed as the union of prom-client's own classes; this object has their shape.
    registry.registerMetric(this as unknown as PromClient.Metric);
  }

  /** What prom-client serialises: cumulative `_bucket` series with `le`, then `_sum` and `_count`, per method. */
  get(): { name: string; help: string; type: string; aggregator: string; values: PromClient.MetricValueWithName<string>[] } {
    const values: PromClient.MetricValueWithName<string>[] = [];
    for (const [policy, d] of [...this.byMethod].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      let cumulative = 0;
      DURATION_BUCKETS_SECONDS.forEach((le, i) => {
        cumulative += d.counts[i]!;
        values.push({ labels: { policy, le }, value: cumulative, metricName: `${NAME}_bucket` });
      });
      values.push({ labels: { policy, le: '+Inf' }, value: d.count, metricName: `${NAME}_bucket` });
      values.push({ labels: { policy }, value: d.sum, metricName: `${NAME}_sum` });
      values.push({ labels: { policy }, value: d.count, metricName: `${NAME}_count` });
    }
    return { name: NAME, help: HELP, type: 'histogram', aggregator: 'sum', values };
  }

  /** Forgets every observation (prom-client's `registry.resetMetrics()`). */
  reset(): void {
    this.byMethod.clear();
  }
}
