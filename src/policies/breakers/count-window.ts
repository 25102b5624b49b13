import { rateReason, type Breaker, type BreakerSnapshot, type CallOutcome, type OpenReason, type RateThresholds } from './breaker.js';

const FAILED = 1;
const SLOW = 2;

/** Options of {@link CountWindowBreaker}. */
export interface CountWindowOptions extends RateThresholds {
  /** Outcomes kept: the last `windowSize` calls. */
  windowSize: number;
}

/**
 * Strategy `count-window`: the failure and slow-call rates of the last `windowSize` calls, kept in
 * a ring buffer with running totals so that each record is O(1). As in resilience4j, a
 * `minimumCalls` larger than the window is capped at `windowSize`, or the circuit could never open.
 */
export class CountWindowBreaker implements Breaker {
  /** One byte per call: bit 0 failed, bit 1 slow. */
  private readonly ring: Uint8Array;
  private next = 0;
  private calls = 0;
  private failures = 0;
  private slowCalls = 0;
  private readonly thresholds: RateThresholds;

  constructor(options: CountWindowOptions) {
    this.ring = new Uint8Array(options.windowSize);
    this.thresholds = { ...options, minimumCalls: Math.min(options.minimumCalls, options.windowSize) };
  }

  record(outcome: CallOutcome): OpenReason | undefined {
    if (this.calls === this.ring.length) this.forget(this.ring[this.next]!);
    else this.calls++;
    const bits = (outcome.failed ? FAILED : 0) | (outcome.slow ? SLOW : 0);
    this.ring[this.next] = bits;
    if (bits & FAILED) this.failures++;
    if (bits & SLOW) this.slowCalls++;
    this.next = (this.next + 1) % this.ring.length;
    return rateReason(this.snapshot(), this.thresholds);
  }

  reset(): void {
    this.ring.fill(0);
    this.next = 0;
    this.calls = 0;
    this.failures = 0;
    this.slowCalls = 0;
  }

  snapshot(): BreakerSnapshot {
    return { calls: this.calls, failures: this.failures, slowCalls: this.slowCalls };
  }

  private forget(bits: number): void {
    if (bits & FAILED) this.failures--;
    if (bits & SLOW) this.slowCalls--;
  }
}
