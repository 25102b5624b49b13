import { describe, expect, it, vi } from 'vitest';
import {
  Bulkhead,
  Cached,
  CircuitBreaker,
  DeadLetter,
  Fallback,
  RateLimit,
  Resilient,
  Retry,
  Timeout,
  Validated,
  registry,
} from '../../src/index.js';

// These classes use legacy decorators (vitest lowers them with experimentalDecorators); the
// standard-decorator paths are tested on tsc-compiled fixtures in test/integration.

describe('decorators at class definition', () => {
  it('register every policy of a method, in SPEC order, with ids Class.method#kind', () => {
    class Shop {
      @Timeout(100)
      @Retry()
      @Cached()
      async find(id: string): Promise<string> {
        return id;
      }
    }
    void Shop;
    expect(registry.policiesOf('Shop.find')).toEqual(['Shop.find#cache', 'Shop.find#retry', 'Shop.find#timeout']);
    expect(registry.policies().map((p) => [p.id, p.kind, p.method])).toEqual([
      ['Shop.find#cache', 'cache', 'Shop.find'],
      ['Shop.find#retry', 'retry', 'Shop.find'],
      ['Shop.find#timeout', 'timeout', 'Shop.find'],
    ]);
  });

  it('throw a ConfigError naming the method and option for a bad value', () => {
    expect(() => {
      class Shop {
        @Retry({ maxAttempts: 0 })
        async charge(): Promise<void> {}
      }
      return Shop;
    }).toThrow('@Retry on Shop.charge: maxAttempts must be an integer >= 1, got 0');
  });

  it.each([
    ['@Retry', Retry()],
    ['@Timeout', Timeout(10)],
    ['@Bulkhead', Bulkhead()],
    ['@DeadLetter', DeadLetter()],
    ['@RateLimit', RateLimit({ limit: 1, onLimit: 'wait' })],
  ])('refuse %s on a sync method, naming it', (name, decorator) => {
    expect(() => {
      class Calc {
        @(decorator as ReturnType<typeof CircuitBreaker>)
        add(a: number): number {
          return a;
        }
      }
      return Calc;
    }).toThrow(`${name} on Calc.add must wait, so Calc.add must return a promise; declare it async`);
  });

  it('allow sync-capable policies on sync methods, which stay sync', () => {
    class Calc {
      @Validated()
      @Cached()
      @CircuitBreaker()
      @RateLimit({ limit: 10 })
      @Fallback({ value: -1 })
      square(x: number): number {
        if (x < 0) throw new Error('negative');
        return x * x;
      }
    }
    const calc = new Calc();
    expect(calc.square(3)).toBe(9);
    expect(calc.square(-2)).toBe(-1);
  });

  it('refuse the same decorator twice on one method', () => {
    expect(() => {
      class Shop {
        @Retry()
        @Retry()
        async charge(): Promise<void> {}
      }
      return Shop;
    }).toThrow('@Retry is applied twice to Shop.charge');
  });

  it('refuse a fallback method that does not exist', () => {
    expect(() => {
      class Shop {
        @Fallback('nope')
        async charge(): Promise<void> {}
      }
      return Shop;
    }).toThrow("@Fallback on Shop.charge: no method 'nope' on Shop");
  });

  it('refuse a key naming no parameter', () => {
    expect(() => {
      class Shop {
        @RateLimit({ limit: 1, key: 'user' })
        async charge(userId: string): Promise<string> {
          return userId;
        }
      }
      return Shop;
    }).toThrow("Shop.charge: key 'user' names no parameter; parameters are userId");
  });

  it('share one policy between instances', async () => {
    class Shop {
      calls = 0;
      @Cached()
      async price(sku: string): Promise<number> {
        return ++this.calls + sku.length;
      }
    }
    const a = new Shop();
    const b = new Shop();
    await a.price('x');
    await b.price('x');
    expect(a.calls + b.calls).toBe(1);
  });

  it('share a named breaker between methods', async () => {
    class Gateway {
      @CircuitBreaker({ name: 'payments', failureThreshold: 1 })
      async charge(): Promise<void> {
        throw new Error('down');
      }
      @CircuitBreaker({ name: 'payments', failureThreshold: 1 })
      async refund(): Promise<string> {
        return 'refunded';
      }
    }
    const g = new Gateway();
    await expect(g.charge()).rejects.toThrow('down');
    await expect(g.refund()).rejects.toMatchObject({ code: 'CIRCUIT_OPEN', policy: 'payments' });
    expect(registry.get('payments')?.methods).toEqual(['Gateway.charge', 'Gateway.refund']);
  });

  it('refuse one name with different options', () => {
    expect(() => {
      class Gateway {
        @CircuitBreaker({ name: 'db', failureThreshold: 1 })
        async a(): Promise<void> {}
        @CircuitBreaker({ name: 'db', failureThreshold: 2 })
        async b(): Promise<void> {}
      }
      return Gateway;
    }).toThrow("policy name 'db' is already used by Gateway.a with other options");
  });

  it('start afresh after registry.clear(): names reserved before are free again', () => {
    class A {
      @CircuitBreaker({ name: 'db', failureThreshold: 1 })
      async a(): Promise<void> {}
    }
    void A;
    registry.clear();
    class B {
      @CircuitBreaker({ name: 'db', failureThreshold: 5 })
      async b(): Promise<void> {}
    }
    void B;
    expect(registry.policies().map((p) => [p.id, p.methods])).toEqual([['db', ['B.b']]]);
  });

  it('register nothing of a class whose definition threw, and reserve none of its names', () => {
    expect(() => {
      class Broken {
        @CircuitBreaker({ name: 'ghost' })
        async a(): Promise<void> {}
        @Fallback('nope')
        async b(): Promise<void> {}
      }
      return Broken;
    }).toThrow("no method 'nope'");
    expect(registry.policies()).toEqual([]);
    class Fine {
      @CircuitBreaker({ name: 'ghost', failureThreshold: 2 })
      async a(): Promise<void> {}
    }
    void Fine;
    expect(registry.policiesOf('Fine.a')).toEqual(['ghost']);
  });

  it('refuse store redis at class definition, and still register the classes defined after', () => {
    expect(() => {
      class R {
        @Cached({ store: 'redis' })
        async get(): Promise<number> {
          return 1;
        }
      }
      return R;
    }).toThrow("@Cached on R.get: store 'redis' requires the resil/redis store, which this version does not include; use store 'memory'");
    class Good {
      @Retry()
      async a(): Promise<void> {}
    }
    void Good;
    expect(registry.policies().map((p) => p.id)).toEqual(['Good.a#retry']);
  });

  it('forget only the failing class, not another class of the same name', () => {
    const make = (fallback: string) => {
      class Svc {
        @CircuitBreaker({ name: `cb-${fallback}` })
        @Fallback(fallback)
        async m(): Promise<void> {}
        async backup(): Promise<void> {}
      }
      return Svc;
    };
    void make('backup');
    expect(() => make('missing')).toThrow("no method 'missing' on Svc");
    expect(registry.policies().map((p) => p.id)).toEqual(['Svc.m#fallback', 'cb-backup']);
  });

  it('keep a decorator applied after the registry was read mid-definition', async () => {
    const peek = (): MethodDecorator => () => void registry.policies();
    class S {
      calls = 0;
      @Retry({ maxAttempts: 2, baseDelayMs: 0 })
      @peek()
      @CircuitBreaker()
      async m(): Promise<number> {
        if (++this.calls === 1) throw new Error('once');
        return this.calls;
      }
    }
    expect(registry.policiesOf('S.m')).toEqual(['S.m#retry', 'S.m#circuitBreaker']);
    await expect(new S().m()).resolves.toBe(2);
  });

  it('give the runtime-mode validation notice as soon as the registry is read', () => {
    class V {
      @Validated()
      check(n: number): number {
        return n;
      }
    }
    void V;
    expect(registry.notices().map((n) => [n.method, n.code])).toEqual([['V.check', 'validationLimited']]);
  });

  it('work on static methods', async () => {
    class Tools {
      static calls = 0;
      @Cached()
      static async load(): Promise<number> {
        return ++Tools.calls;
      }
    }
    await Tools.load();
    await Tools.load();
    expect(Tools.calls).toBe(1);
    expect(registry.policiesOf('Tools.load')).toEqual(['Tools.load#cache']);
  });

  it('keep `this` bound to the instance', async () => {
    class Shop {
      readonly name = 'shop';
      @Retry()
      async who(): Promise<string> {
        return this.name;
      }
    }
    await expect(new Shop().who()).resolves.toBe('shop');
  });

  it('return a rejected promise, not a throw, when an async method is refused', async () => {
    class Shop {
      @RateLimit({ limit: 1 })
      async call(): Promise<string> {
        return 'ok';
      }
    }
    const shop = new Shop();
    await shop.call();
    const second = shop.call();
    expect(second).toBeInstanceOf(Promise);
    await expect(second).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('@Resilient names the class in policy ids', () => {
    @Resilient({ name: 'BillingShop' })
    class Shop {
      @Retry()
      async charge(): Promise<void> {}
    }
    void Shop;
    expect(registry.policiesOf('BillingShop.charge')).toEqual(['BillingShop.charge#retry']);
    expect(registry.policiesOf('Shop.charge')).toEqual([]);
  });

  it('@Resilient keeps two classes of one name apart', () => {
    const first = (() => {
      class Shop {
        @Retry({ maxAttempts: 2 })
        async charge(): Promise<void> {}
      }
      return Shop;
    })();
    const second = (() => {
      @Resilient({ name: 'LegacyShop' })
      class Shop {
        @Retry({ maxAttempts: 7 })
        @CircuitBreaker()
        async charge(): Promise<void> {}
      }
      return Shop;
    })();
    void [first, second];
    expect(registry.policies().map((p) => [p.id, (p.options as { maxAttempts?: number }).maxAttempts])).toEqual([
      ['LegacyShop.charge#circuitBreaker', undefined],
      ['LegacyShop.charge#retry', 7],
      ['Shop.charge#retry', 2],
    ]);
  });

  it('refuse decorating something other than a method', () => {
    expect(() => (Retry() as unknown as (t: object, k: string, d: PropertyDescriptor) => void)({}, 'x', { value: 1 })).toThrow(
      '@Retry decorates methods; x is not a method',
    );
  });

  it('pass the user’s own errors through unchanged', async () => {
    const mine = new Error('mine');
    class Shop {
      @Retry({ maxAttempts: 1 })
      @CircuitBreaker()
      @Timeout(1000)
      @Bulkhead()
      async call(): Promise<void> {
        throw mine;
      }
    }
    vi.useFakeTimers();
    await expect(new Shop().call()).rejects.toBe(mine);
  });
});
