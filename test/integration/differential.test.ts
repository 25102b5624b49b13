import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { configuration } from '../../src/config/configuration.js';
import { configure, registry } from '../../src/index.js';
import type { ResilEvents } from '../../src/events.js';
import { runtime as runtimeState } from '../../src/runtime.js';
import { decoratorPairs, pairMethodName } from '../support/decorator-pairs.js';
import { inRuntimeMode, loadGenerated, notCompiled } from '../support/generated.js';

type Fixtures = typeof import('../fixtures-src/differential.js');

// The fixture compiled by tsc 6 (standard decorators); its classes are made per run by factories.
const fx = (await import('../.compiled/standard/differential.js' as string)) as Fixtures;
const { makePairs } = (await import('../.compiled/standard/pairs.js' as string)) as {
  makePairs: () => new () => Record<string, (x: number) => Promise<number>>;
};

/** Every event type the registry emits, recorded in order. */
const EVENT_TYPES: (keyof ResilEvents)[] = [
  'stateChange',
  'attempt',
  'retry',
  'rejection',
  'timeout',
  'fallback',
  'cache',
  'refreshError',
  'deadLetter',
  'deadLetterError',
  'notice',
  'configChange',
];

/** An event with errors reduced to their name and message, and dead-letter ids (random) dropped. */
function plain(event: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) {
    if (key === 'entryId') continue;
    out[key] = value instanceof Error ? `${value.name}: ${value.message}` : value;
  }
  return out;
}

interface Trace {
  outcomes: unknown[];
  /** Calls still counted in flight once the script is done (0 unless a wrapper lost one). */
  inFlight: number;
  events: unknown[];
  stats: unknown[];
  /** Methods of the scenario that did not run a generated wrapper. */
  runtimeMethods: string[];
}

/** Runs one scenario from a fresh registry and clock, recording everything observable. */
async function trace(make: () => ReturnType<Fixtures['scenarios'][string]>): Promise<Trace> {
  registry.clear();
  vi.useFakeTimers({ now: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'resil-differential-'));
  configure({ deadLetterDir: dir });
  const events: unknown[] = [];
  const subscriptions = EVENT_TYPES.map((type) =>
    registry.on(type, (event) => {
      // Runtime mode's @Validated says it checks only what design:paramtypes gives; compiled mode runs generated validators instead.
      if (type === 'notice' && (event as { code: string }).code === 'validationLimited') return;
      events.push({ type, ...plain(event) });
    }),
  );
  try {
    const scenario = make();
    const outcomes = await scenario.script({ advance: (ms) => vi.advanceTimersByTimeAsync(ms).then(() => undefined) });
    // A @Validated policy's state names its mode (runtime or compiled) and what it checks: different by design.
    const stats = registry.policies().map((p) => ({
      id: p.id,
      stats: registry.getOrThrow(p.id).stats(),
      state: p.kind === 'validated' ? undefined : registry.getOrThrow(p.id).state(),
    }));
    // Each run has its own dead-letter folder: compare the paths below it.
    return { outcomes, events, inFlight: runtimeState.lifecycle.inFlight, stats: JSON.parse(JSON.stringify(stats).replaceAll(dir, '<dir>')) as unknown[], runtimeMethods: notCompiled(scenario.methods) };
  } finally {
    for (const s of subscriptions) s.dispose();
    vi.useRealTimers();
  }
}

/** Overrides for some scenarios: file defaults, file policies and the environment together. */
const OVERRIDES = {
  defaults: { retry: { maxDelayMs: 1000 } },
  policies: {
    'Flaky.call': { retry: { maxAttempts: 5, baseDelayMs: 3 } },
    'Guarded.call': { circuitBreaker: { failureThreshold: 1, resetTimeoutMs: 40 } },
    'Limited.rejecting': { rateLimit: { limit: 1 } },
    'Queued.work': { bulkhead: { maxQueue: 0 } },
  },
};
const ENV = { RESIL__Remote__fetch__timeout__ms: '12', RESIL__Remote__fetch__retry__maxAttempts: '2' };
const CONFIGURED = ['retryExhausted', 'breakerLifecycle', 'retryBreakerTimeout', 'rateLimits', 'bulkheadQueue'];

describe('the same scenario in runtime mode and against the generated wrappers', () => {
  let unload: () => void;
  beforeAll(async () => {
    unload = await loadGenerated();
  });
  afterAll(() => {
    unload();
    configure({ deadLetterDir: '.resil' });
  });

  it('covers every scenario of the fixture', () => {
    expect(Object.keys(fx.scenarios).length).toBeGreaterThanOrEqual(13);
  });

  it.each(Object.keys(fx.scenarios))('%s', async (name) => {
    const make = fx.scenarios[name]!;
    const runtime = await inRuntimeMode(() => trace(make));
    const compiled = await trace(make);
    expect(runtime.runtimeMethods.length).toBeGreaterThan(0);
    expect(compiled.runtimeMethods).toEqual([]);
    expect({ ...compiled, runtimeMethods: undefined }).toEqual({ ...runtime, runtimeMethods: undefined });
  });

  it.each(decoratorPairs().map(pairMethodName))('the decorator pair %s', async (name) => {
    const make = () => {
      const pairs = new (makePairs())();
      return {
        methods: [`Pairs.${name}`],
        script: async () => [await pairs[name]!(7), await pairs[name]!(8), await pairs[name]!(7)],
      };
    };
    const runtime = await inRuntimeMode(() => trace(make));
    const compiled = await trace(make);
    expect(compiled.runtimeMethods).toEqual([]);
    expect({ ...compiled, runtimeMethods: undefined }).toEqual({ ...runtime, runtimeMethods: undefined });
  });

  it('configures scenarios that exist (same configuration below)', () => {
    for (const name of CONFIGURED) expect(Object.keys(fx.scenarios)).toContain(name);
  });

  it.each(CONFIGURED)('%s under the same configuration', async (name) => {
    const make = fx.scenarios[name]!;
    const plain = await inRuntimeMode(() => trace(make));
    for (const [key, value] of Object.entries(ENV)) vi.stubEnv(key, value);
    configuration.reset();
    configure({ config: OVERRIDES });
    try {
      const runtime = await inRuntimeMode(() => trace(make));
      const compiled = await trace(make);
      expect(compiled.runtimeMethods).toEqual([]);
      expect({ ...compiled, runtimeMethods: undefined }).toEqual({ ...runtime, runtimeMethods: undefined });
      // The configuration changed what happened.
      expect({ ...runtime, runtimeMethods: undefined }).not.toEqual({ ...plain, runtimeMethods: undefined });
    } finally {
      vi.unstubAllEnvs();
      configuration.reset();
    }
  });
});
