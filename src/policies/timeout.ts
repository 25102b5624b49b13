import type { TimerHandle } from '../clock.js';
import type { ResolvedTimeoutOptions } from '../config/validate-options.js';
import { TimeoutError } from '../errors.js';
import { runtime, type Runtime } from '../runtime.js';
import { newStats, type Call, type MethodInfo, type Next, type Policy, type PolicyStats } from './policy.js';

/** What `state()` of a timeout returns. */
export interface TimeoutState {
  /** Calls waiting for their result or their deadline. */
  pending: number;
}

/** Counters of a timeout: `failures` counts errors of the method, `timeouts` expired deadlines. */
export interface TimeoutStats extends PolicyStats {
  timeouts: number;
}

/** One call waiting for its result or its deadline. */
interface Pending {
  readonly deadline: number;
  readonly call: Call;
  done: boolean;
  readonly reject: (error: unknown) => void;
  readonly controller: AbortController | undefined;
}

/**
 * `@Timeout`: each attempt must settle within `ms`. Every call of a method has the same duration,
 * so deadlines arrive in call order: the pending calls form a FIFO queue and one timer, armed for
 * the earliest pending deadline, serves them all. A call therefore costs a queue slot, not a
 * `setTimeout`; the timer is cleared as soon as nothing is pending, so it never keeps a process
 * alive after the work is done. A method that takes an `AbortSignal` gets one that aborts at the
 * deadline and when the caller's own signal aborts; the controller is created only for such
 * methods and never aborted after success.
 */
export class TimeoutPolicy implements Policy<TimeoutState, TimeoutStats> {
  readonly kind = 'timeout' as const;
  readonly methods: string[];
  private readonly counters: TimeoutStats = { ...newStats(), timeouts: 0 };
  private readonly queue: Pending[] = [];
  private head = 0;
  private pendingCount = 0;
  private timer: TimerHandle | undefined;
  private timerAt = 0;
  private readonly signalIndex: number;

  constructor(
    readonly id: string,
    method: MethodInfo,
    readonly options: ResolvedTimeoutOptions,
    private readonly env: Runtime = runtime,
  ) {
    this.methods = [method.id];
    this.signalIndex = method.signalIndex;
  }

  state(): TimeoutState {
    return { pending: this.pendingCount };
  }

  stats(): TimeoutStats {
    return { ...this.counters };
  }

  execute(call: Call, next: Next): Promise<unknown> {
    this.counters.calls++;
    const callerSignal = call.signal;
    if (callerSignal?.aborted) return Promise.reject(callerSignal.reason);
    let inner = call;
    let controller: AbortController | undefined;
    if (this.signalIndex >= 0) {
      controller = new AbortController();
      const args = call.args.slice();
      args[this.signalIndex] = controller.signal;
      inner = { ...call, args, signal: controller.signal };
    }
    return new Promise((resolve, reject) => {
      const entry: Pending = { deadline: this.env.clock.now() + this.options.ms, call, done: false, reject, controller };
      const onCallerAbort = () => settle(() => {
        controller?.abort(callerSignal!.reason);
        reject(callerSignal!.reason);
      });
      const settle = (finish: () => void) => {
        if (entry.done) return;
        entry.done = true;
        callerSignal?.removeEventListener('abort', onCallerAbort);
        this.release();
        finish();
      };
      this.enqueue(entry);
      callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
      let result: unknown;
      try {
        result = next(inner);
      } catch (error) {
        settle(() => this.fail(error, reject));
        return;
      }
      Promise.resolve(result).then(
        (value) => settle(() => {
          this.counters.successes++;
          resolve(value);
        }),
        (error: unknown) => settle(() => this.fail(error, reject)),
      );
    });
  }

  private fail(error: unknown, reject: (e: unknown) => void): void {
    this.counters.failures++;
    reject(error);
  }

  private enqueue(entry: Pending): void {
    this.queue.push(entry);
    this.pendingCount++;
    if (this.timer === undefined) this.arm(entry.deadline);
  }

  /** A call settled: when nothing is pending any more, the timer goes too. */
  private release(): void {
    this.pendingCount--;
    if (this.pendingCount === 0) {
      if (this.timer !== undefined) this.env.clock.clearTimeout(this.timer);
      this.timer = undefined;
      this.queue.length = 0;
      this.head = 0;
    }
  }

  private arm(deadline: number): void {
    this.timerAt = deadline;
    this.timer = this.env.clock.setTimeout(() => this.expire(), Math.max(0, deadline - this.env.clock.now()));
  }

  /** The timer fired: time out every pending call whose deadline has passed, then re-arm. */
  private expire(): void {
    this.timer = undefined;
    const now = Math.max(this.env.clock.now(), this.timerAt);
    while (this.head < this.queue.length) {
      const entry = this.queue[this.head]!;
      if (!entry.done && entry.deadline > now) break;
      this.head++;
      if (entry.done) continue;
      entry.done = true;
      this.counters.timeouts++;
      this.counters.failures++;
      const error = new TimeoutError(this.id, this.options.ms);
      entry.controller?.abort(error);
      entry.call.scope?.event('timeout', { 'resil.policy': this.id, 'resil.timeout_ms': this.options.ms });
      if (this.env.events.has('timeout')) this.env.events.emit('timeout', { policy: this.id, timeoutMs: this.options.ms });
      this.release();
      entry.reject(error);
    }
    // Drop the consumed prefix now and then, so a long-lived queue does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    while (this.head < this.queue.length && this.queue[this.head]!.done) this.head++;
    const nextEntry = this.queue[this.head];
    if (nextEntry && this.timer === undefined) this.arm(nextEntry.deadline);
  }
}
