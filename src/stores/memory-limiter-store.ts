import { LRUCache } from 'lru-cache';
import type { LimiterAlgorithm, TakeResult } from '../policies/limiters/limiter.js';
import type { LimiterStore } from './limiter-store.js';

/** Default bound of {@link MemoryLimiterStore}: keys kept per limiter. */
export const MEMORY_LIMITER_MAX_KEYS = 100_000;

/** Options of {@link MemoryLimiterStore}. */
export interface MemoryLimiterStoreOptions {
  /** Keys kept; the least recently used is evicted beyond it. Default {@link MEMORY_LIMITER_MAX_KEYS}. */
  maxKeys?: number;
}

/**
 * The default {@link LimiterStore}: per-key state in process memory, in an LRU bounded at `maxKeys`
 * keys so that per-user limits cannot grow without bound. An evicted key starts again with room
 * for a full burst, so under more than `maxKeys` active keys a key can be admitted more than its
 * limit. Nothing expires on a timer: state is recomputed lazily on the next take.
 */
export class MemoryLimiterStore<S extends object> implements LimiterStore {
  private readonly states: LRUCache<string, S>;

  constructor(
    private algorithm: LimiterAlgorithm<S>,
    options: MemoryLimiterStoreOptions = {},
  ) {
    // Bounded through maxSize (each key sized 1) rather than max: max preallocates every slot up
    // front, measured at ~20 ms and a few MB per limiter for 100 000 keys, where most limiters
    // see one key (no `key` option) or a few hundred.
    this.states = new LRUCache<string, S>({
      maxSize: options.maxKeys ?? MEMORY_LIMITER_MAX_KEYS,
      sizeCalculation: () => 1,
    });
  }

  /** Applies the algorithm to `key`'s state; synchronous, hence atomic in one process. */
  take(key: string, now: number): TakeResult {
    const step = this.algorithm.take(this.states.get(key) ?? this.algorithm.initial(now), now);
    this.states.set(key, step.state);
    return step;
  }

  /**
   * Applies another algorithm from now on (a configuration reload). `keepState`: the keys keep
   * their state, which must mean the same thing to the new algorithm (same kind, same interval);
   * otherwise every key starts again with room for a full burst.
   */
  useAlgorithm(algorithm: LimiterAlgorithm<S>, keepState: boolean): void {
    this.algorithm = algorithm;
    if (!keepState) this.states.clear();
  }

  /** Keys holding state. */
  size(): number {
    return this.states.size;
  }

  /** Forgets every key. */
  clear(): void {
    this.states.clear();
  }
}
