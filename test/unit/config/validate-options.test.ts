import { describe, expect, it } from 'vitest';
import { OPTION_SPECS } from '../../../src/config/defaults.js';
import { resolveOptions } from '../../../src/config/validate-options.js';
import { ConfigError } from '../../../src/errors.js';
import { POLICY_ORDER } from '../../../src/policies/kinds.js';

const issuesOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
};

describe('resolveOptions', () => {
  it('fills every default of SPEC §1', () => {
    expect(resolveOptions('retry', undefined, 'S.m')).toEqual({
      maxAttempts: 3, backoff: 'exponential', baseDelayMs: 100, maxDelayMs: 30_000, multiplier: 2, jitter: 'full',
    });
    expect(resolveOptions('circuitBreaker', {}, 'S.m')).toEqual({
      strategy: 'consecutive', failureThreshold: 5, windowSize: 100, failureRateThreshold: 50, minimumCalls: 10,
      slowCallRateThreshold: 100, resetTimeoutMs: 30_000, halfOpenMaxCalls: 3, critical: false,
    });
    expect(resolveOptions('circuitBreaker', { strategy: 'time-window' }, 'S.m').windowSize).toBe(60_000);
    expect(resolveOptions('rateLimit', { limit: 5 }, 'S.m')).toEqual({
      limit: 5, intervalMs: 1000, algorithm: 'token-bucket', burst: 5, onLimit: 'reject', maxWaitMs: 1000, store: 'memory',
    });
    expect(resolveOptions('cache', {}, 'S.m')).toEqual({
      ttlMs: 60_000, maxEntries: 1000, singleFlight: true, staleWhileRevalidateMs: 0, cacheErrors: false, store: 'memory',
    });
    expect(resolveOptions('bulkhead', {}, 'S.m')).toEqual({ maxConcurrent: 10, maxQueue: 0 });
    expect(resolveOptions('deadLetter', {}, 'S.m')).toEqual({ store: 'file', maxEntries: 10_000 });
    expect(resolveOptions('validated', {}, 'S.m')).toEqual({ returns: false, strict: false });
  });

  it('names the method, the option and the allowed range', () => {
    expect(() => resolveOptions('retry', { maxAttempts: 0 }, 'Shop.charge')).toThrow(
      '@Retry on Shop.charge: maxAttempts must be an integer >= 1, got 0',
    );
  });

  it('lists the allowed values of an enum', () => {
    expect(() => resolveOptions('retry', { backoff: 'quadratic' as never }, 'Shop.charge')).toThrow(
      "@Retry on Shop.charge: backoff must be one of 'exponential', 'linear', 'fixed', 'fibonacci', 'decorrelated', got \"quadratic\"",
    );
  });

  it('reports every problem at once with key paths', () => {
    const issues = issuesOf(() => resolveOptions('retry', { maxAttempts: 1.5, jitter: 'some' as never }, 'Shop.charge'));
    expect(issues.map((i) => i.key)).toEqual(['Shop.charge.retry.maxAttempts', 'Shop.charge.retry.jitter']);
  });

  it('rejects unknown options with a did-you-mean', () => {
    expect(() => resolveOptions('retry', { maxAttempt: 3 } as never, 'Shop.charge')).toThrow("unknown option 'maxAttempt' (did you mean 'maxAttempts'?)");
  });

  it('requires required options', () => {
    expect(() => resolveOptions('rateLimit', {} as never, 'S.m')).toThrow('@RateLimit on S.m: limit is required');
    expect(() => resolveOptions('timeout', {} as never, 'S.m')).toThrow('@Timeout on S.m: ms is required');
  });

  it('checks percentages, filters, functions and keys', () => {
    expect(() => resolveOptions('circuitBreaker', { failureRateThreshold: 150 }, 'S.m')).toThrow('failureRateThreshold must be a number > 0 <= 100, got 150');
    expect(() => resolveOptions('retry', { retryOn: 'Error' as never }, 'S.m')).toThrow('retryOn must be an error class, an array of error classes, or a predicate');
    expect(() => resolveOptions('retry', { onRetry: 1 as never }, 'S.m')).toThrow('onRetry must be a function, got 1');
    expect(() => resolveOptions('cache', { key: '' }, 'S.m')).toThrow('key must be a parameter name or path, or a function');
  });

  it('checks rules between options', () => {
    expect(() => resolveOptions('retry', { baseDelayMs: 500, maxDelayMs: 100 }, 'S.m')).toThrow('baseDelayMs must be <= maxDelayMs (100), got 500');
  });

  it('rejects options that are not an object', () => {
    expect(() => resolveOptions('retry', 3 as never, 'S.m')).toThrow('@Retry on S.m: options must be an object, got 3');
  });

  it('has a description for every option of every kind', () => {
    for (const kind of POLICY_ORDER) for (const spec of Object.values(OPTION_SPECS[kind])) expect(spec.description.length).toBeGreaterThan(5);
  });
});
