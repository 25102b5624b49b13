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
  private readonly attemptBoundMs: number;

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

  async execute(call: Call, next: Next): Promise<unknown> {
    const { retryOnResult } = this.options;
    const { clock, events } = this.env;
    const startedAt = clock.now();
    const method = this.methods[0]!;
    let previousDelay = 0;
    this.counters.calls++;
    for (let attempt = 1; ; attempt++) {
      call.attempts = attempt;
      call.scope?.attempt(attempt);
      if (events.has('attempt')) events.emit('attempt', { policy: this.id, method, attempt });
      let result: unknown;
      try {
        result = await next(call);
      } catch (error) {
        call.firstFailedAt ??= clock.now();
        const delay = this.delayBeforeRetry(attempt, previousDelay, startedAt, call, error);
        if (delay === undefined) {
          this.counters.failures++;
          throw error;
        }
        previousDelay = delay;
        this.announce(call, { method, attempt, delayMs: delay, error });
        await this.pause(delay, call);
        continue;
      }
      if (retryOnResult?.(result)) {
        const delay = this.delayBeforeRetry(attempt, previousDelay, startedAt, call, undefined);
        if (delay !== undefined) {
          previousDelay = delay;
          this.announce(call, { method, attempt, delayMs: delay, result });
          await this.pause(delay, call);
          continue;
        }
      }
      this.counters.successes++;
      return result;
    }
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
  private async pause(delay: number, call: Call): Promise<void> {
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
