import { MAX_TIMER_MS, type TimerHandle } from '../clock.js';
import type { ResolvedTimeoutOptions } from '../config/validate-options.js';
import { TimeoutError } from '../errors.js';
import { runtime, type Runtime } from '../runtime.js';
import { isThenable, newStats, type Call, type MethodInfo, type Next, type Policy, type PolicyStats } from './policy.js';

/** What `state()` of a timeout returns. */
export interface TimeoutState {
  /** Calls waiting for their result or their deadline. */
  pending: number;
}

/** Counters of a timeout: `failures` counts errors of the method and expired deadlines, `timeouts` the latter. */
export interface TimeoutStats extends PolicyStats {
  timeouts: number;
}

/** One call waiting for its result or its deadline: a node of the deadline queue. */
interface Pending {
  /** NaN until stamped, at the latest when the burst of work that started the call ends (see {@link TimeoutPolicy}). */
  deadline: number;
  /** The call passed down the chain (a copy carrying the signal, for methods that take one). */
  readonly inner: Call;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  /** The caller's call, for {@link TimeoutAfter}. */
  readonly call: Call;
  readonly after: TimeoutAfter | undefined;
  readonly controller: AbortController | undefined;
  readonly callerSignal: AbortSignal | undefined;
  onCallerAbort: (() => void) | undefined;
  prev: Pending | undefined;
  next: Pending | undefined;
  done: boolean;
}

/**
 * What a generated wrapper runs when an attempt under `@Timeout` settles (or times out), inside
 * the timeout's own reaction: its return value (or promise) answers the call, its throw rejects it.
 * The policies above the timeout finish there, so the call takes one promise tick, not two.
 */
export type TimeoutAfter = (call: Call, ok: boolean, outcome: unknown) => unknown;

/** Node's timer handles can stop keeping the process alive; an injected clock's may not. */
type Refable = { ref?(): unknown; unref?(): unknown };

/**
 * `@Timeout`: each attempt must settle within `ms`.
 *
 * Every call of a method has the same duration, so deadlines arrive in call order: pending calls
 * form a FIFO list (unlinked in O(1) when they settle) and one timer, armed for the earliest
 * deadline, serves them all. A call costs a list node, not a `setTimeout`. When nothing is pending
 * the timer is not cleared but unref'd, so it never keeps the process alive and a steady stream of
 * calls does not set and clear a timer each; it fires once at its deadline and is not re-armed
 * until a call is pending. `close()` clears it.
 *
 * Deadlines count from when the burst of synchronous work that started the call ends (the current
 * macrotask and its microtasks): the calls of one burst share a single clock read, taken just after
 * it. No timer could fire during the burst, so a deadline moves only when the event loop was
 * blocked after the call started, and then by no more than the block. A clock read costs about
 * 60 ns on our benchmark machines, as much as a bare async call.
 *
 * A method that takes an `AbortSignal` gets one that aborts at the deadline and when the caller's
 * own signal aborts; the controller exists only for such methods and is never aborted after
 * success. A call abandoned at its deadline while it still waits in a `@Bulkhead` queue leaves the
 * queue (through `Call.abandon`), so it neither runs later nor holds a queue place.
 */
