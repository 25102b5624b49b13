import { sleep } from '../clock.js';
import type { ResolvedRetryOptions } from '../config/validate-options.js';
import { isResilError } from '../errors.js';
import { runtime, type Runtime } from '../runtime.js';
import { nextDelay } from './backoff.js';
import { toErrorPredicate } from './error-filter.js';
import { newStats, type Call, type MethodInfo, type Next, type Policy, type PolicyStats } from './policy.js';

/** Counters of a retry policy. */
export interface RetryStats extends PolicyStats {
  /** Attempts after the first. */
  retries: number;
}

/** What `state()` of a retry policy returns: it has no state beyond its counters. */
export interface RetryState {
  maxAttempts: number;
}

/**
 * By default every error is retried except resil's own refusals (validation, open circuit, rate
 * limit, full bulkhead) and any error that says `retryable: false`.
 */
export function retryableByDefault(error: unknown): boolean {
  if (typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === false) return false;
  return !isResilError(error) || error.retryable;
}

/**
 * `@Retry`: runs the rest of the chain up to `maxAttempts` times, waiting a backoff between
 * attempts. Exhausted retries rethrow the last error unchanged (or return the last result that
 * `retryOnResult` rejected). Always asynchronous.
 */
export class RetryPolicy implements Policy<RetryState, RetryStats> {
  readonly kind = 'retry' as const;
  readonly methods: string[];
  private readonly counters: RetryStats = { ...newStats(), retries: 0 };
  private readonly shouldRetry: (error: unknown) => boolean;
  /** Longest an attempt can take, when a `@Timeout` below bounds it; used by `budgetMs`. */
  readonly attemptBoundMs: number;

  constructor(
    readonly id: string,
    method: MethodInfo,
    readonly options: ResolvedRetryOptions,
    private readonly env: Runtime = runtime,
    attemptBoundMs = 0,
  ) {
    this.methods = [method.id];
    this.attemptBoundMs = attemptBoundMs;
    const abort = options.abortOn ? toErrorPredicate(options.abortOn) : () => false;
    const retry = options.retryOn ? toErrorPredicate(options.retryOn) : retryableByDefault;
    this.shouldRetry = (error) => !abort(error) && retry(error);
  }

  state(): RetryState {
    return { maxAttempts: this.options.maxAttempts };
  }

  stats(): RetryStats {
    return { ...this.counters };
  }

  /**
   * Runs `next` up to `maxAttempts` times. Built from the same steps ({@link begin},
   * {@link attempt}, {@link afterError}, {@link afterResult}, {@link pause}, {@link succeeded})
   * that generated wrappers call inline.
   */
  async execute(call: Call, next: Next): Promise<unknown> {
    const startedAt = this.begin();
    const checksResult = this.options.retryOnResult !== undefined;
    let previousDelay = 0;
    for (let attempt = 1; ; attempt++) {
      this.attempt(call, attempt);
      let result: unknown;
      try {
        result = await next(call);
      } catch (error) {
        const delay = this.afterError(call, attempt, previousDelay, startedAt, error);
        if (delay < 0) throw error;
        await this.pause(delay, call);
        previousDelay = delay;
        continue;
      }
      if (checksResult) {
        const delay = this.afterResult(call, attempt, previousDelay, startedAt, result);
        if (delay >= 0) {
          await this.pause(delay, call);
          previousDelay = delay;
          continue;
        }
      }
      this.succeeded();
      return result;
    }
  }

  /** First step of a call: counts it; returns the clock time it started, read only when `budgetMs` needs it (else 0). */
  begin(): number {
    this.counters.calls++;
    return this.options.budgetMs === undefined ? 0 : this.env.clock.now();
  }

  /** Announces attempt number `attempt` (1-based) to the call, its trace and `attempt` listeners. */
  attempt(call: Call, attempt: number): void {
    call.attempts = attempt;
    call.scope?.attempt(attempt);
    const { events } = this.env;
    if (events.has('attempt')) events.emit('attempt', { policy: this.id, method: this.methods[0]!, attempt });
  }

  /**
   * After attempt `attempt` failed with `error`: the delay before the next one (announced as a
   * retry), or -1 when the call ends with this error (counted as the policy's failure).
   */
  afterError(call: Call, attempt: number, previousDelay: number, startedAt: number, error: unknown): number {
    call.firstFailedAt ??= this.env.clock.now();
    const delay = this.delayBeforeRetry(attempt, previousDelay, startedAt, call, error);
    if (delay === undefined) {
      this.counters.failures++;
      return -1;
    }
    this.announce(call, { method: this.methods[0]!, attempt, delayMs: delay, error });
    return delay;
  }

  /** After attempt `attempt` returned `result`: the delay before another when `retryOnResult` rejects it, else -1. */
  afterResult(call: Call, attempt: number, previousDelay: number, startedAt: number, result: unknown): number {
    if (!this.options.retryOnResult?.(result)) return -1;
    const delay = this.delayBeforeRetry(attempt, previousDelay, startedAt, call, undefined);
    if (delay === undefined) return -1;
    this.announce(call, { method: this.methods[0]!, attempt, delayMs: delay, result });
    return delay;
  }

  /** Counts the call's success. */
  succeeded(): void {
    this.counters.successes++;
  }

  /** The delay before the next attempt, or undefined when there must be none. */
  private delayBeforeRetry(
    attempt: number,
    previousDelay: number,
    startedAt: number,
    call: Call,
    error: unknown,
  ): number | undefined {
    if (attempt >= this.options.maxAttempts) return undefined;
    if (call.signal?.aborted) return undefined;
    if (error !== undefined && !this.shouldRetry(error)) return undefined;
    const delay = nextDelay(this.options, attempt, previousDelay, this.env.random);
    const { budgetMs } = this.options;
    // An attempt starts only if the budget holds its delay and, when a timeout bounds it, all of it.
    if (budgetMs !== undefined && this.env.clock.now() - startedAt + delay + this.attemptBoundMs > budgetMs) return undefined;
    return delay;
  }

  /** Waits before the next attempt; a caller's abort ends the wait, and the call, as a failure. */
  async pause(delay: number, call: Call): Promise<void> {
    try {
      await sleep(this.env.clock, delay, call.signal);
    } catch (reason) {
      this.counters.failures++;
      throw reason;
    }
  }

  private announce(call: Call, info: { method: string; attempt: number; delayMs: number; error?: unknown; result?: unknown }): void {
    this.counters.retries++;
    call.scope?.event('retry', { 'resil.retry.attempt': info.attempt, 'resil.retry.delay_ms': info.delayMs });
    // onRetry observes; like an event listener, its failure must not replace the call's outcome.
    try {
      this.options.onRetry?.(info);
    } catch {
      /* the callback is the user's */
    }
    if (this.env.events.has('retry')) this.env.events.emit('retry', { policy: this.id, ...info });
  }
}
