import { ConfigError, type ConfigIssue } from '../errors.js';
import { DECORATOR_NAME, type PolicyKind } from '../policies/kinds.js';
import type {
  BulkheadOptions,
  CachedOptions,
  CircuitBreakerOptions,
  DeadLetterOptions,
  FallbackOptions,
  PolicyOptionsByKind,
  RateLimitOptions,
  RetryOptions,
  TimeoutOptions,
  ValidatedOptions,
} from '../options.js';
import { OPTION_SPECS, WINDOW_SIZE_DEFAULTS, type OptionSpec } from './defaults.js';
import { didYouMean } from './did-you-mean.js';

type WithDefaults<T, K extends keyof T> = Required<Pick<T, K>> & Omit<T, K>;

export type ResolvedRetryOptions = WithDefaults<
  RetryOptions,
  'maxAttempts' | 'backoff' | 'baseDelayMs' | 'maxDelayMs' | 'multiplier' | 'jitter'
>;
export type ResolvedCircuitBreakerOptions = WithDefaults<
  CircuitBreakerOptions,
  | 'strategy'
  | 'failureThreshold'
  | 'windowSize'
  | 'failureRateThreshold'
  | 'minimumCalls'
  | 'slowCallRateThreshold'
  | 'resetTimeoutMs'
  | 'halfOpenMaxCalls'
  | 'critical'
>;
export type ResolvedTimeoutOptions = TimeoutOptions;
export type ResolvedRateLimitOptions = WithDefaults<
  RateLimitOptions,
  'intervalMs' | 'algorithm' | 'burst' | 'onLimit' | 'maxWaitMs' | 'store'
>;
export type ResolvedCachedOptions = WithDefaults<
  CachedOptions,
  'ttlMs' | 'maxEntries' | 'singleFlight' | 'staleWhileRevalidateMs' | 'cacheErrors' | 'store'
>;
export type ResolvedBulkheadOptions = WithDefaults<BulkheadOptions, 'maxConcurrent' | 'maxQueue'>;
export type ResolvedFallbackOptions = FallbackOptions;
export type ResolvedDeadLetterOptions = WithDefaults<DeadLetterOptions, 'store' | 'maxEntries'>;
export type ResolvedValidatedOptions = WithDefaults<ValidatedOptions, 'returns' | 'strict'>;

/** Options of each kind after validation, with every default filled in. */
export interface ResolvedOptionsByKind {
  retry: ResolvedRetryOptions;
  circuitBreaker: ResolvedCircuitBreakerOptions;
  timeout: ResolvedTimeoutOptions;
  rateLimit: ResolvedRateLimitOptions;
  cache: ResolvedCachedOptions;
  bulkhead: ResolvedBulkheadOptions;
  fallback: ResolvedFallbackOptions;
  deadLetter: ResolvedDeadLetterOptions;
  validated: ResolvedValidatedOptions;
}

/** How a value is named in messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function isErrorFilter(value: unknown): boolean {
  if (typeof value === 'function') return true;
  return Array.isArray(value) && value.every((v) => typeof v === 'function');
}

/** Checks one value against its spec; returns the problem, or undefined when it fits. */
export function checkValue(spec: OptionSpec, value: unknown): string | undefined {
  switch (spec.type) {
    case 'integer':
    case 'number': {
      if (typeof value !== 'number' || Number.isNaN(value)) return `must be a number, got ${describe(value)}`;
      const parts: string[] = [];
      if (spec.type === 'integer') parts.push('an integer');
      else parts.push('a number');
      if (spec.minimum !== undefined) parts.push(`>= ${spec.minimum}`);
      if (spec.exclusiveMinimum !== undefined) parts.push(`> ${spec.exclusiveMinimum}`);
      if (spec.maximum !== undefined) parts.push(`<= ${spec.maximum}`);
      const bad =
        (spec.type === 'integer' && !Number.isInteger(value)) ||
        (spec.type === 'number' && !Number.isFinite(value)) ||
        (spec.minimum !== undefined && value < spec.minimum) ||
        (spec.exclusiveMinimum !== undefined && value <= spec.exclusiveMinimum) ||
        (spec.maximum !== undefined && value > spec.maximum);
      return bad ? `must be ${parts.join(' ')}, got ${describe(value)}` : undefined;
    }
    case 'enum':
      return spec.values.includes(value as string)
        ? undefined
        : `must be one of ${spec.values.map((v) => `'${v}'`).join(', ')}, got ${describe(value)}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be true or false, got ${describe(value)}`;
    case 'string':
      return typeof value === 'string' && value.length > 0 ? undefined : `must be a non-empty string, got ${describe(value)}`;
    case 'errorFilter':
      return isErrorFilter(value)
        ? undefined
        : `must be an error class, an array of error classes, or a predicate, got ${describe(value)}`;
    case 'function':
      return typeof value === 'function' ? undefined : `must be a function, got ${describe(value)}`;
    case 'key':
      return (typeof value === 'string' && value.length > 0) || typeof value === 'function'
        ? undefined
        : `must be a parameter name or path, or a function, got ${describe(value)}`;
    case 'any':
      return undefined;
  }
}

