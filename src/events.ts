import type { PolicyKind } from './policies/kinds.js';

/** State of a circuit breaker. `isolated` breakers report `open`. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** A breaker moved from one state to another. */
export interface StateChangeEvent {
  policy: string;
  from: CircuitState;
  to: CircuitState;
  /** Clock time of the transition, ms. */
  at: number;
  /** Why: `failures`, `failure-rate`, `slow-call-rate`, `timeout-elapsed`, `trial-failed`, `trials-succeeded`, `reset`, `isolate`. */
  reason: string;
}

/** `@Retry` starts attempt number `attempt` (1 is the first call). */
export interface AttemptEvent {
  policy: string;
  method: string;
  attempt: number;
}

/** An attempt failed (or its result was rejected by `retryOnResult`) and another will follow. */
export interface RetryEvent {
  policy: string;
  method: string;
  /** The attempt that just failed, 1-based. */
  attempt: number;
  /** Delay before the next attempt, ms. */
  delayMs: number;
  error?: unknown;
  result?: unknown;
}

/** A policy refused a call: an open circuit, an exhausted rate limit, a full bulkhead. */
export interface RejectionEvent {
  policy: string;
  kind: PolicyKind;
  code: 'CIRCUIT_OPEN' | 'RATE_LIMITED' | 'BULKHEAD_FULL';
  retryAfterMs?: number;
}

/** An attempt ran past its `@Timeout`. */
export interface TimeoutEvent {
  policy: string;
  timeoutMs: number;
}

/** `@Fallback` answered instead of the method. */
export interface FallbackEvent {
  policy: string;
  method: string;
  error: unknown;
}

/** A `@Cached` lookup. */
export interface CacheEvent {
  policy: string;
  result: 'hit' | 'miss' | 'stale';
}

/** A background refresh (stale-while-revalidate) failed; the stale value stays. */
export interface RefreshErrorEvent {
  policy: string;
  error: unknown;
}

/** A dead letter was stored (`stored`) or could not be (`error`). */
export interface DeadLetterEvent {
  policy: string;
  entryId: string;
  error?: unknown;
}

/** Something the runtime wants to say once about a method, e.g. that validation is limited in runtime mode. */
export interface NoticeEvent {
  method: string;
  /**
   * `validationLimited`: `@Validated` checks only what runtime mode can see. `generatedMissing` /
   * `generatedStale`: the method runs in runtime mode because its generated entry is missing, or
   * was generated from other decorator options. `configUnused`: the configuration names a method
   * id no defined method has (runtime mode; compiled mode makes it a `ConfigError`).
   */
  code: 'validationLimited' | 'generatedMissing' | 'generatedStale' | 'configUnused';
  message: string;
}

/** A configuration (re)loaded and applied to the running methods. */
export interface ConfigChangeEvent {
  /** The file read, absolute; undefined for an object given to `configure`. */
  file: string | undefined;
  /** Ids of the methods whose options or switch changed, sorted. */
  methods: string[];
}

/** A changed configuration file that was refused: the configuration in force stays. */
export interface ConfigErrorEvent {
  file: string;
  /** A `ConfigError` listing every problem. */
  error: Error & { issues: { key: string; message: string }[] };
}

/** Every event the registry emits, by name. */
export interface ResilEvents {
  stateChange: StateChangeEvent;
  attempt: AttemptEvent;
  retry: RetryEvent;
  rejection: RejectionEvent;
  timeout: TimeoutEvent;
  fallback: FallbackEvent;
  cache: CacheEvent;
  refreshError: RefreshErrorEvent;
  deadLetter: DeadLetterEvent;
  deadLetterError: DeadLetterEvent;
  notice: NoticeEvent;
  configChange: ConfigChangeEvent;
  configError: ConfigErrorEvent;
}

/** Returned by every subscription; call `dispose()` to unsubscribe. */
export interface Disposable {
  dispose(): void;
}

type Listener<T> = (event: T) => void;

/**
 * A small typed emitter. Policies ask {@link EventHub.has} before building a payload, so an event
 * nobody listens to costs one map lookup.
 */
export class EventHub {
  private readonly listeners = new Map<keyof ResilEvents, Set<Listener<never>>>();
  /**
   * Listener counts by type, read on every call by {@link has}: a property of a plain object is
   * cheaper to read than a map entry on the hot path of a generated wrapper.
   */
  private readonly counts: Partial<Record<keyof ResilEvents, number>> = {};

  on<K extends keyof ResilEvents>(type: K, listener: Listener<ResilEvents[K]>): Disposable {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener as Listener<never>);
    this.counts[type] = set.size;
    return {
      dispose: () => {
        set.delete(listener as Listener<never>);
        // A subscription from before clear() no longer counts.
        if (this.listeners.get(type) === set) this.counts[type] = set.size;
      },
    };
  }

  has(type: keyof ResilEvents): boolean {
    return (this.counts[type] ?? 0) > 0;
  }

  emit<K extends keyof ResilEvents>(type: K, event: ResilEvents[K]): void {
    const set = this.listeners.get(type);
    if (!set) return;
    for (const listener of set) {
      // A throwing listener must not break the call it observes.
      try {
        (listener as Listener<ResilEvents[K]>)(event);
      } catch {
        /* listeners are the user's; their errors are theirs */
      }
    }
  }

  clear(): void {
    this.listeners.clear();
    for (const type of Object.keys(this.counts) as (keyof ResilEvents)[]) delete this.counts[type];
  }
}
