import { POLICY_ORDER, type PolicyKind } from '../../src/policies/kinds.js';

/** The decorator expression used for each kind in the pairs fixture. */
export const PAIR_DECORATORS: Record<PolicyKind, string> = {
  validated: 'Validated()',
  cache: 'Cached()',
  fallback: "Fallback({ value: 'fallback' })",
  deadLetter: 'DeadLetter()',
  retry: 'Retry({ maxAttempts: 2, baseDelayMs: 1 })',
  circuitBreaker: 'CircuitBreaker()',
  rateLimit: 'RateLimit({ limit: 100 })',
  timeout: 'Timeout(1000)',
  bulkhead: 'Bulkhead()',
};

/** Every pair of kinds, each written in both orders: `[written first, written second]`. */
export function decoratorPairs(): [PolicyKind, PolicyKind][] {
  const pairs: [PolicyKind, PolicyKind][] = [];
  for (const a of POLICY_ORDER) for (const b of POLICY_ORDER) if (a !== b) pairs.push([a, b]);
  return pairs;
}

export const pairMethodName = ([a, b]: [PolicyKind, PolicyKind]) => `${a}_${b}`;

/** A fixture class (made fresh by a factory) with one method per ordered pair of decorators. */
export const DECORATOR_PAIRS_SOURCE = [
  `import { Validated, Cached, Fallback, DeadLetter, Retry, CircuitBreaker, RateLimit, Timeout, Bulkhead } from 'resil';`,
  '',
  'export function makePairs() {',
  'class Pairs {',
  ...decoratorPairs().map(
    (pair) =>
      `  @${PAIR_DECORATORS[pair[0]]}\n  @${PAIR_DECORATORS[pair[1]]}\n  async ${pairMethodName(pair)}(x: number): Promise<number> {\n    return x;\n  }\n`,
  ),
  '}',
  'return Pairs;',
  '}',
  '',
].join('\n');
