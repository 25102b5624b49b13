export { Retry, CircuitBreaker, Timeout, RateLimit, Cached, Bulkhead, Fallback, DeadLetter, Validated, Resilient } from './decorators.js';
export type { ResilMethodDecorator, ResilClassDecorator, ResilientOptions } from './decorators.js';
export type {
  Backoff,
  BreakerStrategy,
  BulkheadOptions,
  CachedOptions,
  CircuitBreakerOptions,
  DeadLetterOptions,
  ErrorClass,
  ErrorFilter,
  FallbackOptions,
  Jitter,
  RateLimitAlgorithm,
  RateLimitOptions,
  RetryInfo,
  RetryOptions,
  TimeoutOptions,
  ValidatedOptions,
} from './options.js';
export {
  ResilError,
  ValidationError,
  TimeoutError,
  BrokenCircuitError,
  RateLimitedError,
  BulkheadFullError,
  ConfigError,
  ShuttingDownError,
  isShuttingDownError,
  isResilError,
  isValidationError,
  isTimeoutError,
  isBrokenCircuitError,
  isRateLimitedError,
  isBulkheadFullError,
  isConfigError,
} from './errors.js';
export type { ResilErrorCode, ValidationIssue, ConfigIssue } from './errors.js';
export { registry, Registry } from './registry/registry.js';
export type { PolicyDescriptor } from './registry/registry.js';
// Importing tracing.js installs the span observer (package.json lists it under sideEffects).
export { enableTracing, disableTracing } from './registry/tracing.js';
export type { PolicyHandle, PolicyStats } from './policies/policy.js';
export type {
  BulkheadHandle,
  BulkheadState,
  CacheHandle,
  CacheState,
  CacheStats,
  CircuitBreakerHandle,
  CircuitBreakerState,
  CircuitBreakerStats,
  DeadLetterEntry,
  DeadLetterHandle,
  DeadLetterState,
  DeadLetterStats,
  RateLimitState,
  RateLimitStats,
  RetryState,
  RetryStats,
  TimeoutState,
  TimeoutStats,
} from './registry/handles.js';
export type { PolicyKind } from './policies/kinds.js';
export { configure } from './configure.js';
export { config } from './config/config-api.js';
export type { ConfigDocument } from './config/config-snapshot.js';
export type { ConfigWatcher } from './config/watch-config.js';
export { shutdown, installShutdownHandlers } from './shutdown.js';
export type { ShutdownOptions, ShutdownResult, ShutdownHandlerOptions } from './shutdown.js';
export type { HealthReport, HealthCheck, HealthStatus } from './registry/health.js';
export { HEALTH_THRESHOLDS } from './registry/health.js';
export type { ConfigureOptions } from './configure.js';
export { systemClock } from './clock.js';
export type { Clock, TimerHandle } from './clock.js';
export type {
  ResilEvents,
  CircuitState,
  StateChangeEvent,
  AttemptEvent,
  RetryEvent,
  RejectionEvent,
  TimeoutEvent,
  FallbackEvent,
  CacheEvent,
  RefreshErrorEvent,
  DeadLetterEvent,
  NoticeEvent,
  ConfigChangeEvent,
  ConfigErrorEvent,
  Disposable,
} from './events.js';
export { defineGenerated, compiledMethods, generatedValidators } from './generated.js';
export type { GeneratedContext, GeneratedEntry, GeneratedMethod, PolicyByKind } from './generated.js';
export type { Call, MethodInfo } from './policies/policy.js';
export { Issues, MAX_DEPTH, MAX_ISSUES } from './validation/issues.js';
export { isEmail, isUuid, isUri, isDate, isDateTime, isIpv4, isIpv6 } from './validation/formats.js';
export { codePoints, hasClass, allUnique, keyPath } from './validation/values.js';
export { describeReceived } from './validation/describe.js';
export type { GeneratedValidators } from './generated.js';
