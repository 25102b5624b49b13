import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CircuitBreaker, ConfigError, Retry, compiledMethods, defineGenerated, registry, type GeneratedEntry, type NoticeEvent } from '../../src/index.js';
import { detachGenerated } from '../../src/generated.js';

// Generated entries written by hand, to test how the runtime picks them; the real emitter's
// output runs in test/integration/differential.test.ts.

/** An entry whose wrapper calls the method through the breaker's steps, and counts its calls. */
function entry(options: GeneratedEntry['options'], calls: string[] = []): GeneratedEntry {
  return {
    async: false,
    signalIndex: -1,
    options,
    create(ctx) {
      const breaker = ctx.policy('circuitBreaker');
      const wrapper = function (this: unknown, ...args: unknown[]): unknown {
        calls.push(ctx.method.id);
        const ticket = breaker.enter();
        const result = ctx.original.apply(this, args);
        breaker.succeed(ticket, 0);
        return result;
      };
      installed.push(wrapper);
      return wrapper;
    },
  };
}

const notices: NoticeEvent[] = [];
/** The wrappers the entries made, to tell whether the class holds one. */
const installed: unknown[] = [];
beforeEach(() => {
  notices.length = 0;
  registry.on('notice', (n) => notices.push(n));
});
afterEach(() => {
  detachGenerated();
  vi.unstubAllEnvs();
});

describe('generated entries', () => {
  it('run in place of the runtime chain when their options match the decorators', () => {
    const calls: string[] = [];
    defineGenerated('h1', { 'Prices.get': entry({ circuitBreaker: { failureThreshold: 3 } }, calls) });
    class Prices {
      @CircuitBreaker({ failureThreshold: 3 })
      get(sku: string): number {
        return sku.length;
      }
    }
    expect(new Prices().get('abc')).toBe(3);
    expect(new Prices().get('abcd')).toBe(4);
    expect(calls).toEqual(['Prices.get', 'Prices.get']);
    // Once the policies exist, the class holds the generated wrapper itself: calls reach it directly.
    expect(installed).toContain(Prices.prototype.get);
    expect(Prices.prototype.get.name).toBe('get');
    expect(compiledMethods()).toContain('Prices.get');
    expect(registry.get('Prices.get#circuitBreaker')!.stats()).toMatchObject({ calls: 2, successes: 2 });
    expect(notices).toEqual([]);
  });

  it('are stale when an option differs: runtime mode, and one generatedStale notice', () => {
    const calls: string[] = [];
    defineGenerated('h2', { 'Stale.get': entry({ circuitBreaker: { failureThreshold: 3 } }, calls) });
    class Stale {
      @CircuitBreaker({ failureThreshold: 4 })
      get(): number {
        return 1;
      }
    }
    expect(new Stale().get()).toBe(1);
    expect(new Stale().get()).toBe(1);
    expect(calls).toEqual([]);
    expect(installed).not.toContain(Stale.prototype.get);
    expect(compiledMethods()).not.toContain('Stale.get');
    expect(notices).toEqual([
      {
        method: 'Stale.get',
        code: 'generatedStale',
        message: "Stale.get runs in runtime mode: its generated entry is stale (@CircuitBreaker option 'failureThreshold' differs from what was generated); run resil gen",
      },
    ]);
  });

  it('are stale when a decorator was added or removed since generation', () => {
    defineGenerated('h3', { 'Added.get': entry({ circuitBreaker: {} }) });
    class Added {
      @Retry()
      @CircuitBreaker()
      async get(): Promise<number> {
        return 1;
      }
    }
    void Added;
    expect(registry.notices().map((n) => n.message)).toEqual([
      'Added.get runs in runtime mode: its generated entry is stale (@Retry is on the method but was not generated); run resil gen',
    ]);
  });

  it('match any value where the generator saw an expression, and any options given as one expression', () => {
    class HttpError extends Error {}
    const options = { failureThreshold: 2 };
    defineGenerated('h4', {
      'Exprs.one': entry({ circuitBreaker: { recordOn: { $expr: '[HttpError]' } } }),
      'Exprs.two': entry({ circuitBreaker: { $options: { $expr: 'options' } } }),
    });
    class Exprs {
      @CircuitBreaker({ recordOn: [HttpError] })
      one(): number {
        return 1;
      }
      @CircuitBreaker(options)
      two(): number {
        return 2;
      }
    }
    expect(new Exprs().one() + new Exprs().two()).toBe(3);
    expect(compiledMethods()).toEqual(expect.arrayContaining(['Exprs.one', 'Exprs.two']));
  });

  it('say generatedMissing for a method without an entry once a generated module is loaded, and nothing before', () => {
    class Before {
      @CircuitBreaker()
      get(): number {
        return 1;
      }
    }
    new Before().get();
    expect(notices).toEqual([]);
    defineGenerated('h5', {});
    class After {
      @CircuitBreaker()
      get(): number {
        return 1;
      }
    }
    new After().get();
    expect(notices.map((n) => [n.code, n.message])).toEqual([['generatedMissing', 'After.get has no entry in the generated module; run resil gen']]);
  });

  it('tell a method defined before the generated module was imported that it runs in runtime mode', () => {
    class Early {
      @CircuitBreaker()
      get(): number {
        return 1;
      }
    }
    new Early().get();
    defineGenerated('h6', { 'Early.get': entry({ circuitBreaker: {} }) });
    expect(notices.map((n) => n.code)).toEqual(['generatedMissing']);
    expect(notices[0]!.message).toMatch(/defined before resil\.generated\.js was imported/);
  });

  it('with RESIL_REQUIRE_GENERATED=1, a missing or stale entry is a ConfigError at class definition', () => {
    vi.stubEnv('RESIL_REQUIRE_GENERATED', '1');
    class Missing {
      @CircuitBreaker()
      get(): number {
        return 1;
      }
    }
    void Missing;
    expect(() => registry.policies()).toThrow(ConfigError);
    registry.clear();
    defineGenerated('h7', { 'Changed.get': entry({ circuitBreaker: { failureThreshold: 1 } }) });
    class Changed {
      @CircuitBreaker({ failureThreshold: 2 })
      get(): number {
        return 1;
      }
    }
    void Changed;
    expect(() => registry.policies()).toThrow(/Changed\.get runs in runtime mode: its generated entry is stale .*RESIL_REQUIRE_GENERATED is set/);
  });
});
