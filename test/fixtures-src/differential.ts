// Scenarios of the differential suite: each runs once in runtime mode and once against the
// generated wrappers (compiled mode), and both runs must give the same results, errors, attempt
// counts, state transitions and events. Every class is made by a factory, so each run gets fresh
// policies; each exports a `script` that drives it, with time advanced by the test's fake clock.
import { Bulkhead, Cached, CircuitBreaker, DeadLetter, Fallback, RateLimit, Retry, Timeout, Validated } from 'resil';

/** What a script may do besides calling: let fake time pass. */
export interface Driver {
  advance(ms: number): Promise<void>;
}

/** One scenario: a fresh instance, and the calls to make on it. */
export interface Scenario {
  /** Method ids it decorates, which must run generated wrappers in compiled mode. */
  methods: string[];
  script(driver: Driver): Promise<unknown[]>;
}

export class TransientError extends Error {
  override readonly name = 'TransientError';
}
export class FatalError extends Error {
  override readonly name = 'FatalError';
}

/** Settles a promise into a plain record, so outcomes can be compared. */
export async function settle(value: unknown): Promise<unknown> {
  try {
    return { ok: await value };
  } catch (error) {
    const e = error as { name?: string; message?: string; code?: string };
    return { error: e.name, message: e.message, code: e.code };
  }
}

/** Starts a call, lets `ms` of fake time pass, and settles it. */
async function after(driver: Driver, ms: number, call: Promise<unknown>): Promise<unknown> {
  const outcome = settle(call);
  await driver.advance(ms);
  return outcome;
}

