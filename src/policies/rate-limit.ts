import { sleep } from '../clock.js';
import type { ResolvedRateLimitOptions } from '../config/validate-options.js';
import { ConfigError, RateLimitedError } from '../errors.js';
import type { RateLimitAlgorithm } from '../options.js';
import { assertStoreAvailable } from '../stores/availability.js';
import { runtime, type Runtime } from '../runtime.js';
import type { LimiterStore } from '../stores/limiter-store.js';
import { MemoryLimiterStore } from '../stores/memory-limiter-store.js';
import { compileKey, stableKey } from './keys.js';
import { createLimiter, type TakeResult } from './limiters/limiter.js';
import { isThenable, newStats, type Call, type MethodInfo, type Next, type Policy, type PolicyStats } from './policy.js';

/** Live state of a {@link RateLimitPolicy}, from `registry.get(id).state()`. */
export interface RateLimitState {
  algorithm: RateLimitAlgorithm;
  /** Keys holding limiter state (at most 1 without a `key` option); undefined when the store cannot count them. */
  keys: number | undefined;
  /** Calls sleeping until there is room (`onLimit: 'wait'`). */
  waiting: number;
}

/**
 * Counters of a {@link RateLimitPolicy}. `successes`: calls admitted (what the method then does is
 * not the limiter's business: its errors pass through uncounted). `rejections`: calls refused
 * with a {@link RateLimitedError}. `failures`: calls that got no answer: the key function or the
 * store threw, or the caller's signal aborted a wait. Every settled call is exactly one of the three.
 */
export type RateLimitStats = PolicyStats;

/** Turns the `key` option into a function of the arguments giving the key's string; `''` for one shared limit. */
function compileKeyString(
  key: ResolvedRateLimitOptions['key'],
  method: MethodInfo,
): (args: readonly unknown[]) => string {
  if (key === undefined) return () => '';
  const read = compileKey(key, method, 'rateLimit');
  return (args) => {
    const value = read(args);
    if (typeof value === 'string') return value;
    // Objects get a stable serialization; other values their string, so user 42 and '42' share a limit.
    return typeof value === 'object' && value !== null ? stableKey([value]) : String(value);
  };
}

/** Position of the parameter a string key reads. */
const keyParamIndex = (key: string, method: MethodInfo): number =>
  method.paramNames.indexOf(key.split('.')[0]!);

/**
 * `@RateLimit`: admits at most `limit` calls per `intervalMs` (per key with `key`), using one of
 * four algorithms (see `createLimiter`). Refused calls throw a {@link RateLimitedError} at once
 * (`onLimit: 'reject'`, synchronous for sync methods) or sleep until there is room, up to
 * `maxWaitMs` (`onLimit: 'wait'`). No timers run in the background: refill is computed from the
 * clock on each call, and the only timer is a waiting call's own sleep, cleared if its signal aborts.
 */
export class RateLimitPolicy implements Policy<RateLimitState, RateLimitStats> {
  readonly kind = 'rateLimit' as const;
  /** Effective options after defaults; replaced by {@link reconfigure}. */
  options: Readonly<ResolvedRateLimitOptions>;
  private readonly methodIds: string[];
  /** The method the key was compiled for: a shared limiter reads every method's key at its position. */
  private readonly firstMethod: MethodInfo;
  private readonly keyOf: (args: readonly unknown[]) => string;
  private readonly store: LimiterStore;
  private readonly counters: RateLimitStats = newStats();
  private waiting = 0;

  /**
   * @param id the policy id: `Class.method#rateLimit`, or the `name` option
   * @param store where limiter state lives; default a {@link MemoryLimiterStore}. Required for `store: 'redis'`.
   * @throws ConfigError when `key` names no parameter of `method`, or `store` is `'redis'` without a store
   */
  constructor(
    readonly id: string,
    method: MethodInfo,
    options: ResolvedRateLimitOptions,
    private readonly env: Runtime = runtime,
    store?: LimiterStore,
  ) {
    assertStoreAvailable('rateLimit', method.id, options.store, store !== undefined);
    this.options = options;
    this.firstMethod = method;
    this.keyOf = compileKeyString(options.key, method);
    const { limit, intervalMs, burst } = options;
    this.store = store ?? new MemoryLimiterStore(createLimiter(options.algorithm, { limit, intervalMs, burst }));
    this.methodIds = [method.id];
  }

