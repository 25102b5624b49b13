import { LRUCache } from 'lru-cache';
import type { ResolvedCachedOptions } from '../config/validate-options.js';
import { isResilError } from '../errors.js';
import { assertStoreAvailable } from '../stores/availability.js';
import { runtime, type Runtime } from '../runtime.js';
import { compileKey, stableKey, type KeyFn } from './keys.js';
import { isThenable, newStats, type Call, type MethodInfo, type Next, type Policy, type PolicyStats } from './policy.js';

/** What `state()` of a cache returns. */
export interface CacheState {
  size: number;
  hits: number;
  misses: number;
}

/** Counters of a cache. */
export interface CacheStats extends PolicyStats {
  hits: number;
  misses: number;
  /** Stale values served while a refresh ran. */
  stale: number;
}

/** One cached outcome. `async` says whether the method returned a promise for it. */
interface Entry {
  readonly value: unknown;
  readonly failed: boolean;
  readonly async: boolean;
  readonly freshUntil: number;
  readonly staleUntil: number;
}

/**
 * `@Cached`: an LRU of `maxEntries` outcomes, fresh for `ttlMs`, then served stale for
 * `staleWhileRevalidateMs` while one background refresh runs. Concurrent misses for one key share
 * one call (`singleFlight`). Keys are type-preserving (see {@link stableKey}). Expiry is computed
 * from the clock on lookup: no timers. Answers produced by `@Fallback` are not cached, so a
 * fallback does not outlive the failure that caused it. Synchronous for a synchronous method.
 */
export class CachePolicy implements Policy<CacheState, CacheStats> {
  readonly kind = 'cache' as const;
  readonly methods: string[];
  private readonly counters: CacheStats = { ...newStats(), hits: 0, misses: 0, stale: 0 };
  private entries: LRUCache<string, Entry>;
  private readonly inflight = new Map<string, Promise<unknown>>();
  private readonly refreshing = new Set<string>();
  private readonly keyFn: KeyFn | undefined;
  private readonly signalIndex: number;
  /** Effective options after defaults; replaced by {@link reconfigure}. */
  options: Readonly<ResolvedCachedOptions>;

  constructor(
    readonly id: string,
    method: MethodInfo,
    options: ResolvedCachedOptions,
    private readonly env: Runtime = runtime,
  ) {
    this.options = options;
    assertStoreAvailable('cache', method.id, options.store, false);
    this.methods = [method.id];
    this.entries = new LRUCache({ max: options.maxEntries });
    this.keyFn = options.key === undefined ? undefined : compileKey(options.key, method, 'cache');
    this.signalIndex = method.signalIndex;
  }

  /**
   * Takes new tunable options (a configuration reload) and keeps the entries: each keeps the
   * freshness it was stored with, new entries get the new `ttlMs`; a smaller `maxEntries` keeps the
   * most recently used. The key is code and cannot change.
   */
  reconfigure(options: Readonly<ResolvedCachedOptions>): (() => void) | undefined {
    if (options.key !== this.options.key || options.store !== 'memory') return undefined;
    return () => {
      if (options.maxEntries !== this.options.maxEntries) {
        const resized = new LRUCache<string, Entry>({ max: options.maxEntries });
        // Least recently used first, so the most recent are the ones kept and stay the most recent.
        for (const [key, entry] of [...this.entries.entries()].reverse()) resized.set(key, entry);
        this.entries = resized;
      }
      this.options = options;
    };
  }

  state(): CacheState {
    return { size: this.entries.size, hits: this.counters.hits, misses: this.counters.misses };
  }

  stats(): CacheStats {
    return { ...this.counters };
  }

  /** Drops the entry the given arguments map to. */
  invalidate(...args: unknown[]): boolean {
    return this.entries.delete(this.keyOf(args));
  }

  /** Drops every entry. */
  clear(): void {
    this.entries.clear();
  }

  private keyOf(args: readonly unknown[]): string {
    return this.keyFn ? stableKey([this.keyFn(args)]) : stableKey(args, this.signalIndex);
  }