/** Cross-option rules and defaults that depend on other options. */
function finish(kind: PolicyKind, o: Record<string, unknown>, issue: (key: string, message: string) => void): void {
  switch (kind) {
    case 'retry':
      if ((o.baseDelayMs as number) > (o.maxDelayMs as number))
        issue('baseDelayMs', `must be <= maxDelayMs (${o.maxDelayMs}), got ${o.baseDelayMs}`);
      break;
    case 'circuitBreaker':
      if (o.windowSize === undefined)
        o.windowSize = o.strategy === 'time-window' ? WINDOW_SIZE_DEFAULTS['time-window'] : WINDOW_SIZE_DEFAULTS['count-window'];
      break;
    case 'rateLimit':
      if (o.burst === undefined) o.burst = o.limit;
      break;
    case 'fallback': {
      const hasMethod = o.method !== undefined;
      const hasValue = 'value' in o;
      if (hasMethod === hasValue) issue('method', 'give exactly one of method or value');
      break;
    }
    default:
      break;
  }
}

/**
 * Validates a decorator's options and fills in the defaults. Throws one {@link ConfigError} listing
 * every problem, each naming the method, the option and the allowed values.
 *
 * @param where the method id (`Class.method`) or, when the class is not known yet, the method name
 */
export function resolveOptions<K extends PolicyKind>(
  kind: K,
  raw: PolicyOptionsByKind[K] | undefined,
  where: string,
): ResolvedOptionsByKind[K] {
  const specs = OPTION_SPECS[kind];
  const issues: ConfigIssue[] = [];
  const prefix = `${DECORATOR_NAME[kind]} on ${where}`;
  const issue = (key: string, message: string) =>
    issues.push({ key: `${where}.${kind}.${key}`, message: `${prefix}: ${key} ${message}` });

  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
    throw new ConfigError([{ key: `${where}.${kind}`, message: `${prefix}: options must be an object, got ${describe(raw)}` }]);
  }
  const given = (raw ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(specs, key)) {
      const guess = didYouMean(key, Object.keys(specs));
      issues.push({
        key: `${where}.${kind}.${key}`,
        message: `${prefix}: unknown option '${key}'${guess ? ` (did you mean '${guess}'?)` : ''}; known options: ${Object.keys(specs).join(', ')}`,
      });
    }
  }
  for (const [key, spec] of Object.entries(specs)) {
    const value = given[key];
    if (value === undefined && !(key in given && spec.type === 'any')) {
      if (spec.required) issue(key, 'is required');
      else if ('default' in spec && spec.default !== undefined) out[key] = spec.default;
      continue;
    }
    const problem = checkValue(spec, value);
    if (problem) issue(key, problem);
    else out[key] = value;
  }
  if (issues.length === 0) finish(kind, out, issue);
  if (issues.length > 0) throw new ConfigError(issues);
  // Handed out by registry.policies(): frozen, so reading them cannot change a policy.
  return Object.freeze(out) as unknown as ResolvedOptionsByKind[K];
}
