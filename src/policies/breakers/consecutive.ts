import type { Breaker, BreakerSnapshot, CallOutcome, OpenReason } from './breaker.js';

/**
 * Strategy `consecutive`: opens after `failureThreshold` bad calls in a row. A bad call is a
 * failure or, when `slowCallMs` is set, a slow call (a slow failure counts once). Only a fast
 * success ends the streak.
 */
export class ConsecutiveBreaker implements Breaker {
  private streak = 0;
  private failures = 0;
  private slowCalls = 0;

  /** @param failureThreshold bad calls in a row that open the circuit (>= 1) */
  constructor(private readonly failureThreshold: number) {}

  record(outcome: CallOutcome): OpenReason | undefined {
    if (!outcome.failed && !outcome.slow) {
      this.reset();
      return undefined;
    }
    this.streak++;
    if (outcome.failed) this.failures++;
    if (outcome.slow) this.slowCalls++;
    return this.streak >= this.failureThreshold ? 'failures' : undefined;
  }

  reset(): void {
    this.streak = 0;
    this.failures = 0;
    this.slowCalls = 0;
  }

  snapshot(): BreakerSnapshot {
    return { calls: this.streak, failures: this.failures, slowCalls: this.slowCalls };
  }
}
