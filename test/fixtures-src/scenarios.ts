// Composition scenarios, compiled by tsc once with standard decorators and once with legacy ones.
// Every class is made by a factory so that each test gets fresh policies. Decorators are written
// in an order other than SPEC §2's on purpose: the written order must not matter.
import { Bulkhead, Cached, CircuitBreaker, DeadLetter, Fallback, RateLimit, Retry, Timeout, Validated } from 'resil';

export class UserError extends Error {
  constructor(message: string, readonly attempt: number) {
    super(message);
    this.name = 'UserError';
  }
}

/** Fails the first `failures` calls, then answers `ok <n>`. */
class Script {
  calls = 0;
  constructor(readonly failures: number) {}
  step(): string {
    this.calls++;
    if (this.calls <= this.failures) throw new UserError(`boom ${this.calls}`, this.calls);
    return `ok ${this.calls}`;
  }
}

export function retryAroundBreaker(failures: number) {
  class RetryBreaker {
    readonly script = new Script(failures);
    @CircuitBreaker({ failureThreshold: 2, resetTimeoutMs: 1000 })
    @Retry({ maxAttempts: 3, baseDelayMs: 0 })
    async call(): Promise<string> {
      return this.script.step();
    }
  }
  return RetryBreaker;
}

export function cacheBeforeLimiter() {
  class CacheLimit {
    calls = 0;
    @RateLimit({ limit: 1, intervalMs: 1000 })
    @Cached({ ttlMs: 10_000 })
    async get(key: string): Promise<string> {
      this.calls++;
      return `value of ${key}`;
    }
  }
  return CacheLimit;
}

export function timeoutPerAttempt() {
  class Slow {
    calls = 0;
    @Timeout(100)
    @Retry({ maxAttempts: 2, baseDelayMs: 0 })
    async call(): Promise<string> {
      this.calls++;
      if (this.calls === 1) await new Promise(() => {});
      return `answered on attempt ${this.calls}`;
    }
  }
  return Slow;
}

export function fallbackOutsideRetry() {
  class Fallible {
    readonly script = new Script(99);
    @Retry({ maxAttempts: 3, baseDelayMs: 0 })
    @Fallback('backup')
    async call(id: string): Promise<string> {
      return this.script.step() + id;
    }
    backup(id: string, error: unknown): string {
      return `backup for ${id} after ${(error as Error).message}`;
    }
  }
  return Fallible;
}

export function deadLetterAfterRetries() {
  class Job {
    readonly script = new Script(99);
    @Retry({ maxAttempts: 3, baseDelayMs: 0 })
    @DeadLetter()
    async run(payload: { orderId: number }): Promise<string> {
      return this.script.step() + payload.orderId;
    }
  }
  return Job;
}

export function bulkheadInsideTimeout() {
  class Narrow {
    release: (() => void) | undefined;
    runs = 0;
    @Bulkhead({ maxConcurrent: 1, maxQueue: 5 })
    @Timeout(50)
    async call(): Promise<string> {
      this.runs++;
      await new Promise<void>((resolve) => (this.release = resolve));
      return 'done';
    }
  }
  return Narrow;
}

export function syncMethods() {
  class Calculator {
    calls = 0;
    @Fallback({ value: -1 })
    @Cached()
    @CircuitBreaker({ failureThreshold: 1 })
    square(x: number): number {
      this.calls++;
      if (x < 0) throw new RangeError('negative');
      return x * x;
    }
  }
  return Calculator;
}

export function signalled() {
  class Fetcher {
    seen: AbortSignal | undefined;
    @Retry({ maxAttempts: 1 })
    @Timeout(100)
    async fetch(id: string, signal?: AbortSignal): Promise<string> {
      this.seen = signal;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, 500);
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      });
      return id;
    }
  }
  return Fetcher;
}

export function validatedBeforeRetry() {
  class Checked {
    calls = 0;
    @Retry({ maxAttempts: 3, baseDelayMs: 0 })
    @Validated()
    async call(n: number, label: string): Promise<string> {
      this.calls++;
      return `${label}:${n}`;
    }
  }
  return Checked;
}

export const lookupKey: unique symbol = Symbol('lookup');

export function symbolKeyed() {
  const key = lookupKey;
  class Keyed {
    @Retry({ maxAttempts: 1 })
    async [key](): Promise<string> {
      return 'keyed';
    }
    @Retry({ maxAttempts: 1 })
    async plain(): Promise<string> {
      return 'plain';
    }
  }
  return { Keyed, key };
}