  /**
   * Takes new tunable options (a configuration reload) in place, for a limiter kept in memory.
   * Each key keeps its tokens (or its window's count) when the algorithm and `intervalMs` stay the
   * same, capped by the new `burst`; otherwise every key starts again with room for a full burst.
   */
  reconfigure(options: Readonly<ResolvedRateLimitOptions>): (() => void) | undefined {
    const { store } = this;
    if (!(store instanceof MemoryLimiterStore) || options.store !== 'memory' || options.key !== this.options.key) return undefined;
    return () => {
      const { limit, intervalMs, burst } = options;
      const keep = options.algorithm === this.options.algorithm && intervalMs === this.options.intervalMs;
      store.useAlgorithm(createLimiter(options.algorithm, { limit, intervalMs, burst }), keep);
      this.options = options;
    };
  }

  /** Ids of the methods sharing this limiter. */
  get methods(): readonly string[] {
    return this.methodIds;
  }

  /**
   * Adds a method to a shared (named) limiter. `Call` does not say which method it comes from, so
   * a shared limiter reads a parameter-name key at the position it has in the first method; a
   * method that declares it elsewhere is a {@link ConfigError} rather than a silently wrong key.
   */
  attach(method: MethodInfo): void {
    if (this.methodIds.includes(method.id)) return;
    const { key } = this.options;
    if (typeof key === 'string') {
      compileKey(key, method, 'rateLimit');
      const here = keyParamIndex(key, method);
      const first = keyParamIndex(key, this.firstMethod);
      if (here !== first) {
        throw new ConfigError(
          [
            {
              key: `${method.id}.rateLimit.key`,
              message:
                `@RateLimit on ${method.id}: the shared limiter '${this.id}' reads key '${key}' from parameter ` +
                `${first + 1} (as in ${this.firstMethod.id}), but here it is parameter ${here + 1}; ` +
                'declare it at the same position or give a key function',
            },
          ],
          this.id,
        );
      }
    }
    this.methodIds.push(method.id);
  }

  /** Admits the call to `next` or refuses it; see {@link RateLimitPolicy}. */
  execute(call: Call, next: Next): unknown {
    this.counters.calls++;
    return this.options.onLimit === 'wait' ? this.executeWaiting(call, next) : this.executeRejecting(call, next);
  }

  /** `{ algorithm, keys, waiting }`. */
  state(): RateLimitState {
    return { algorithm: this.options.algorithm, keys: this.store.size(), waiting: this.waiting };
  }

  /** A copy of the counters; see {@link RateLimitStats}. */
  stats(): RateLimitStats {
    return { ...this.counters };
  }

  private executeRejecting(call: Call, next: Next): unknown {
    let taken: TakeResult | Promise<TakeResult>;
    try {
      taken = this.store.take(this.keyOf(call.args), this.env.clock.now());
    } catch (error) {
      this.counters.failures++;
      throw error;
    }
    // Only an asynchronous store (Redis) makes a sync method's call asynchronous.
    if (isThenable(taken)) {
      return taken.then(
        (result) => this.admitOrReject(result, call, next),
        (error: unknown) => {
          this.counters.failures++;
          throw error;
        },
      );
    }
    return this.admitOrReject(taken, call, next);
  }

  private admitOrReject(result: TakeResult, call: Call, next: Next): unknown {
    if (!result.admitted) throw this.rejection(result.retryAfterMs);
    this.counters.successes++;
    return next(call);
  }

  private async executeWaiting(call: Call, next: Next): Promise<unknown> {
    let result: TakeResult;
    try {
      result = await this.waitForRoom(call);
    } catch (error) {
      this.counters.failures++;
      throw error;
    }
    if (!result.admitted) throw this.rejection(result.retryAfterMs);
    this.counters.successes++;
    return next(call);
  }

  /**
   * Takes a slot; while refused, sleeps the exact `retryAfterMs` and tries again, as long as the
   * wait fits what is left of `maxWaitMs`. Another caller may take the slot first (waiters are not
   * queued), hence the loop. Returns the last answer: admitted, or the refusal that did not fit.
   */
  private async waitForRoom(call: Call): Promise<TakeResult> {
    const { clock } = this.env;
    const key = this.keyOf(call.args);
    const deadline = clock.now() + this.options.maxWaitMs;
    // Taken before any await, so calls are served in the order they arrive when there is room.
    const first = this.store.take(key, clock.now());
    let result = isThenable(first) ? await first : first;
    while (!result.admitted && result.retryAfterMs <= deadline - clock.now()) {
      this.waiting++;
      try {
        await sleep(clock, result.retryAfterMs, call.signal);
      } finally {
        this.waiting--;
      }
      result = await this.store.take(key, clock.now());
    }
    return result;
  }

  private rejection(retryAfterMs: number): RateLimitedError {
    this.counters.rejections++;
    if (this.env.events.has('rejection')) {
      this.env.events.emit('rejection', { policy: this.id, kind: 'rateLimit', code: 'RATE_LIMITED', retryAfterMs });
    }
    return new RateLimitedError(this.id, retryAfterMs);
  }
}
