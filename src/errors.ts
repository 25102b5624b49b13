/** The `code` of every error resil itself throws. */
export type ResilErrorCode =
  | 'VALIDATION'
  | 'TIMEOUT'
  | 'CIRCUIT_OPEN'
  | 'RATE_LIMITED'
  | 'BULKHEAD_FULL'
  | 'CONFIG'
  | 'SHUTTING_DOWN';

const BRAND = Symbol.for('resil.error');

/**
 * Base class of every error resil throws. The user's own errors are never wrapped: they pass
 * through every policy unchanged, and exhausted retries rethrow the last one.
 */
export class ResilError extends Error {
  /** Machine-readable reason; see {@link ResilErrorCode}. */
  readonly code: ResilErrorCode;
  /** Id of the policy that raised the error (`Class.method#kind`, or the policy's `name`). */
  readonly policy: string;
  /** Whether `@Retry` may retry this error by default. */
  readonly retryable: boolean;

  constructor(code: ResilErrorCode, policy: string, message: string, retryable: boolean) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.policy = policy;
    this.retryable = retryable;
    Object.defineProperty(this, BRAND, { value: code });
  }
}

/** One problem found by `@Validated`. */
export interface ValidationIssue {
  /** Where, e.g. `req.items[2].qty`. */
  path: string;
  /** What the type requires, e.g. `integer <= 1000`. */
  expected: string;
  /** What was given, e.g. `1001` or `string`. */
  received: string;
}

/** An argument (or, with `returns: true`, a result) does not match its declared type. Never retried. */
export class ValidationError extends ResilError {
  readonly issues: ValidationIssue[];
  constructor(policy: string, issues: ValidationIssue[]) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(
      'VALIDATION',
      policy,
      first
        ? `invalid argument ${first.path}: expected ${first.expected}, received ${first.received}${more}`
        : 'invalid arguments',
      false,
    );
    this.issues = issues;
  }
}

/** An attempt did not finish within `@Timeout`'s `ms`. Retried by default. */
export class TimeoutError extends ResilError {
  readonly timeoutMs: number;
  constructor(policy: string, timeoutMs: number) {
    super('TIMEOUT', policy, `timed out after ${timeoutMs} ms`, true);
    this.timeoutMs = timeoutMs;
  }
}

/** The circuit is open (or half-open with every trial slot taken). Not retried by default. */
export class BrokenCircuitError extends ResilError {
  /** Milliseconds until the breaker admits a trial call. */
  readonly retryAfterMs: number;
  /** True when the breaker was isolated by hand and stays open until `reset()`. */
  readonly isolated: boolean;
  constructor(policy: string, retryAfterMs: number, isolated = false) {
    super(
      'CIRCUIT_OPEN',
      policy,
      isolated
        ? 'circuit is isolated'
        : `circuit is open; retry after ${Math.ceil(retryAfterMs)} ms`,
      false,
    );
    this.retryAfterMs = retryAfterMs;
    this.isolated = isolated;
  }
}

/** The rate limit is exhausted. Not retried by default. */
export class RateLimitedError extends ResilError {
  /** Milliseconds until a call would be admitted. */
  readonly retryAfterMs: number;
  constructor(policy: string, retryAfterMs: number) {
    super('RATE_LIMITED', policy, `rate limit exceeded; retry after ${Math.ceil(retryAfterMs)} ms`, false);
    this.retryAfterMs = retryAfterMs;
  }
}

/** Every slot and queue place of a bulkhead is taken, or a queued call waited past `queueTimeoutMs`. */
export class BulkheadFullError extends ResilError {
  constructor(policy: string, message = 'bulkhead is full') {
    super('BULKHEAD_FULL', policy, message, false);
  }
}

/** The process is shutting down (`shutdown()` was called): new calls are refused. Not retried. */
export class ShuttingDownError extends ResilError {
  constructor(method: string) {
    super('SHUTTING_DOWN', method, `${method} refused: the process is shutting down`, false);
  }
}

/** One problem found in options or configuration. */
export interface ConfigIssue {
  /** Dotted key path, e.g. `Shop.charge.retry.maxAttempts`. */
  key: string;
  message: string;
}

/** Invalid decorator options or configuration; thrown at class definition or at load. */
export class ConfigError extends ResilError {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[], policy = '') {
    super(
      'CONFIG',
      policy,
      // Each message names its own context (the decorator and method, or the file and key).
      issues.length === 1
        ? issues[0]!.message
        : `${issues.length} configuration problems:\n` + issues.map((i) => `  - ${i.message}`).join('\n'),
      false,
    );
    this.issues = issues;
  }
}

function hasCode(e: unknown, code: ResilErrorCode): boolean {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === code;
}

/** True for any {@link ResilError}, also one thrown by another copy of the package. */
export const isResilError = (e: unknown): e is ResilError =>
  typeof e === 'object' && e !== null && BRAND in e;
export const isValidationError = (e: unknown): e is ValidationError => hasCode(e, 'VALIDATION');
export const isTimeoutError = (e: unknown): e is TimeoutError => hasCode(e, 'TIMEOUT');
export const isBrokenCircuitError = (e: unknown): e is BrokenCircuitError => hasCode(e, 'CIRCUIT_OPEN');
export const isRateLimitedError = (e: unknown): e is RateLimitedError => hasCode(e, 'RATE_LIMITED');
export const isBulkheadFullError = (e: unknown): e is BulkheadFullError => hasCode(e, 'BULKHEAD_FULL');
export const isConfigError = (e: unknown): e is ConfigError => hasCode(e, 'CONFIG');
export const isShuttingDownError = (e: unknown): e is ShuttingDownError => hasCode(e, 'SHUTTING_DOWN');