  execute(call: Call, next: Next): unknown {
    this.counters.calls++;
    const key = this.keyOf(call.args);
    const now = this.env.clock.now();
    const entry = this.entries.get(key);
    if (entry) {
      if (now < entry.freshUntil) {
        this.count('hit');
        return this.answer(entry);
      }
      if (now < entry.staleUntil) {
        this.count('stale');
        this.refresh(key, call, next);
        return this.answer(entry);
      }
      this.entries.delete(key);
    }
    const shared = this.options.singleFlight ? this.inflight.get(key) : undefined;
    if (shared) {
      this.count('hit');
      // A call that joins a load settles as that load does.
      return shared.then(
        (value) => {
          this.counters.successes++;
          return value;
        },
        (error: unknown) => {
          this.counters.failures++;
          throw error;
        },
      );
    }
    this.count('miss');
    return this.load(key, call, next);
  }

  /** Runs the method for a miss and stores its outcome. */
  private load(key: string, call: Call, next: Next): unknown {
    let result: unknown;
    try {
      result = next(call);
    } catch (error) {
      this.counters.failures++;
      if (this.cachesError(error)) this.store(key, error, true, false);
      throw error;
    }
    if (!isThenable(result)) {
      this.counters.successes++;
      if (!call.fromFallback) this.store(key, result, false, false);
      return result;
    }
    const promise = Promise.resolve(result).then(
      (value) => {
        this.inflight.delete(key);
        this.counters.successes++;
        if (!call.fromFallback) this.store(key, value, false, true);
        return value;
      },
      (error: unknown) => {
        this.inflight.delete(key);
        this.counters.failures++;
        if (this.cachesError(error)) this.store(key, error, true, true);
        throw error;
      },
    );
    if (this.options.singleFlight) this.inflight.set(key, promise);
    return promise;
  }

  /**
   * With `cacheErrors`, the method's own failures are kept; resil's refusals and timeouts (an open
   * circuit, a rate limit, a full bulkhead) say something about this moment only and are not.
   */
  private cachesError(error: unknown): boolean {
    return this.options.cacheErrors && !isResilError(error);
  }

  /**
   * Runs one background refresh of a stale key, after the current call has its stale answer (in a
   * microtask, so a synchronous method does not run inline either); its failure keeps the stale value.
   */
  private refresh(key: string, call: Call, next: Next): void {
    if (this.refreshing.has(key) || this.env.lifecycle.draining) return;
    this.refreshing.add(key);
    const copy: Call = { ...call, fromFallback: false, scope: undefined };
    this.env.lifecycle
      .track(this.methods[0]!, () => new Promise<void>((resolve) => queueMicrotask(resolve)).then(() => next(copy)))
      .then(
        (value) => {
          if (!copy.fromFallback) this.store(key, value, false, this.entries.get(key)?.async ?? true);
        },
        (error: unknown) => {
          if (this.env.events.has('refreshError')) this.env.events.emit('refreshError', { policy: this.id, error });
        },
      )
      .finally(() => this.refreshing.delete(key));
  }

  private store(key: string, value: unknown, failed: boolean, async: boolean): void {
    const now = this.env.clock.now();
    const freshUntil = now + this.options.ttlMs;
    this.entries.set(key, { value, failed, async, freshUntil, staleUntil: freshUntil + this.options.staleWhileRevalidateMs });
  }

  private replay(entry: Entry): unknown {
    if (entry.async) return entry.failed ? Promise.reject(entry.value) : Promise.resolve(entry.value);
    if (entry.failed) throw entry.value;
    return entry.value;
  }

  /** Answers from an entry: a cached value is a success, a cached error (`cacheErrors`) a failure. */
  private answer(entry: Entry): unknown {
    if (entry.failed) this.counters.failures++;
    else this.counters.successes++;
    return this.replay(entry);
  }

  private count(result: 'hit' | 'miss' | 'stale'): void {
    if (result === 'hit') this.counters.hits++;
    else if (result === 'miss') this.counters.misses++;
    else {
      this.counters.stale++;
      this.counters.hits++;
    }
    if (this.env.events.has('cache')) this.env.events.emit('cache', { policy: this.id, result });
  }
}
