/**
 * The options of every decorator (SPEC §1). Defaults and ranges live in `config/defaults.ts`,
 * which also validates them at class definition.
 */

/** An error constructor, matched with `instanceof`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ErrorClass = abstract new (...args: any[]) => unknown;

/** Which errors a policy reacts to: a list of error classes, or a predicate. */
export type ErrorFilter = readonly ErrorClass[] | ErrorClass | ((error: unknown) => boolean);

/** Backoff between retry attempts. */
export type Backoff = 'exponential' | 'linear' | 'fixed' | 'fibonacci' | 'decorrelated';

/** Randomisation applied to a backoff delay. */
export type Jitter = 'full' | 'equal' | 'none';

/** What `onRetry` is told before each delay. */
export interface RetryInfo {
  /** Method id, `Class.method`. */
  method: string;
  /** The attempt that just failed, 1-based. */
  attempt: number;
  /** Delay before the next attempt, ms. */
  delayMs: number;
  /** The error of the failed attempt, when it threw. */
  error?: unknown;
  /** The rejected result, when `retryOnResult` asked for a retry. */
  result?: unknown;
}

/** Options of {@link Retry}. */
export interface RetryOptions {
  /** Total attempts including the first. Default 3. */
  maxAttempts?: number;
  /** How the delay grows between attempts. Default `'exponential'`. */
  backoff?: Backoff;
  /** First delay between attempts, ms. Default 100. */
  baseDelayMs?: number;
  /** Largest delay between attempts, ms. Default 30000. */
  maxDelayMs?: number;
  /** Growth factor of exponential backoff. Default 2. */
  multiplier?: number;
  /** Randomisation of each delay: full [0, d], equal [d/2, d], none d. Default `'full'`. */
  jitter?: Jitter;
  /** Errors to retry (classes or a predicate). Default: every error except resil's rejections and those with `retryable === false`. */
  retryOn?: ErrorFilter;
  /** Errors never retried (classes or a predicate); checked before retryOn. */
  abortOn?: ErrorFilter;
  /** Retry when a result satisfies this predicate. */
  retryOnResult?: (result: unknown) => boolean;
  /** Total time budget, ms: no attempt starts that the budget cannot hold. */
  budgetMs?: number;
  /** Called before each delay. */
  onRetry?: (info: RetryInfo) => void;
}

/** How a breaker decides to open. */
export type BreakerStrategy = 'consecutive' | 'count-window' | 'time-window';

/** Options of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** How the breaker decides to open. Default `'consecutive'`. */
  strategy?: BreakerStrategy;
  /** Consecutive failures that open the circuit (strategy consecutive). Default 5. */
  failureThreshold?: number;
  /** Calls in the window (count-window, default 100) or its length in ms (time-window, default 60000). */
  windowSize?: number;
  /** Failure rate, percent, at or above which a window opens the circuit. Default 50. */
  failureRateThreshold?: number;
  /** Calls a window must hold before its rates count. Default 10. */
  minimumCalls?: number;
  /** A call slower than this, ms, counts as slow. */
  slowCallMs?: number;
  /** Slow-call rate, percent, at or above which a window opens the circuit. Default 100. */
  slowCallRateThreshold?: number;
  /** Time open before trial calls are admitted, ms. Default 30000. */
  resetTimeoutMs?: number;
  /** Trial calls admitted in half-open: all succeed → closed, any fails → open. Default 3. */
  halfOpenMaxCalls?: number;
  /** Errors that count as failures. Default: all but `ValidationError`, `RateLimitedError`, `BulkheadFullError`. */
  recordOn?: ErrorFilter;
  /** Errors that count as neither success nor failure. */
  ignoreOn?: ErrorFilter;
  /** Share one breaker between methods. */
  name?: string;
  /** An open critical breaker makes health fail instead of warn. Default false. */
  critical?: boolean;
}

/** Options of {@link Timeout}. */
export interface TimeoutOptions {
  /** Deadline of each attempt, ms. Required. */
  ms: number;
}

/** Rate-limiting algorithm. */
export type RateLimitAlgorithm = 'token-bucket' | 'sliding-window' | 'fixed-window' | 'leaky-bucket';

/** Options of {@link RateLimit}. */
export interface RateLimitOptions {
  /** Calls admitted per intervalMs. Required. */
  limit: number;
  /** Length of the rate interval, ms. Default 1000. */
  intervalMs?: number;
  /** Rate-limiting algorithm. Default `'token-bucket'`. */
  algorithm?: RateLimitAlgorithm;
  /** Largest burst (bucket capacity); defaults to limit. Default `limit`. */
  burst?: number;
  /** Per-key limits: a parameter name or path, or a function of the arguments. */
  key?: string | ((...args: never[]) => string);
  /** Reject at once, or wait up to maxWaitMs for room. Default `'reject'`. */
  onLimit?: 'reject' | 'wait';
  /** Longest wait with onLimit wait, ms. Default 1000. */
  maxWaitMs?: number;
  /** Where limiter state lives. Default `'memory'`. */
  store?: 'memory' | 'redis';
  /** Share one limiter between methods. */
  name?: string;
}

/** Options of {@link Cached}. */
export interface CachedOptions {
  /** Time a value stays fresh, ms. Default 60000. */
  ttlMs?: number;
  /** LRU capacity. Default 1000. */
  maxEntries?: number;
  /** A parameter name or path, or a function of the arguments. Default: every argument, type-preserving. */
  key?: string | ((...args: never[]) => unknown);
  /** Concurrent misses for one key share one call. Default true. */
  singleFlight?: boolean;
  /** After ttlMs, serve the stale value this long while one refresh runs in the background, ms. Default 0. */
  staleWhileRevalidateMs?: number;
  /** Cache rejections too. Default false. */
  cacheErrors?: boolean;
  /** Where entries live. Default `'memory'`. */
  store?: 'memory' | 'redis';
}

/** Options of {@link Bulkhead}. */
export interface BulkheadOptions {
  /** Calls running at once. Default 10. */
  maxConcurrent?: number;
  /** Calls waiting for a slot. Default 0. */
  maxQueue?: number;
  /** Longest wait in the queue, ms. Default: no limit. */
  queueTimeoutMs?: number;
}

/** Options of {@link Fallback}. */
export interface FallbackOptions {
  /** Name of a method of the same class, called with the same arguments and the error last. */
  method?: string;
  /** A constant answer. */
  value?: unknown;
  /** Which errors trigger the fallback. Default: all. */
  on?: ErrorFilter;
}

/** Options of {@link DeadLetter}. */
export interface DeadLetterOptions {
  /** Where dead letters are kept. Default `'file'` (JSONL under `.resil/`). */
  store?: 'file' | 'redis';
  /** Entries kept; the oldest are evicted first. Default 10000. */
  maxEntries?: number;
}

/** Options of {@link Validated}. */
export interface ValidatedOptions {
  /** Validate the resolved result too. Default false. */
  returns?: boolean;
  /** Reject properties the type does not declare. Default false. */
  strict?: boolean;
}

/** The options of each policy kind. */
export interface PolicyOptionsByKind {
  retry: RetryOptions;
  circuitBreaker: CircuitBreakerOptions;
  timeout: TimeoutOptions;
  rateLimit: RateLimitOptions;
  cache: CachedOptions;
  bulkhead: BulkheadOptions;
  fallback: FallbackOptions;
  deadLetter: DeadLetterOptions;
  validated: ValidatedOptions;
}
