// @ts-nocheck: a must-fail fixture of test/transformer/diagnostics.test.ts; its mistake is deliberate.
// expect RSL1012 at 8:54
import { BrokenCircuitError, CircuitBreaker, Retry } from 'resil';

class TransientError extends Error {}

export class Shop {
  @Retry({ maxAttempts: 3, retryOn: [TransientError, BrokenCircuitError] })
  @CircuitBreaker({ failureThreshold: 5 })
  async charge(): Promise<number> {
    return 1;
  }
}
