/** The kinds of policy, in SPEC §2's composition order, outermost first. */
export const POLICY_ORDER = [
  'validated',
  'cache',
  'fallback',
  'deadLetter',
  'retry',
  'circuitBreaker',
  'rateLimit',
  'timeout',
  'bulkhead',
] as const;

export type PolicyKind = (typeof POLICY_ORDER)[number];

/** The decorator that creates each kind, for messages. */
export const DECORATOR_NAME: Record<PolicyKind, string> = {
  validated: '@Validated',
  cache: '@Cached',
  fallback: '@Fallback',
  deadLetter: '@DeadLetter',
  retry: '@Retry',
  circuitBreaker: '@CircuitBreaker',
  rateLimit: '@RateLimit',
  timeout: '@Timeout',
  bulkhead: '@Bulkhead',
};
