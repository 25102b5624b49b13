import { describe, expect, it } from 'vitest';
import { createLimiter } from '../../../../src/policies/limiters/limiter.js';
import type { RateLimitAlgorithm } from '../../../../src/options.js';

const names: RateLimitAlgorithm[] = ['token-bucket', 'sliding-window', 'fixed-window', 'leaky-bucket'];

describe('createLimiter', () => {
  it.each(names)('builds %s with the given parameters', (name) => {
    const params = { limit: 2, intervalMs: 500, burst: 3 };
    const limiter = createLimiter(name, params);
    expect({ name: limiter.name, params: limiter.params }).toEqual({ name, params });
  });

  it.each(names)('gives %s a JSON-serialisable state', (name) => {
    const limiter = createLimiter(name, { limit: 2, intervalMs: 500, burst: 3 });
    const { state } = limiter.take(limiter.initial(1000), 1000);
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });
});
