import type { ResolvedCircuitBreakerOptions } from '../config/validate-options.js';
import { BrokenCircuitError, isBulkheadFullError, isRateLimitedError, isValidationError } from '../errors.js';
import type { CircuitState } from '../events.js';
import { runtime, type Runtime } from '../runtime.js';
import type { CallScope } from '../lifecycle.js';
import type { Breaker, BreakerSnapshot, CallOutcome, OpenReason } from './breakers/breaker.js';
import { ConsecutiveBreaker } from './breakers/consecutive.js';
import { CountWindowBreaker } from './breakers/count-window.js';
import { TimeWindowBreaker } from './breakers/time-window.js';
import { toErrorPredicate } from './error-filter.js';
import { isThenable, newStats, type Call, type MethodInfo, type Next, type Policy, type PolicyHandle, type PolicyStats } from './policy.js';

/** Why a breaker changed state, as carried by the `stateChange` event. */
export type TransitionReason = OpenReason | 'timeout-elapsed' | 'trial-failed' | 'trials-succeeded' | 'reset' | 'isolate';

/**
 * What {@link CircuitBreakerPolicy.state} reports. An isolated breaker reports `open` with
 * `isolated: true`; fields that do not apply to the current state are absent.
 */
export interface CircuitBreakerState {
  state: CircuitState;
  /** Held open by `isolate()` until `reset()`. */
  isolated?: boolean;
  /** Clock time the circuit opened (or was isolated), ms. */
  openedAt?: number;
  /** Ms until the next call is admitted as a trial (open, not isolated). */
  retryAfterMs?: number;
  /** Trial calls admitted and not settled yet (half-open). */
  halfOpenInFlight?: number;
  /** Trial calls that succeeded so far (half-open). */
  halfOpenSucceeded?: number;
  /** What the strategy currently counts (closed): the window, or the current streak. */
  window?: BreakerSnapshot;
}

/** Counters of a circuit breaker: the {@link PolicyStats} plus breaker-specific ones. */
export interface CircuitBreakerStats extends PolicyStats {
  /** Settled calls slower than `slowCallMs`, whatever their outcome. */
  slowCalls: number;
  /** Errors that counted as neither success nor failure (`ignoreOn`, resil's own refusals). */
  ignored: number;
  /** Times the circuit opened (isolation not included). */
  opens: number;
}

/** A breaker as the registry hands it out: state and counters, plus `reset()` and `isolate()`. */
export type CircuitBreakerHandle = PolicyHandle<CircuitBreakerState, CircuitBreakerStats> & {
  /** Closes the circuit and forgets all counts, from any state (also isolated). */
  reset(): void;
  /** Holds the circuit open, refusing every call, until {@link CircuitBreakerHandle.reset}. */
  isolate(): void;
};

/*
 * The inner state machine. Each state object is also a generation: an admitted call remembers the
 * object it was admitted under, and its result only counts while that object is still current.
 */
interface Closed { readonly kind: 'closed' }
interface Open { readonly kind: 'open'; readonly openedAt: number }
interface HalfOpen { readonly kind: 'half-open'; admitted: number; succeeded: number }
interface Isolated { readonly kind: 'isolated'; readonly since: number }
type Inner = Closed | Open | HalfOpen | Isolated;
/** The states a call can be admitted under. */
type Admitting = Closed | HalfOpen;

type Outcome = 'success' | 'failure' | 'ignored';

/** What a call admitted by {@link CircuitBreakerPolicy.enter} carries to its outcome: opaque. */
export type BreakerTicket = object;

// The four outcomes a breaker can record, made once rather than per call.
const SUCCEEDED: CallOutcome = Object.freeze({ failed: false, slow: false });
const SLOW: CallOutcome = Object.freeze({ failed: false, slow: true });
const FAILED: CallOutcome = Object.freeze({ failed: true, slow: false });
const FAILED_SLOW: CallOutcome = Object.freeze({ failed: true, slow: true });

function assertNever(value: never): never {
  throw new Error(`resil: unexpected circuit state ${JSON.stringify(value)}`);
}

const publicState = (inner: Inner): CircuitState => (inner.kind === 'isolated' ? 'open' : inner.kind);