export class TimeoutPolicy implements Policy<TimeoutState, TimeoutStats> {
  readonly kind = 'timeout' as const;
  readonly methods: string[];
  private readonly counters: TimeoutStats = { ...newStats(), timeouts: 0 };
  private head: Pending | undefined;
  private tail: Pending | undefined;
  private pending = 0;
  private timer: TimerHandle | undefined;
  /** The clock time the timer was armed to fire at (a deadline, or less when capped). */
  private armedFor = 0;
  /** One abort listener per caller signal, however many pending calls share it. */
  private readonly watchers = new WeakMap<AbortSignal, { entries: Set<Pending>; listener: () => void }>();
  /** True while `expire()` runs user-visible code (rejections, events), which may start calls. */
  private expiring = false;
  private readonly signalIndex: number;
  /** Whether the timer holds the process: while calls are pending, and until the idle check after they end. */
  private holding = false;
  /** An idle check is queued: at most one per drain of the microtask queue. */
  private idleCheckQueued = false;
  /**
   * Lets the idle timer stop holding the process once nothing is pending when the microtask queue
   * has drained, rather than at each call's end: a stream of awaited calls would otherwise ref and
   * unref the timer on every call, two calls into Node's C++ side (about 40 ns a call).
   */
  private readonly idleCheck = () => {
    this.idleCheckQueued = false;
    // Calls started in the burst that just ended: their deadlines count from now, one clock read for all.
    if (this.tail !== undefined && Number.isNaN(this.tail.deadline)) {
      const deadline = this.now() + this.options.ms;
      for (let e: Pending | undefined = this.tail; e !== undefined && Number.isNaN(e.deadline); e = e.prev) e.deadline = deadline;
    }
    if (this.pending === 0 && this.timer !== undefined && this.holding) {
      (this.timer as Refable).unref?.();
      this.holding = false;
    }
  };

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
    return { pending: this.pending };
  }

  stats(): TimeoutStats {
    return { ...this.counters };
  }

  /** Clears the timer (used by `shutdown()`); pending calls keep a timer of their own kind re-armed on the next call. */
  close(): void {
    if (this.timer !== undefined && this.pending === 0) {
      this.env.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  execute(call: Call, next: Next, after?: TimeoutAfter): Promise<unknown> {
    this.counters.calls++;
    const callerSignal = call.signal;
    if (callerSignal?.aborted) {
      this.counters.failures++;
      if (after === undefined) return Promise.reject(callerSignal.reason);
      // The wrapper's policies above still settle what they started (a breaker ticket, the call's lifecycle).
      try {
        return Promise.resolve(after(call, false, callerSignal.reason));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    let inner = call;
    let controller: AbortController | undefined;
    if (this.signalIndex >= 0) {
      controller = new AbortController();
      const args = call.args.slice();
      args[this.signalIndex] = controller.signal;
      inner = { ...call, args, signal: controller.signal };
    }
    return new Promise((resolve, reject) => {
      const entry: Pending = {
        deadline: Number.NaN,
        inner,
        resolve,
        reject,
        call,
        after,
        controller,
        callerSignal,
        onCallerAbort: undefined,
        prev: undefined,
        next: undefined,
        done: false,
      };
      this.link(entry);
      if (callerSignal) {
        entry.onCallerAbort = () => {
          if (!this.finish(entry)) return;
          this.counters.failures++;
          controller?.abort(callerSignal.reason);
          this.answer(entry, false, callerSignal.reason);
        };
        this.watch(callerSignal, entry);
      }
      let result: unknown;
      try {
        result = next(inner);
      } catch (error) {
        this.settle(entry, false, error);
        return;
      }
      if (!isThenable(result)) this.settle(entry, true, result);
      else
        result.then(
          (value) => this.settle(entry, true, value),
          (error: unknown) => this.settle(entry, false, error),
        );
    });
  }

  private settle(entry: Pending, ok: boolean, outcome: unknown): void {
    if (!this.finish(entry)) return;
    if (ok) this.counters.successes++;
    else this.counters.failures++;
    this.answer(entry, ok, outcome);
  }

  /** Settles the call's promise: with the outcome, or through the wrapper's `after`. */
  private answer(entry: Pending, ok: boolean, outcome: unknown): void {
    if (entry.after === undefined) {
      if (ok) entry.resolve(outcome);
      else entry.reject(outcome);
      return;
    }
    let answer: unknown;
    try {
      answer = entry.after(entry.call, ok, outcome);
    } catch (error) {
      entry.reject(error);
      return;
    }
    entry.resolve(answer);
  }

  /** Marks a call done and takes it out of the queue; false if it already was. */
  private finish(entry: Pending): boolean {
    if (entry.done) return false;
    entry.done = true;
    if (entry.callerSignal) this.unwatch(entry.callerSignal, entry);
    this.unlink(entry);
    return true;
  }

  /** Calls sharing a caller signal share one listener, so a request signal fanned out to many calls adds one. */
  private watch(signal: AbortSignal, entry: Pending): void {
    let watcher = this.watchers.get(signal);
    if (!watcher) {
      const entries = new Set<Pending>();
      const listener = () => {
        for (const e of [...entries]) e.onCallerAbort?.();
      };
      signal.addEventListener('abort', listener, { once: true });
      watcher = { entries, listener };
      this.watchers.set(signal, watcher);
    }
    watcher.entries.add(entry);
  }

  private unwatch(signal: AbortSignal, entry: Pending): void {
    const watcher = this.watchers.get(signal);
    if (!watcher) return;
    watcher.entries.delete(entry);
    if (watcher.entries.size === 0) {
      signal.removeEventListener('abort', watcher.listener);
      this.watchers.delete(signal);
    }
  }

  private link(entry: Pending): void {
    entry.prev = this.tail;
    if (this.tail) this.tail.next = entry;
    else this.head = entry;
    this.tail = entry;
    this.pending++;
    // A timer must be armed (or re-armed after expiry) for a known deadline: read the clock now.
    if (this.expiring || this.timer === undefined) entry.deadline = this.now() + this.options.ms;
    else if (!this.idleCheckQueued) {
      this.idleCheckQueued = true;
      process.nextTick(this.idleCheck);
    }
    if (this.expiring) return;
    if (this.timer === undefined) this.arm(entry.deadline);
    // The idle timer fires no later than this deadline (deadlines only grow): let it hold the process again.
    else if (!this.holding) {
      (this.timer as Refable).ref?.();
      this.holding = true;
    }
  }

  private unlink(entry: Pending): void {
    if (entry.prev) entry.prev.next = entry.next;
    else this.head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else this.tail = entry.prev;
    entry.prev = entry.next = undefined;
    this.pending--;
    if (this.pending === 0 && this.timer !== undefined && !this.idleCheckQueued) {
      this.idleCheckQueued = true;
      process.nextTick(this.idleCheck);
    }
  }

  /** Deadlines live on the clock's monotonic time when it has one, so a wall-clock step moves none. */
  private now(): number {
    const { clock } = this.env;
    return clock.monotonic ? clock.monotonic() : clock.now();
  }

  private arm(deadline: number): void {
    const now = this.now();
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, deadline - now));
    this.armedFor = now + delay;
    this.timer = this.env.clock.setTimeout(() => this.expire(), delay);
    this.holding = true;
  }

  /** The timer fired: time out every pending call whose deadline has passed, then re-arm for the next. */
  private expire(): void {
    this.timer = undefined;
    this.expiring = true;
    try {
      // Timers run on a monotonic clock: if the clock stepped back since arming (an injected clock
      // without monotonic time), the time the timer was armed for has still passed.
      const now = Math.max(this.now(), this.armedFor);
      while (this.head && this.head.deadline <= now) this.timeOut(this.head);
    } finally {
      this.expiring = false;
    }
    if (this.head) this.arm(this.head.deadline);
  }

  private timeOut(entry: Pending): void {
    this.finish(entry);
    this.counters.timeouts++;
    this.counters.failures++;
    const { ms } = this.options;
    const error = new TimeoutError(this.id, ms);
    // Abandon first: a call still queued in a bulkhead leaves it as refused, not as aborted.
    entry.inner.abandon?.(error);
    entry.controller?.abort(error);
    entry.inner.scope?.event('timeout', { 'resil.policy': this.id, 'resil.timeout_ms': ms });
    if (this.env.events.has('timeout')) this.env.events.emit('timeout', { policy: this.id, timeoutMs: ms });
    this.answer(entry, false, error);
  }
}
