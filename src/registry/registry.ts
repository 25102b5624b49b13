import { ConfigError } from '../errors.js';
import type { Disposable, NoticeEvent, ResilEvents } from '../events.js';
import type { PolicyKind } from '../policies/kinds.js';
import type { Policy, PolicyHandle } from '../policies/policy.js';
import { runtime } from '../runtime.js';
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
  private healthMonitor: HealthMonitor | undefined;

  /** Every registered policy, sorted by id. */
  policies(): PolicyDescriptor[] {
    return [...this.byId.values()]
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((p) => ({ id: p.id, kind: p.kind, method: p.methods[0] ?? '', methods: [...p.methods], options: p.options }));
  }

  /** The handle of policy `id`, or undefined. Narrow it by `kind` for policy-specific operations. */
  get(id: string): PolicyHandle | undefined {
    return this.byId.get(id);
  }

  /** Like {@link get}, but throws when there is no such policy. */
  getOrThrow(id: string): PolicyHandle {
    const policy = this.byId.get(id);
    if (!policy) throw new Error(`resil: no policy '${id}'; registered: ${[...this.byId.keys()].join(', ') || 'none'}`);
    return policy;
  }

  /** Ids of the policies of method `methodId` (`Class.method`), outermost first. */
  policiesOf(methodId: string): readonly string[] {
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
    const existing = this.byId.get(name);
    if (!existing) {
      const policy = create();
      this.byId.set(name, policy);
      return policy;
    }
    if (existing.kind !== kind || optionsSignature(existing.options) !== optionsSignature(options)) {
      throw new ConfigError([
        {
          key: `${where}.${kind}.name`,
          message: `policy name '${name}' is already used by ${existing.methods.join(', ')} with other options; a shared policy needs the same options everywhere`,
        },
      ]);
    }
    return existing as P;
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

  private unregisterMethod(methodId: string): void {
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

  /** Stops process monitoring (the event-loop delay monitor); `shutdown()` calls it. */
  stopMonitoring(): void {
    this.healthMonitor?.stop();
    this.healthMonitor = undefined;
  }

  private monitor(): HealthMonitor {
    return (this.healthMonitor ??= new HealthMonitor(() => [...this.byId.values()], runtime.lifecycle, () => runtime.clock));
  }

  /** Forgets every policy, notice and event listener. For tests. */
  clear(): void {
    this.byId.clear();
    this.byMethod.clear();
    this.noticesByKey.clear();
    this.stopMonitoring();
    runtime.events.clear();
  }
}

/** The registry of the process; the one instance every decorated class registers with. */
export const registry: Registry = ((globalThis as Global)[KEY] ??= new Registry());