/** resil's own refusals from policies below the breaker: the dependency was never called. */
const isRefusal = (error: unknown): boolean =>
  isValidationError(error) || isRateLimitedError(error) || isBulkheadFullError(error);

function createBreaker(o: ResolvedCircuitBreakerOptions): Breaker {
  const rates = {
    minimumCalls: o.minimumCalls,
    failureRateThreshold: o.failureRateThreshold,
    slowCallRateThreshold: o.slowCallRateThreshold,
  };
  switch (o.strategy) {
    case 'consecutive':
      return new ConsecutiveBreaker(o.failureThreshold);
    case 'count-window':
      return new CountWindowBreaker({ ...rates, windowSize: o.windowSize });
    case 'time-window':
      return new TimeWindowBreaker({ ...rates, windowMs: o.windowSize });
    default:
      return assertNever(o.strategy);
  }
}

/**
 * `@CircuitBreaker`: fails fast while a dependency is failing. Closed, it counts outcomes through a
 * {@link Breaker} strategy and opens when the strategy says so; open, it refuses calls with a
 * {@link BrokenCircuitError} until `resetTimeoutMs` has passed; half-open, it admits up to
 * `halfOpenMaxCalls` trials: all succeed → closed, any fails → open again. No timer runs: the
 * open → half-open step is computed from the clock on the next call or `state()`.
 */
export class CircuitBreakerPolicy implements Policy<CircuitBreakerState, CircuitBreakerStats> {
  /** Always `'circuitBreaker'`. */
  readonly kind = 'circuitBreaker' as const;
  /** Ids of the guarded methods; grows through {@link attach} for a breaker shared by `name`. */
  readonly methods: string[];
  private inner: Inner = { kind: 'closed' };
  private breaker: Breaker;
  private readonly counters: CircuitBreakerStats = { ...newStats(), slowCalls: 0, ignored: 0, opens: 0 };
  private readonly recordOn: ((error: unknown) => boolean) | undefined;
  private readonly ignoreOn: ((error: unknown) => boolean) | undefined;
  /** Whether a settled call needs its start time: slow calls are measured, or the window is timed. */
  private timed: boolean;
  /** Effective options after defaults; replaced by {@link reconfigure}. */
  options: Readonly<ResolvedCircuitBreakerOptions>;

  /**
   * @param id the policy id (`Class.method#circuitBreaker`, or the breaker's `name`)
   * @param method the first method guarded
   * @param options validated options with defaults filled in (see `resolveOptions`)
   * @param env clock and event hub; the process-wide {@link runtime} by default
   */
  constructor(
    readonly id: string,
    method: MethodInfo,
    options: Readonly<ResolvedCircuitBreakerOptions>,
    private readonly env: Runtime = runtime,
  ) {
    this.methods = [method.id];
    this.options = options;
    this.breaker = createBreaker(options);
    this.timed = options.slowCallMs !== undefined || options.strategy === 'time-window';
    this.recordOn = options.recordOn === undefined ? undefined : toErrorPredicate(options.recordOn);
    this.ignoreOn = options.ignoreOn === undefined ? undefined : toErrorPredicate(options.ignoreOn);
  }

  /**
   * Takes new tunable options (a configuration reload) and keeps the circuit's state: open stays
   * open from the same moment, half-open keeps its trials, and the counters go on. A closed
   * circuit starts counting afresh under the new options; calls admitted before the change are
   * not counted. The error filters are code and cannot change.
   */
  reconfigure(options: Readonly<ResolvedCircuitBreakerOptions>): (() => void) | undefined {
    if (options.recordOn !== this.options.recordOn || options.ignoreOn !== this.options.ignoreOn) return undefined;
    return () => {
      this.options = options;
      this.breaker = createBreaker(options);
      this.timed = options.slowCallMs !== undefined || options.strategy === 'time-window';
      if (this.inner.kind === 'closed') this.inner = { kind: 'closed' };
    };
  }

  /** Adds a method to a breaker shared by `name`. */
  attach(method: MethodInfo): void {
    if (!this.methods.includes(method.id)) this.methods.push(method.id);
  }

