import { ConfigError } from '../errors.js';
import type { Disposable, NoticeEvent, ResilEvents } from '../events.js';
import type { PolicyKind } from '../policies/kinds.js';
import type { Policy, PolicyHandle } from '../policies/policy.js';
import { runtime } from '../runtime.js';
import type { Registry as PrometheusRegistry } from 'prom-client';
import { Metrics, METRICS_CONTENT_TYPE } from './metrics.js';
import { HealthMonitor, type HealthReport, type HealthStatus } from './health.js';

/** What `registry.policies()` lists. */
export interface PolicyDescriptor {
  /** `Class.method#kind`, or the policy's `name`. */
  id: string;
  kind: PolicyKind;
  /** The method the policy guards (the first one, for a shared policy). */
  method: string;
  /** Every method the policy guards. */
  methods: string[];
  /** Effective options after defaults. */
  options: object;
}

const KEY = Symbol.for('resil.registry');

/** A decorated method waiting for its class to be complete before it registers. */
interface PendingSite {
  finalizePending(): void;
  /** The class it belongs to, when known. */
  ownerClass(): object | undefined;
}
type Global = typeof globalThis & { [KEY]?: Registry };

/** A stable, JSON-like rendering of literal options, to tell whether two uses of a name agree. */
function optionsSignature(options: object): string {
  const o = options as Record<string, unknown>;
  return JSON.stringify(
    Object.keys(o)
      .sort()
      .map((k) => [k, typeof o[k] === 'function' ? `[function ${(o[k] as () => void).name}]` : o[k]]),
  );
}

/**
 * Every policy of every decorated method, keyed by policy id. One instance per process, shared by
 * every copy of the package: {@link registry}.
 */
export class Registry {
  private readonly byId = new Map<string, Policy>();
  private readonly byMethod = new Map<string, string[]>();
  private readonly noticesByKey = new Map<string, NoticeEvent>();
  private metricsOf: Metrics | undefined;
  private healthMonitor: HealthMonitor | undefined;
  /** Decorated methods whose class is being defined; registered once it is complete. */
  private readonly pending = new Set<PendingSite>();
  /** The first use of each shared name, by kind and options, checked before its policy exists. */
  private readonly declaredNames = new Map<string, { kind: PolicyKind; signature: string; methods: string; owner: object | undefined }>();

  /** Every registered policy, sorted by id. */
  policies(): PolicyDescriptor[] {
    this.flushPending();
    return [...this.byId.values()]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((p) => ({ id: p.id, kind: p.kind, method: p.methods[0] ?? '', methods: [...p.methods], options: p.options }));
  }

  /** The handle of policy `id`, or undefined. Narrow it by `kind` for policy-specific operations. */
  get(id: string): PolicyHandle | undefined {
    this.flushPending();
    return this.byId.get(id);
  }

  /** Like {@link get}, but throws when there is no such policy. */
  getOrThrow(id: string): PolicyHandle {
    this.flushPending();
    const policy = this.byId.get(id);
    if (!policy) throw new Error(`resil: no policy '${id}'; registered: ${[...this.byId.keys()].join(', ') || 'none'}`);
    return policy;
  }

  /** Ids of the policies of method `methodId` (`Class.method`), outermost first. */
  policiesOf(methodId: string): readonly string[] {
    this.flushPending();
    return this.byMethod.get(methodId) ?? [];
  }

  /** Subscribes to one kind of event; see {@link ResilEvents}. */
  on<K extends keyof ResilEvents>(type: K, listener: (event: ResilEvents[K]) => void): Disposable {
    return runtime.events.on(type, listener);
  }

  /**
   * Returns the shared policy called `name`, creating it with `create` the first time. A second
   * use with other options is an error: one name, one policy.
   */
  shared<P extends Policy>(kind: PolicyKind, name: string, options: object, where: string, create: () => P): P {
    const existing = this.checkShared(kind, name, options, where);
    if (existing) return existing as P;
    const policy = create();
    this.byId.set(name, policy);
    return policy;
  }

  /** The policy already shared under `name`, if any; throws when it has another kind or other options. */
  checkShared(kind: PolicyKind, name: string, options: object, where: string, owner?: object): Policy | undefined {
    const existing = this.byId.get(name);
    // A use declared by a class still being defined counts too, though its policy does not exist yet.
    const first = existing
      ? { kind: existing.kind, signature: optionsSignature(existing.options), methods: existing.methods.join(', ') }
      : this.declaredNames.get(name);
    const signature = optionsSignature(options);
    if (first && (first.kind !== kind || first.signature !== signature)) {
      throw new ConfigError([
        {
          key: `${where}.${kind}.name`,
          message: `policy name '${name}' is already used by ${first.methods} with other options; a shared policy needs the same options everywhere`,
        },
      ]);
    }
    if (!first) this.declaredNames.set(name, { kind, signature, methods: where, owner });
    return existing;
  }

