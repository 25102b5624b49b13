import type { TimerHandle } from '../clock.js';
import type { ResolvedBulkheadOptions } from '../config/validate-options.js';
import { BulkheadFullError } from '../errors.js';
import { runtime, type Runtime } from '../runtime.js';
import { newStats, type Call, type MethodInfo, type Next, type Policy, type PolicyStats } from './policy.js';

/** What `state()` of a bulkhead returns. */
export interface BulkheadState {
  active: number;
  queued: number;
}

/** A call waiting for a slot. */
interface Waiter {
  readonly grant: () => void;
  readonly refuse: (error: unknown) => void;
}

/**
 * `@Bulkhead`: at most `maxConcurrent` calls run at once, up to `maxQueue` more wait in FIFO order
 * (at most `queueTimeoutMs` each); the rest are refused with {@link BulkheadFullError}. A slot is
 * released on every exit path (result, rejection, synchronous throw) and handed straight to the
 * next waiter. Always asynchronous.
 */
export class BulkheadPolicy implements Policy<BulkheadState, PolicyStats> {
  readonly kind = 'bulkhead' as const;
  readonly methods: string[];
  private readonly counters = newStats();
  private active = 0;
  private readonly waiters: Waiter[] = [];

  constructor(
    readonly id: string,
    method: MethodInfo,
    options: ResolvedBulkheadOptions,
    private readonly env: Runtime = runtime,
  ) {
    this.methods = [method.id];
    this.options = options;
  }

  /** Effective options after defaults; replaced by {@link reconfigure}. */
  options: Readonly<ResolvedBulkheadOptions>;

  /**
   * Takes new options (a configuration reload) in place, so calls running and waiting stay counted:
   * more room admits waiters at once; less room lets running calls finish and admits the next
   * waiter only below the new limit. Waiters already queued keep their place and their deadline.
   */
  reconfigure(options: Readonly<ResolvedBulkheadOptions>): () => void {
    return () => {
      this.options = options;
      while (this.active < options.maxConcurrent && this.waiters.length > 0) {
        this.active++;
        this.waiters[0]!.grant();
      }
    };
  }

  state(): BulkheadState {
    return { active: this.active, queued: this.waiters.length };
  }

  stats(): PolicyStats {
    return { ...this.counters };
  }

  execute(call: Call, next: Next): Promise<unknown> {
    this.counters.calls++;
    if (this.active < this.options.maxConcurrent) {
      this.active++;
      return this.run(call, next);
    }
    if (this.waiters.length >= this.options.maxQueue) return Promise.reject(this.refusal('bulkhead is full'));
    return this.wait(call).then(() => this.run(call, next));
  }

  private run(call: Call, next: Next): Promise<unknown> {
    let result: unknown;
    try {
      result = next(call);
    } catch (error) {
      this.release();
      this.counters.failures++;
      return Promise.reject(error);
    }
    return Promise.resolve(result).then(
      (value) => {
        this.release();
        this.counters.successes++;
        return value;
      },
      (error: unknown) => {
        this.release();
        this.counters.failures++;
        throw error;
      },
    );
  }

  /**
   * Waits in the queue for a slot; the slot is already counted in `active` when this resolves. The
   * wait ends early when the caller's signal aborts or a `@Timeout` above abandons the call.
   */
  private wait(call: Call): Promise<void> {
    const { signal } = call;
    if (signal?.aborted) {
      this.counters.failures++;
      return Promise.reject(signal.reason);
    }
    const { clock } = this.env;
    return new Promise<void>((resolve, reject) => {
      let timer: TimerHandle | undefined;
      const leave = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        if (timer !== undefined) clock.clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        call.abandon = undefined;
      };
      const onAbort = () => {
        this.counters.failures++;
        leave();
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        grant: () => {
          leave();
          resolve();
        },
        refuse: (error) => {
          leave();
          reject(error);
        },
      };
      this.waiters.push(waiter);
      // Abandoned by a timeout above while queued: it never ran, so it counts as refused.
      call.abandon = (reason) => {
        this.counters.rejections++;
        waiter.refuse(reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const { queueTimeoutMs } = this.options;
      if (queueTimeoutMs !== undefined) {
        timer = clock.setTimeout(
          () => waiter.refuse(this.refusal(`waited ${queueTimeoutMs} ms in the bulkhead queue`)),
          queueTimeoutMs,
        );
      }
    });
  }

  /** Frees a slot, or hands it to the first waiter (unless a smaller limit now holds fewer slots). */
  private release(): void {
    const waiter = this.waiters[0];
    if (waiter && this.active <= this.options.maxConcurrent) waiter.grant();
    else this.active--;
  }

  private refusal(message: string): BulkheadFullError {
    this.counters.rejections++;
    if (this.env.events.has('rejection'))
      this.env.events.emit('rejection', { policy: this.id, kind: 'bulkhead', code: 'BULKHEAD_FULL' });
    return new BulkheadFullError(this.id, message);
  }
}