  /**
   * Runs `next` if the circuit admits the call, else throws {@link BrokenCircuitError} at once.
   * Shape-preserving: a sync `next` is recorded and returned (or rethrown) synchronously; a
   * thenable is recorded when it settles and answered with a promise of the same value or error.
   * Built from the same steps ({@link enter}, {@link startTime}, {@link succeed}, {@link fail})
   * that generated wrappers call inline.
   */
  execute(call: Call, next: Next): unknown {
    const ticket = this.enter(call.scope);
    const startedAt = this.startTime();
    let result: unknown;
    try {
      result = next(call);
    } catch (error) {
      this.fail(ticket, startedAt, error);
      throw error;
    }
    if (!isThenable(result)) {
      this.succeed(ticket, startedAt);
      return result;
    }
    return Promise.resolve(result).then(
      (value) => {
        this.succeed(ticket, startedAt);
        return value;
      },
      (error: unknown) => {
        this.fail(ticket, startedAt, error);
        throw error;
      },
    );
  }

  /**
   * First step of a call: counts it (refused calls included, as `rejections`) and admits it,
   * returning the ticket its outcome is recorded against, or throws the {@link BrokenCircuitError}.
   * A closed circuit admits without reading the clock.
   */
  enter(scope?: CallScope): BreakerTicket {
    this.counters.calls++;
    const s = this.inner;
    if (s.kind === 'closed' && scope === undefined) return s;
    try {
      return s.kind === 'closed' ? s : this.admit(this.env.clock.now());
    } finally {
      // The state the call met, for tracing: refused calls see the circuit open.
      if (scope) scope.setAttribute('resil.circuit.state', this.inner.kind === 'isolated' ? 'open' : this.inner.kind);
    }
  }

  /** The clock time an admitted call starts at, read only when the options need it (`slowCallMs`, `time-window`); else 0. */
  startTime(): number {
    return this.timed ? this.env.clock.now() : 0;
  }

  /** Records the success of a call admitted with `ticket` at `startedAt` (from {@link startTime}). */
  succeed(ticket: BreakerTicket, startedAt: number): void {
    // The common case, kept small so that it is inlined into the wrapper: a success under the
    // current closed circuit, whose options need no clock (settle() would take the same steps).
    if (ticket === this.inner && !this.timed && (ticket as Admitting).kind === 'closed') {
      this.counters.successes++;
      const reason = this.breaker.record(SUCCEEDED, Number.NaN);
      if (reason) this.toOpen(this.env.clock.now(), reason);
      return;
    }
    this.settle(ticket as Admitting, startedAt, 'success');
  }

  /** Records the error of a call admitted with `ticket`: a failure, or ignored (`ignoreOn`, resil's own refusals). */
  fail(ticket: BreakerTicket, startedAt: number, error: unknown): void {
    this.settle(ticket as Admitting, startedAt, this.classify(error));
  }

  /** The current state; moves open → half-open first when `resetTimeoutMs` has passed. */
  state(): CircuitBreakerState {
    const now = this.env.clock.now();
    const s = this.current(now);
    switch (s.kind) {
      case 'closed':
        return { state: 'closed', window: this.breaker.snapshot(now) };
      case 'open':
        return { state: 'open', openedAt: s.openedAt, retryAfterMs: this.waitOf(s, now) };
      case 'half-open':
        return { state: 'half-open', halfOpenInFlight: s.admitted - s.succeeded, halfOpenSucceeded: s.succeeded };
      case 'isolated':
        return { state: 'open', isolated: true, openedAt: s.since };
      default:
        return assertNever(s);
    }
  }

  /** A copy of the counters. */
  stats(): CircuitBreakerStats {
    return { ...this.counters };
  }

  /** Closes the circuit and forgets all counts, from any state (also isolated). */
  reset(): void {
    this.toClosed(this.env.clock.now(), 'reset');
  }

  /** Holds the circuit open until {@link reset}; calls in flight no longer count. */
  isolate(): void {
    if (this.inner.kind === 'isolated') return;
    const now = this.env.clock.now();
    this.transition({ kind: 'isolated', since: now }, now, 'isolate');
  }

  /** The state at `now`, after the lazy open → half-open step. */
  private current(now: number): Inner {
    const s = this.inner;
    if (s.kind === 'open' && this.waitOf(s, now) <= 0) return this.toHalfOpen(now);
    return s;
  }