export const scenarios: Record<string, () => Scenario> = {
  retryExhausted() {
    class Flaky {
      calls = 0;
      @Retry({ maxAttempts: 3, baseDelayMs: 10, backoff: 'exponential', jitter: 'none' })
      async call(): Promise<string> {
        throw new TransientError(`fail ${++this.calls}`);
      }
    }
    const svc = new Flaky();
    return { methods: ['Flaky.call'], script: async (d) => [await after(d, 100, svc.call()), svc.calls] };
  },

  retryThenSuccess() {
    class Recovering {
      calls = 0;
      @Retry({ maxAttempts: 4, baseDelayMs: 5, jitter: 'none' })
      async call(x: number): Promise<number> {
        if (++this.calls < 3) throw new TransientError(`fail ${this.calls}`);
        return x * 2;
      }
    }
    const svc = new Recovering();
    return { methods: ['Recovering.call'], script: async (d) => [await after(d, 100, svc.call(21)), svc.calls] };
  },

  retryOnResultAndAbortOn() {
    class Polling {
      calls = 0;
      @Retry({ maxAttempts: 5, baseDelayMs: 1, jitter: 'none', retryOnResult: (r: unknown) => r === 'pending', abortOn: [FatalError] })
      async poll(fatalAt: number): Promise<string> {
        this.calls++;
        if (this.calls === fatalAt) throw new FatalError('stop');
        return this.calls < 3 ? 'pending' : 'ready';
      }
    }
    const svc = new Polling();
    return {
      methods: ['Polling.poll'],
      script: async (d) => [await after(d, 50, svc.poll(99)), await after(d, 50, svc.poll(4)), svc.calls],
    };
  },

  breakerLifecycle() {
    class Guarded {
      fail = true;
      @CircuitBreaker({ failureThreshold: 2, resetTimeoutMs: 100, halfOpenMaxCalls: 1 })
      call(x: number): number {
        if (this.fail) throw new TransientError('down');
        return x;
      }
    }
    const svc = new Guarded();
    const sync = (f: () => unknown) => {
      try {
        return { ok: f() };
      } catch (error) {
        return { error: (error as Error).name, code: (error as { code?: string }).code };
      }
    };
    return {
      methods: ['Guarded.call'],
      script: async (d) => {
        const out = [sync(() => svc.call(1)), sync(() => svc.call(2)), sync(() => svc.call(3))];
        await d.advance(100);
        out.push(sync(() => svc.call(4)));
        await d.advance(100);
        svc.fail = false;
        out.push(sync(() => svc.call(5)), sync(() => svc.call(6)));
        return out;
      },
    };
  },

  breakerWindowWithSlowCalls() {
    class Windowed {
      @CircuitBreaker({ strategy: 'count-window', windowSize: 4, minimumCalls: 4, failureRateThreshold: 50, slowCallMs: 20, slowCallRateThreshold: 50, resetTimeoutMs: 50 })
      async call(ms: number, fail: boolean): Promise<number> {
        await new Promise((resolve) => setTimeout(resolve, ms));
        if (fail) throw new TransientError('slow failure');
        return ms;
      }
    }
    const svc = new Windowed();
    return {
      methods: ['Windowed.call'],
      script: async (d) => {
        const out: unknown[] = [];
        for (const [ms, fail] of [[1, false], [30, false], [1, true], [40, false], [1, false]] as const) out.push(await after(d, 50, svc.call(ms, fail)));
        return out;
      },
    };
  },

  retryBreakerTimeout() {
    class Remote {
      calls = 0;
      @Timeout(30)
      @CircuitBreaker({ failureThreshold: 3, resetTimeoutMs: 1000 })
      @Retry({ maxAttempts: 4, baseDelayMs: 10, jitter: 'none' })
      async fetch(id: string, signal?: AbortSignal): Promise<string> {
        const n = ++this.calls;
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, n < 3 ? 100 : 5);
          signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(signal.reason);
          });
        });
        return `${id} after ${n}`;
      }
    }
    const svc = new Remote();
    return {
      methods: ['Remote.fetch'],
      script: async (d) => [await after(d, 500, svc.fetch('a')), await after(d, 500, svc.fetch('b')), svc.calls],
    };
  },

  callerAborts() {
    class Cancellable {
      calls = 0;
      @Retry({ maxAttempts: 3, baseDelayMs: 10, jitter: 'none' })
      @CircuitBreaker({ failureThreshold: 5, halfOpenMaxCalls: 1 })
      @Timeout(100)
      async fetch(id: string, signal?: AbortSignal): Promise<string> {
        this.calls++;
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, 50);
          signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            reject(signal.reason);
          });
        });
        return id;
      }
    }
    const svc = new Cancellable();
    return {
      methods: ['Cancellable.fetch'],
      script: async (d) => {
        const out: unknown[] = [await after(d, 10, svc.fetch('gone', AbortSignal.abort(new FatalError('already aborted'))))];
        const caller = new AbortController();
        const call = settle(svc.fetch('mid', caller.signal));
        await d.advance(20);
        caller.abort(new FatalError('caller gave up'));
        await d.advance(100);
        out.push(await call, await after(d, 100, svc.fetch('fine')), svc.calls);
        return out;
      },
    };
  },

  rateLimits() {
    class Limited {
      @RateLimit({ limit: 2, intervalMs: 100 })
      rejecting(x: number): number {
        return x;
      }
      @RateLimit({ limit: 1, intervalMs: 50, algorithm: 'fixed-window', onLimit: 'wait', maxWaitMs: 500 })
      async waiting(x: number): Promise<number> {
        return x;
      }
    }
    const svc = new Limited();
    const sync = (x: number) => {
      try {
        return { ok: svc.rejecting(x) };
      } catch (error) {
        return { error: (error as Error).name, code: (error as { code?: string }).code };
      }
    };
    return {
      methods: ['Limited.rejecting', 'Limited.waiting'],
      script: async (d) => {
        const out: unknown[] = [sync(1), sync(2), sync(3)];
        const waits = [svc.waiting(1), svc.waiting(2), svc.waiting(3)].map(settle);
        await d.advance(200);
        out.push(...(await Promise.all(waits)));
        return out;
      },
    };
  },

  bulkheadQueue() {
    class Queued {
      @Bulkhead({ maxConcurrent: 1, maxQueue: 1, queueTimeoutMs: 30 })
      async work(ms: number): Promise<number> {
        await new Promise((resolve) => setTimeout(resolve, ms));
        return ms;
      }
    }
    const svc = new Queued();
    return {
      methods: ['Queued.work'],
      script: async (d) => {
        const calls = [svc.work(50), svc.work(10), svc.work(10)].map(settle);
        await d.advance(200);
        const queued = [svc.work(5), svc.work(5)].map(settle);
        await d.advance(50);
        return [...(await Promise.all(calls)), ...(await Promise.all(queued))];
      },
    };
  },

  cacheFallbackSync() {
    class Pricing {
      calls = 0;
      @Cached({ ttlMs: 100 })
      @Fallback({ value: -1 })
      price(sku: string): number {
        this.calls++;
        if (sku === 'bad') throw new FatalError('unknown sku');
        return sku.length;
      }
    }
    const svc = new Pricing();
    return {
      methods: ['Pricing.price'],
      script: async (d) => {
        const out = [svc.price('abc'), svc.price('abc'), svc.price('bad'), svc.price('bad')];
        await d.advance(150);
        out.push(svc.price('abc'), svc.calls);
        return out;
      },
    };
  },

  cacheSingleFlightAsync() {
    class Catalog {
      calls = 0;
      @Cached({ ttlMs: 1000, staleWhileRevalidateMs: 1000 })
      async item(id: number): Promise<string> {
        this.calls++;
        await new Promise((resolve) => setTimeout(resolve, 10));
        return `item ${id} v${this.calls}`;
      }
    }
    const svc = new Catalog();
    return {
      methods: ['Catalog.item'],
      script: async (d) => {
        const first = [svc.item(1), svc.item(1)].map(settle);
        await d.advance(20);
        const out = await Promise.all(first);
        await d.advance(1500);
        out.push(await after(d, 20, svc.item(1)), await after(d, 20, svc.item(1)), svc.calls);
        return out;
      },
    };
  },

  fallbackMethodAfterRetries() {
    class Quotes {
      calls = 0;
      @Fallback({ method: 'cached', on: [TransientError] })
      @Retry({ maxAttempts: 2, baseDelayMs: 1, jitter: 'none' })
      async quote(symbol: string): Promise<string> {
        this.calls++;
        if (symbol === 'fatal') throw new FatalError('no such symbol');
        throw new TransientError('feed down');
      }
      cached(symbol: string, error: unknown): string {
        return `${symbol} from cache (${(error as Error).message})`;
      }
    }
    const svc = new Quotes();
    return {
      methods: ['Quotes.quote'],
      script: async (d) => [await after(d, 20, svc.quote('ACME')), await after(d, 20, svc.quote('fatal')), svc.calls],
    };
  },

  deadLetterAfterRetries() {
    class Mailer {
      @DeadLetter({ maxEntries: 10 })
      @Retry({ maxAttempts: 2, baseDelayMs: 1, jitter: 'none' })
      async send(to: string): Promise<void> {
        throw new TransientError(`cannot reach ${to}`);
      }
    }
    const svc = new Mailer();
    return { methods: ['Mailer.send'], script: async (d) => [await after(d, 20, svc.send('ops@example.test'))] };
  },

  validatedFirst() {
    class Orders {
      calls = 0;
      @Retry({ maxAttempts: 3, baseDelayMs: 0 })
      @Validated()
      async place(qty: number, sku: string): Promise<string> {
        this.calls++;
        return `${qty} x ${sku}`;
      }
    }
    const svc = new Orders();
    return {
      methods: ['Orders.place'],
      // Valid input only: what @Validated rejects differs between the modes by design (runtime mode under standard
      // decorators sees no types at all; compiled mode checks the declared ones), see test/integration/validated-compiled.test.ts.
      script: async (d) => [await after(d, 10, svc.place(2, 'tea')), await after(d, 10, svc.place(3, 'coffee')), svc.calls],
    };
  },
};
