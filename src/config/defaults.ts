import { MAX_TIMER_MS } from '../clock.js';
import type { PolicyKind } from '../policies/kinds.js';

/**
 * Every option of every decorator: its type, range, default (with its unit in the name) and
 * description. The runtime validates decorator options against these at class definition; the
 * generated configuration schema is built from the same definitions, so the two cannot drift.
 */

interface SpecBase {
  description: string;
  /** Required options have no default and must be given. */
  required?: boolean;
  /** Given only in code, never by configuration: it shapes what `resil gen` generates. */
  codeOnly?: boolean;
}
export interface NumberSpec extends SpecBase {
  type: 'integer' | 'number';
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  default?: number;
}
export interface EnumSpec extends SpecBase {
  type: 'enum';
  values: readonly string[];
  default?: string;
}
export interface BooleanSpec extends SpecBase {
  type: 'boolean';
  default?: boolean;
}
/** Options that only code can give: names, filters, functions, keys, fallback values. */
export interface CodeSpec extends SpecBase {
  type: 'string' | 'errorFilter' | 'function' | 'key' | 'any';
}
export type OptionSpec = NumberSpec | EnumSpec | BooleanSpec | CodeSpec;

/** Options tunable from configuration: numbers, enums and booleans. */
export const isTunable = (spec: OptionSpec): spec is NumberSpec | EnumSpec | BooleanSpec =>
  !spec.codeOnly && (spec.type === 'integer' || spec.type === 'number' || spec.type === 'enum' || spec.type === 'boolean');

/** A duration in ms, computed from the clock (no timer waits it). */
const ms = (description: string, def?: number, minimum = 0): NumberSpec =>
  def === undefined ? { type: 'integer', minimum, description } : { type: 'integer', minimum, default: def, description };
/** A duration a timer waits: at most what a Node timer can (longer ones would fire at once). */
const timerMs = (description: string, def?: number, minimum = 0): NumberSpec => ({
  ...ms(description, def, minimum),
  maximum: MAX_TIMER_MS,
});
const percent = (description: string, def: number): NumberSpec => ({
  type: 'number',
  exclusiveMinimum: 0,
  maximum: 100,
  default: def,
  description,
});

export const RETRY_DEFAULTS = {
  maxAttempts: { type: 'integer', minimum: 1, default: 3, description: 'Total attempts including the first.' },
  backoff: {
    type: 'enum',
    values: ['exponential', 'linear', 'fixed', 'fibonacci', 'decorrelated'],
    default: 'exponential',
    description: 'How the delay grows between attempts.',
  },
  baseDelayMs: timerMs('First delay between attempts, ms.', 100),
  maxDelayMs: timerMs('Largest delay between attempts, ms.', 30_000),
  multiplier: { type: 'number', minimum: 1, default: 2, description: 'Growth factor of exponential backoff.' },
  jitter: {
    type: 'enum',
    values: ['full', 'equal', 'none'],
    default: 'full',
    description: 'Randomisation of each delay: full [0, d], equal [d/2, d], none d.',
  },
  retryOn: { type: 'errorFilter', description: 'Errors to retry (classes or a predicate).' },
  abortOn: { type: 'errorFilter', description: 'Errors never retried (classes or a predicate); checked before retryOn.' },
  retryOnResult: { type: 'function', description: 'Retry when a result satisfies this predicate.' },
  budgetMs: ms('Total time budget, ms: no attempt starts that the budget cannot hold.', undefined, 1),
  onRetry: { type: 'function', description: 'Called before each delay.' },
} as const satisfies Record<string, OptionSpec>;

export const CIRCUIT_BREAKER_DEFAULTS = {
  strategy: {
    type: 'enum',
    values: ['consecutive', 'count-window', 'time-window'],
    default: 'consecutive',
    description: 'How the breaker decides to open.',
  },
  failureThreshold: {
    type: 'integer',
    minimum: 1,
    default: 5,
    description: 'Consecutive failures that open the circuit (strategy consecutive).',
  },
  windowSize: {
    type: 'integer',
    minimum: 1,
    description: 'Calls in the window (count-window, default 100) or its length in ms (time-window, default 60000).',
  },
  failureRateThreshold: percent('Failure rate, percent, at or above which a window opens the circuit.', 50),
  minimumCalls: { type: 'integer', minimum: 1, default: 10, description: 'Calls a window must hold before its rates count.' },
  slowCallMs: ms('A call slower than this, ms, counts as slow.', undefined, 1),
  slowCallRateThreshold: percent('Slow-call rate, percent, at or above which a window opens the circuit.', 100),
  resetTimeoutMs: ms('Time open before trial calls are admitted, ms.', 30_000),
  halfOpenMaxCalls: {
    type: 'integer',
    minimum: 1,
    default: 3,
    description: 'Trial calls admitted in half-open: all succeed → closed, any fails → open.',
  },
  recordOn: { type: 'errorFilter', description: 'Errors that count as failures.' },
  ignoreOn: { type: 'errorFilter', description: 'Errors that count as neither success nor failure.' },
  name: { type: 'string', description: 'Share one breaker between methods.' },
  critical: { type: 'boolean', default: false, description: 'An open critical breaker makes health fail instead of warn.' },
} as const satisfies Record<string, OptionSpec>;

