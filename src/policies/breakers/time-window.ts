import { rateReason, type Breaker, type BreakerSnapshot, type CallOutcome, type OpenReason, type RateThresholds } from './breaker.js';

/** Buckets a time window is split into. More buckets follow the window's edge more closely. */
export const TIME_WINDOW_BUCKETS = 10;

/** Options of {@link TimeWindowBreaker}. */
export interface TimeWindowOptions extends RateThresholds {
  /** Length of the window, ms. */
  windowMs: number;
}

/**
 * Strategy `time-window`: the failure and slow-call rates of the calls recorded in the last
 * `windowMs`, kept in {@link TIME_WINDOW_BUCKETS} buckets of `windowMs / 10` ms each. Buckets are
 * aligned to multiples of their width and evicted lazily from the clock time given to each method,
 * so no timer runs; a call therefore stays counted for between 0.9 and 1 window lengths.
 */
export class TimeWindowBreaker implements Breaker {
  private readonly width: number;
  /** Bucket index (`floor(now / width)`) each slot holds, or NaN when empty. */
  private readonly epochs = new Float64Array(TIME_WINDOW_BUCKETS).fill(Number.NaN);
  private readonly calls = new Uint32Array(TIME_WINDOW_BUCKETS);
  private readonly failures = new Uint32Array(TIME_WINDOW_BUCKETS);
  private readonly slowCalls = new Uint32Array(TIME_WINDOW_BUCKETS);
  private readonly thresholds: RateThresholds;

  constructor(options: TimeWindowOptions) {
    this.width = options.windowMs / TIME_WINDOW_BUCKETS;
    this.thresholds = options;
  }

  record(outcome: CallOutcome, now: number): OpenReason | undefined {
    const epoch = Math.floor(now / this.width);
    this.evict(epoch);
    const slot = this.slotOf(epoch);
    if (this.epochs[slot] !== epoch) this.clear(slot, epoch);
    this.calls[slot]!++;
    if (outcome.failed) this.failures[slot]!++;
    if (outcome.slow) this.slowCalls[slot]!++;
    return rateReason(this.sum(), this.thresholds);
  }

  reset(): void {
    for (let slot = 0; slot < TIME_WINDOW_BUCKETS; slot++) this.clear(slot, Number.NaN);
  }

  snapshot(now: number): BreakerSnapshot {
    this.evict(Math.floor(now / this.width));
    return this.sum();
  }

  /** Empties buckets that left the window, and any from the future (a clock set back). */
  private evict(epoch: number): void {
    for (let slot = 0; slot < TIME_WINDOW_BUCKETS; slot++) {
      const held = this.epochs[slot]!;
      if (held <= epoch - TIME_WINDOW_BUCKETS || held > epoch) this.clear(slot, Number.NaN);
    }
  }

  private sum(): BreakerSnapshot {
    const total: BreakerSnapshot = { calls: 0, failures: 0, slowCalls: 0 };
    for (let slot = 0; slot < TIME_WINDOW_BUCKETS; slot++) {
      total.calls += this.calls[slot]!;
      total.failures += this.failures[slot]!;
      total.slowCalls += this.slowCalls[slot]!;
    }
    return total;
  }

  private slotOf(epoch: number): number {
    // `%` keeps the sign of a negative epoch (clock before 1970 in a test); fold it back.
    return ((epoch % TIME_WINDOW_BUCKETS) + TIME_WINDOW_BUCKETS) % TIME_WINDOW_BUCKETS;
  }

  private clear(slot: number, epoch: number): void {
    this.epochs[slot] = epoch;
    this.calls[slot] = 0;
    this.failures[slot] = 0;
    this.slowCalls[slot] = 0;
  }
}