  /** Admits a call (returning the generation it runs under) or throws the refusal. */
  private admit(now: number): Admitting {
    const s = this.current(now);
    switch (s.kind) {
      case 'closed':
        return s;
      case 'half-open':
        if (s.admitted >= this.options.halfOpenMaxCalls) throw this.reject(0, false);
        s.admitted++;
        return s;
      case 'open':
        throw this.reject(this.waitOf(s, now), false);
      case 'isolated':
        // No time is known at which an isolated circuit will admit calls.
        throw this.reject(Number.POSITIVE_INFINITY, true);
      default:
        return assertNever(s);
    }
  }

  /**
   * Counts a settled call and, unless it is late (its generation has passed), moves the state
   * machine. The clock is read only when something needs the time: a slow-call check, a time
   * window, a failure, a trial, or an opening.
   */
  private settle(generation: Admitting, startedAt: number, outcome: Outcome): void {
    const clock = this.env.clock;
    const now = this.timed || outcome === 'failure' || generation.kind !== 'closed' ? clock.now() : Number.NaN;
    const slow = this.options.slowCallMs !== undefined && now - startedAt > this.options.slowCallMs;
    this.count(outcome, slow);
    if (generation !== this.inner) return;
    switch (generation.kind) {
      case 'closed': {
        if (outcome === 'ignored') return;
        const reason = this.breaker.record(outcome === 'failure' ? (slow ? FAILED_SLOW : FAILED) : slow ? SLOW : SUCCEEDED, now);
        // A success can open a windowed breaker too, once the window holds `minimumCalls`.
        if (reason) this.toOpen(Number.isNaN(now) ? clock.now() : now, reason);
        return;
      }
      case 'half-open':
        if (outcome === 'ignored') generation.admitted--;
        else if (outcome === 'failure' || slow) this.toOpen(now, 'trial-failed');
        else if (++generation.succeeded >= this.options.halfOpenMaxCalls) this.toClosed(now, 'trials-succeeded');
        return;
      default:
        assertNever(generation);
    }
  }

  /** Whether an error counts: `ignoreOn` first, then `recordOn`, then the default rule. */
  private classify(error: unknown): Outcome {
    if (this.ignoreOn?.(error)) return 'ignored';
    if (this.recordOn?.(error)) return 'failure';
    if (isRefusal(error)) return 'ignored';
    // With `recordOn`, other errors mean the dependency answered: a success, as in resilience4j.
    return this.recordOn ? 'success' : 'failure';
  }

  private count(outcome: Outcome, slow: boolean): void {
    if (outcome === 'success') this.counters.successes++;
    else if (outcome === 'failure') this.counters.failures++;
    else this.counters.ignored++;
    if (slow) this.counters.slowCalls++;
  }

  private waitOf(open: Open, now: number): number {
    return open.openedAt + this.options.resetTimeoutMs - now;
  }

  private reject(retryAfterMs: number, isolated: boolean): BrokenCircuitError {
    this.counters.rejections++;
    if (this.env.events.has('rejection')) {
      this.env.events.emit('rejection', { policy: this.id, kind: this.kind, code: 'CIRCUIT_OPEN', retryAfterMs });
    }
    return new BrokenCircuitError(this.id, retryAfterMs, isolated);
  }

  private toOpen(now: number, reason: TransitionReason): Open {
    this.counters.opens++;
    return this.transition({ kind: 'open', openedAt: now }, now, reason);
  }

  private toHalfOpen(now: number): HalfOpen {
    return this.transition({ kind: 'half-open', admitted: 0, succeeded: 0 }, now, 'timeout-elapsed');
  }

  private toClosed(now: number, reason: TransitionReason): Closed {
    this.breaker.reset();
    return this.transition({ kind: 'closed' }, now, reason);
  }

  /**
   * Installs a new state (a new generation). Emits `stateChange` unless nothing visible changed:
   * `reset()` of a closed circuit only clears its counts.
   */
  private transition<S extends Inner>(next: S, now: number, reason: TransitionReason): S {
    const previous = this.inner;
    this.inner = next;
    if (previous.kind !== next.kind && this.env.events.has('stateChange')) {
      this.env.events.emit('stateChange', {
        policy: this.id,
        from: publicState(previous),
        to: publicState(next),
        at: now,
        reason,
      });
    }
    return next;
  }
}
