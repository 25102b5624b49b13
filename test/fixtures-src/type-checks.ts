// Compile-time checks, compiled in both decorator modes by the test setup: every
// `@ts-expect-error` below must meet an error, or the setup (and so every test) fails.
import { Bulkhead, Cached, CircuitBreaker, DeadLetter, Fallback, RateLimit, Retry, Timeout, Validated } from 'resil';

export function typeChecks() {
  class Misuse {
    // @ts-expect-error waiting policies need a method that returns a promise
    @Retry()
    add(a: number): number {
      return a;
    }

    // @ts-expect-error waiting policies need a method that returns a promise
    @Timeout(10)
    sub(a: number): number {
      return a;
    }

    // @ts-expect-error waiting policies need a method that returns a promise
    @Bulkhead()
    mul(a: number): number {
      return a;
    }

    // @ts-expect-error waiting policies need a method that returns a promise
    @DeadLetter()
    div(a: number): number {
      return a;
    }

    // @ts-expect-error unknown option
    @Retry({ maxAttempt: 3 })
    async typo(): Promise<void> {}

    // @ts-expect-error limit is required
    @RateLimit({})
    async nolimit(): Promise<void> {}

    // Sync-capable policies type-check on sync methods.
    @Validated()
    @Cached()
    @CircuitBreaker()
    @RateLimit({ limit: 1 })
    @Fallback({ value: 0 })
    ok(a: number): number {
      return a;
    }
  }
  return Misuse;
}
