import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { Clock } from '../clock.js';
import type { Lifecycle } from '../lifecycle.js';
import type { PolicyHandle, PolicyStats } from '../policies/policy.js';

/** Status of a check or of the whole report (`application/health+json`). */
export type HealthStatus = 'pass' | 'warn' | 'fail';

/** One check of the report. */
export interface HealthCheck {
  /** The policy id, or `process`. */
  componentId: string;
  /** The policy kind, or `system`. */
  componentType: string;
  observedValue: number | string;
  observedUnit?: string;
  status: HealthStatus;
  /** When it was observed, ISO 8601. */
  time: string;
  /** Why it is not `pass`. */
  output?: string;
}

/** The `application/health+json` report of `registry.health()`. */
export interface HealthReport {
  status: HealthStatus;
  /** 100 − 10 per `warn` check − 40 per `fail` check, never below 0. */
  score: number;
  description: string;
  /** Checks keyed `component:measurement`, e.g. `Shop.charge#circuitBreaker:state`. */
  checks: Record<string, HealthCheck[]>;
}

/** Thresholds of the process checks, ms and percent. */
export const HEALTH_THRESHOLDS = {
  eventLoopDelayWarnMs: 200,
  eventLoopDelayFailMs: 2000,
  heapWarnPercent: 85,
  heapFailPercent: 95,
  /** Share of calls a limiter refused in the last minute at which its check warns. */
  rateLimitedWarnPercent: 50,
  /** How far back the rate-limit check looks, ms. */
  rateWindowMs: 60_000,
} as const;

const RANK: Record<HealthStatus, number> = { pass: 0, warn: 1, fail: 2 };

interface Sample {
  at: number;
  calls: number;
  rejections: number;
}

/**
 * Computes health from the registry's policies and the process. Keeps a little history (the
 * limiters' counters over the last minute) and, once asked, an event-loop delay monitor, which
 * `stop()` switches off.
 */
export class HealthMonitor {
  private loop: IntervalHistogram | undefined;
  private loopSince = 0;
  private readonly samples = new Map<string, Sample[]>();

  constructor(
    private readonly policies: () => PolicyHandle[],
    private readonly lifecycle: Lifecycle,
    private readonly clock: () => Clock,
  ) {}

  /** The full report. */
  async report(): Promise<HealthReport> {
    const now = this.clock().now();
    const time = new Date(now).toISOString();
    const checks: Record<string, HealthCheck[]> = {};
    for (const policy of this.policies()) {
      const check = await this.checkPolicy(policy, now, time);
      if (check) checks[`${policy.id}:${check[0]}`] = [check[1]];
    }
    for (const [key, check] of this.processChecks(time)) checks[key] = [check];
    const all = Object.values(checks).flat();
    const status = all.reduce<HealthStatus>((worst, c) => (RANK[c.status] > RANK[worst] ? c.status : worst), 'pass');
    const warns = all.filter((c) => c.status === 'warn').length;
    const fails = all.filter((c) => c.status === 'fail').length;
    return { status, score: Math.max(0, 100 - 10 * warns - 40 * fails), description: 'resil policies and process', checks };
  }

  /** Readiness: fails while the process drains or a critical breaker is open. */
  readiness(): { status: HealthStatus; output?: string } {
    if (this.lifecycle.draining) return { status: 'fail', output: 'the process is shutting down' };
    for (const policy of this.policies()) {
      if (policy.kind !== 'circuitBreaker') continue;
      const critical = (policy.options as { critical?: boolean }).critical === true;
      if (critical && (policy.state() as { state: string }).state === 'open') {
        return { status: 'fail', output: `critical circuit ${policy.id} is open` };
      }
    }
    return { status: 'pass' };
  }

  /** Stops the event-loop delay monitor. */
  stop(): void {
    this.loop?.disable();
    this.loop = undefined;
  }