  /**
   * Registers `site` once the class being defined is complete: in a microtask, or as soon as the
   * registry is read, whichever comes first.
   */
  deferFinalize(site: PendingSite): void {
    if (this.pending.size === 0) queueMicrotask(() => this.flushPending());
    this.pending.add(site);
  }

  /**
   * Forgets what a class whose definition threw had declared: its methods' pending registrations
   * and the shared names they reserved. The class is told by identity, not by name, so another
   * class of the same name keeps what it declared.
   */
  discardClass(owner: object): void {
    for (const site of this.pending) if (site.ownerClass() === owner) this.pending.delete(site);
    for (const [name, first] of this.declaredNames) if (first.owner === owner) this.declaredNames.delete(name);
  }

  private flushPending(): void {
    if (this.pending.size === 0) return;
    const sites = [...this.pending];
    this.pending.clear();
    // One site that cannot register must not keep the others from registering.
    let failure: unknown;
    for (const site of sites) {
      try {
        site.finalizePending();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
  }

  /**
   * Registers the policies of one method, replacing what the method had (a class defined again,
   * or a decorator added while the class is being defined).
   */
  registerMethod(methodId: string, policies: readonly Policy[]): void {
    this.unregisterMethod(methodId);
    this.byMethod.set(methodId, policies.map((p) => p.id));
    for (const p of policies) this.byId.set(p.id, p);
  }

  /** Forgets the policies of one method (a shared policy stays while another method uses it). */
  unregisterMethod(methodId: string): void {
    const ids = this.byMethod.get(methodId);
    if (!ids) return;
    this.byMethod.delete(methodId);
    for (const id of ids) {
      const policy = this.byId.get(id);
      // A shared policy stays while another method still uses it.
      const stillUsed = policy && [...this.byMethod.values()].some((other) => other.includes(id));
      if (!stillUsed) this.byId.delete(id);
    }
  }

  /**
   * Records something the runtime says once per method (e.g. that validation is limited in
   * runtime mode) and emits it as a `notice` event. Kept, so it can be read after the fact.
   */
  notify(notice: NoticeEvent): void {
    const key = `${notice.method}:${notice.code}`;
    if (this.noticesByKey.has(key)) return;
    this.noticesByKey.set(key, notice);
    runtime.events.emit('notice', notice);
  }

  /** Every notice so far, in the order they were given. */
  notices(): NoticeEvent[] {
    this.flushPending();
    return [...this.noticesByKey.values()];
  }

  /**
   * Health in the `application/health+json` shape: a check per breaker, limiter, bulkhead and
   * dead-letter policy and per process signal (event-loop delay, heap), the worst status, and a
   * score. See the README for the rules.
   */
  health(): Promise<HealthReport> {
    return this.monitor().report();
  }

  /** Liveness (Kubernetes semantics): the process answers. A dependency being down never fails it. */
  liveness(): { status: HealthStatus } {
    return { status: 'pass' };
  }

  /** Readiness: fails while the process drains (`shutdown()`) or a `critical` breaker is open. */
  readiness(): { status: HealthStatus; output?: string } {
    return this.monitor().readiness();
  }

  /** Lets every policy release what it holds between calls (idle timers); `shutdown()` calls it. */
  closePolicies(): void {
    for (const policy of this.byId.values()) policy.close?.();
  }

  /** Stops process monitoring (the event-loop delay monitor); `shutdown()` calls it. */
  stopMonitoring(): void {
    this.healthMonitor?.stop();
    this.healthMonitor = undefined;
  }

  private monitor(): HealthMonitor {
    const policies = () => {
      this.flushPending();
      return [...this.byId.values()];
    };
    return (this.healthMonitor ??= new HealthMonitor(policies, runtime.lifecycle, () => runtime.clock));
  }

  /**
   * Every policy's metrics as Prometheus text (see the README, "Metrics"); serve it with
   * {@link metricsContentType}. The first call (or {@link prometheus}) loads prom-client and starts
   * timing calls and counting breaker transitions.
   */
  metrics(): Promise<string> {
    return (this.metricsOf ??= new Metrics(this)).metrics();
  }

  /** The prom-client registry holding resil's metrics: `Registry.merge([yours, registry.prometheus()])`. */
  prometheus(): PrometheusRegistry {
    return (this.metricsOf ??= new Metrics(this)).prometheus;
  }

  /** Content type of {@link metrics}: `text/plain; version=0.0.4; charset=utf-8`. */
  get metricsContentType(): string {
    return METRICS_CONTENT_TYPE;
  }

  /** Forgets every policy, notice and event listener, and the metrics. For tests. */
  clear(): void {
    this.metricsOf?.dispose();
    this.metricsOf = undefined;
    this.pending.clear();
    this.declaredNames.clear();
    this.byId.clear();
    this.byMethod.clear();
    this.noticesByKey.clear();
    this.stopMonitoring();
    runtime.events.clear();
  }
}

/** The registry of the process; the one instance every decorated class registers with. */
export const registry: Registry = ((globalThis as Global)[KEY] ??= new Registry());
