/**
 * When to open: the failure accounting of a circuit breaker, kept apart from its state machine
 * (STYLE.md practice 2). The policy tells a {@link Breaker} about every counted outcome while the
 * circuit is closed; the breaker answers whether the circuit should open, and why.
 */

/** Why a {@link Breaker} wants the circuit open. */
export type OpenReason = 'failures' | 'failure-rate' | 'slow-call-rate';

/** One counted call. Ignored errors never reach a breaker. */
export interface CallOutcome {
  /** The call threw an error that counts as a failure. */
  failed: boolean;
  /** The call took longer than `slowCallMs` (always false when `slowCallMs` is not set). */
  slow: boolean;
}

/**
 * What a breaker currently holds: the window's contents for the windowed strategies, the current
 * streak for `consecutive`.
 */
export interface BreakerSnapshot {
  calls: number;
  failures: number;
  slowCalls: number;
}

/** A when-to-open strategy; one instance per circuit breaker. */
export interface Breaker {
  /** Records one outcome at clock time `now` (ms); returns a reason when the circuit should open. */
  record(outcome: CallOutcome, now: number): OpenReason | undefined;
  /** Forgets everything; called whenever the circuit closes. */
  reset(): void;
  /** The counts as of clock time `now` (ms). */
  snapshot(now: number): BreakerSnapshot;
}

/** Rate thresholds shared by the windowed strategies, in percent (0 < x <= 100). */
export interface RateThresholds {
  /** Calls the window must hold before its rates count. */
  minimumCalls: number;
  failureRateThreshold: number;
  slowCallRateThreshold: number;
}

/**
 * Compares a window's rates with the thresholds. Multiplies instead of dividing so that, e.g.,
 * 1 failure of 3 calls meets a 33.33 % threshold without rounding surprises.
 */
export function rateReason(window: BreakerSnapshot, t: RateThresholds): OpenReason | undefined {
  if (window.calls === 0 || window.calls < t.minimumCalls) return undefined;
  if (window.failures * 100 >= t.failureRateThreshold * window.calls) return 'failure-rate';
  if (window.slowCalls * 100 >= t.slowCallRateThreshold * window.calls) return 'slow-call-rate';
  return undefined;
}