  private async checkPolicy(policy: PolicyHandle, now: number, time: string): Promise<[string, HealthCheck] | undefined> {
    const base = { componentId: policy.id, componentType: policy.kind, time };
    switch (policy.kind) {
      case 'circuitBreaker': {
        const state = policy.state() as { state: string; isolated?: boolean; retryAfterMs?: number };
        const critical = (policy.options as { critical?: boolean }).critical === true;
        const status: HealthStatus = state.state === 'closed' ? 'pass' : state.state === 'open' && critical ? 'fail' : 'warn';
        const output =
          state.state === 'closed' ? undefined : `circuit is ${state.isolated ? 'isolated' : state.state}${critical ? ' (critical)' : ''}`;
        return ['state', { ...base, observedValue: state.state, status, ...(output ? { output } : {}) }];
      }
      case 'rateLimit': {
        const percent = this.recentRejectionPercent(policy.id, policy.stats(), now);
        const warn = percent >= HEALTH_THRESHOLDS.rateLimitedWarnPercent;
        return [
          'rejections',
          { ...base, observedValue: percent, observedUnit: 'percent', status: warn ? 'warn' : 'pass', ...(warn ? { output: `${percent}% of calls refused in the last minute` } : {}) },
        ];
      }
      case 'bulkhead': {
        const { active, queued } = policy.state() as { active: number; queued: number };
        const max = (policy.options as { maxConcurrent: number }).maxConcurrent;
        // Every slot busy: the next call waits or, with no queue room, is refused.
        const saturated = active >= max;
        const output = queued > 0 ? `${queued} ${queued === 1 ? 'call' : 'calls'} waiting for a slot` : `all ${max} slots busy`;
        return [
          'saturation',
          { ...base, observedValue: Math.round((active / max) * 100), observedUnit: 'percent', status: saturated ? 'warn' : 'pass', ...(saturated ? { output } : {}) },
        ];
      }
      case 'deadLetter': {
        let count: number;
        try {
          count = (await (policy as PolicyHandle & { list(): Promise<unknown[]> }).list()).length;
        } catch (error) {
          // The only check that does I/O: a store that cannot be read is reported, not thrown,
          // so one unreadable folder does not take the whole report (and GET /health) down.
          const output = `cannot read the dead-letter store: ${error instanceof Error ? error.message : String(error)}`;
          return ['entries', { ...base, observedValue: 'unknown', status: 'warn', output }];
        }
        return [
          'entries',
          { ...base, observedValue: count, status: count > 0 ? 'warn' : 'pass', ...(count > 0 ? { output: `${count} failed ${count === 1 ? 'call' : 'calls'} waiting for replay` } : {}) },
        ];
      }
      default:
        return undefined;
    }
  }

  /** Percent of calls refused over about the last minute, from samples taken at each report. */
  private recentRejectionPercent(id: string, stats: PolicyStats, now: number): number {
    const list = this.samples.get(id) ?? [];
    // At most one sample a second: within a second the last sample takes the newer counts and
    // keeps its time, so frequent probes keep the history short (about 60 samples).
    const last = list[list.length - 1];
    if (last !== undefined && now - last.at < 1000) list[list.length - 1] = { at: last.at, calls: stats.calls, rejections: stats.rejections };
    else list.push({ at: now, calls: stats.calls, rejections: stats.rejections });
    // Keep the newest sample at least rateWindowMs old as the baseline, and everything after it.
    while (list.length > 2 && list[1]!.at <= now - HEALTH_THRESHOLDS.rateWindowMs) list.shift();
    this.samples.set(id, list);
    const base = list.length > 1 && list[0]!.at <= now - HEALTH_THRESHOLDS.rateWindowMs ? list[0]! : { calls: 0, rejections: 0 };
    const calls = stats.calls - base.calls;
    return calls === 0 ? 0 : Math.round(((stats.rejections - base.rejections) / calls) * 100);
  }

  private processChecks(time: string): [string, HealthCheck][] {
    const now = this.clock().now();
    if (!this.loop) {
      this.loop = monitorEventLoopDelay({ resolution: 20 });
      this.loop.enable();
      this.loopSince = now;
    }
    // The monitor reports nanoseconds. It starts afresh once a minute, not at each report, so the
    // figure does not depend on how often (or by whom) health is asked for.
    const delayMs = Number.isFinite(this.loop.percentile(99)) ? Math.round(this.loop.percentile(99) / 1e6) : 0;
    if (now - this.loopSince >= HEALTH_THRESHOLDS.rateWindowMs) {
      this.loop.reset();
      this.loopSince = now;
    }
    const heap = getHeapStatistics();
    // One decimal: with a heap limit of several GB, whole percent would read 0.
    const heapPercent = Math.round((heap.used_heap_size / heap.heap_size_limit) * 1000) / 10;
    const level = (value: number, warn: number, fail: number): HealthStatus => (value >= fail ? 'fail' : value >= warn ? 'warn' : 'pass');
    const system = { componentId: 'process', componentType: 'system', time };
    const checks: [string, HealthCheck][] = [
      ['eventLoop:delay', { ...system, observedValue: delayMs, observedUnit: 'ms', status: level(delayMs, HEALTH_THRESHOLDS.eventLoopDelayWarnMs, HEALTH_THRESHOLDS.eventLoopDelayFailMs) }],
      ['heap:utilization', { ...system, observedValue: heapPercent, observedUnit: 'percent', status: level(heapPercent, HEALTH_THRESHOLDS.heapWarnPercent, HEALTH_THRESHOLDS.heapFailPercent) }],
    ];
    if (this.lifecycle.draining) {
      checks.push(['process:draining', { ...system, observedValue: this.lifecycle.inFlight, observedUnit: 'calls in flight', status: 'fail', output: 'the process is shutting down' }]);
    }
    return checks;
  }
}