/** Default `windowSize` per windowed strategy. */
export const WINDOW_SIZE_DEFAULTS = { 'count-window': 100, 'time-window': 60_000 } as const;

export const TIMEOUT_DEFAULTS = {
  ms: { type: 'integer', minimum: 1, maximum: MAX_TIMER_MS, required: true, description: 'Deadline of each attempt, ms.' },
} as const satisfies Record<string, OptionSpec>;

export const RATE_LIMIT_DEFAULTS = {
  limit: { type: 'integer', minimum: 1, required: true, description: 'Calls admitted per intervalMs.' },
  intervalMs: ms('Length of the rate interval, ms.', 1000, 1),
  algorithm: {
    type: 'enum',
    values: ['token-bucket', 'sliding-window', 'fixed-window', 'leaky-bucket'],
    default: 'token-bucket',
    description: 'Rate-limiting algorithm.',
  },
  burst: { type: 'integer', minimum: 1, description: 'Largest burst (bucket capacity); defaults to limit.' },
  key: { type: 'key', description: 'Per-key limits: a parameter name or path, or a function of the arguments.' },
  onLimit: { type: 'enum', values: ['reject', 'wait'], default: 'reject', description: 'Reject at once, or wait up to maxWaitMs for room.' },
  maxWaitMs: timerMs('Longest wait with onLimit wait, ms.', 1000),
  store: { type: 'enum', values: ['memory', 'redis'], default: 'memory', description: 'Where limiter state lives.' },
  name: { type: 'string', description: 'Share one limiter between methods.' },
} as const satisfies Record<string, OptionSpec>;

export const CACHE_DEFAULTS = {
  ttlMs: ms('Time a value stays fresh, ms.', 60_000, 1),
  maxEntries: { type: 'integer', minimum: 1, default: 1000, description: 'LRU capacity.' },
  key: { type: 'key', description: 'A parameter name or path, or a function of the arguments.' },
  singleFlight: { type: 'boolean', default: true, description: 'Concurrent misses for one key share one call.' },
  staleWhileRevalidateMs: ms('After ttlMs, serve the stale value this long while one refresh runs in the background, ms.', 0),
  cacheErrors: { type: 'boolean', default: false, description: 'Cache rejections too.' },
  store: { type: 'enum', values: ['memory', 'redis'], default: 'memory', description: 'Where entries live.' },
} as const satisfies Record<string, OptionSpec>;

export const BULKHEAD_DEFAULTS = {
  maxConcurrent: { type: 'integer', minimum: 1, default: 10, description: 'Calls running at once.' },
  maxQueue: { type: 'integer', minimum: 0, default: 0, description: 'Calls waiting for a slot.' },
  queueTimeoutMs: timerMs('Longest wait in the queue, ms.', undefined, 1),
} as const satisfies Record<string, OptionSpec>;

export const FALLBACK_DEFAULTS = {
  method: { type: 'string', description: 'Name of a method of the same class, called with the same arguments and the error last.' },
  value: { type: 'any', description: 'A constant answer.' },
  on: { type: 'errorFilter', description: 'Which errors trigger the fallback.' },
} as const satisfies Record<string, OptionSpec>;

export const DEAD_LETTER_DEFAULTS = {
  store: { type: 'enum', values: ['file', 'redis'], default: 'file', description: 'Where dead letters are kept.' },
  maxEntries: { type: 'integer', minimum: 1, default: 10_000, description: 'Entries kept; the oldest are evicted first.' },
} as const satisfies Record<string, OptionSpec>;

// Both shape the validators resil gen generates, so configuration cannot change them.
export const VALIDATED_DEFAULTS = {
  returns: { type: 'boolean', default: false, codeOnly: true, description: 'Validate the resolved result too.' },
  strict: { type: 'boolean', default: false, codeOnly: true, description: 'Reject properties the type does not declare.' },
} as const satisfies Record<string, OptionSpec>;

/** The option definitions of each policy kind. */
export const OPTION_SPECS: Record<PolicyKind, Record<string, OptionSpec>> = {
  retry: RETRY_DEFAULTS,
  circuitBreaker: CIRCUIT_BREAKER_DEFAULTS,
  timeout: TIMEOUT_DEFAULTS,
  rateLimit: RATE_LIMIT_DEFAULTS,
  cache: CACHE_DEFAULTS,
  bulkhead: BULKHEAD_DEFAULTS,
  fallback: FALLBACK_DEFAULTS,
  deadLetter: DEAD_LETTER_DEFAULTS,
  validated: VALIDATED_DEFAULTS,
};
