import type { Backoff, Jitter } from '../options.js';

/** What a backoff needs to compute a delay. */
export interface BackoffParams {
  backoff: Backoff;
  baseDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
  jitter: Jitter;
}

/**
 * The delay before retry number `retry` (1 = the delay after the first failed attempt), before
 * jitter, capped at `maxDelayMs`. Pure.
 */
export function baseDelay(p: BackoffParams, retry: number): number {
  let d: number;
  switch (p.backoff) {
    case 'exponential':
      d = p.baseDelayMs * Math.pow(p.multiplier, retry - 1);
      break;
    case 'linear':
      d = p.baseDelayMs * retry;
      break;
    case 'fixed':
    case 'decorrelated':
      d = p.baseDelayMs;
      break;
    case 'fibonacci':
      d = p.baseDelayMs * fibonacci(retry);
      break;
  }
  return Math.min(d, p.maxDelayMs);
}

/** 1, 1, 2, 3, 5, … */
function fibonacci(n: number): number {
  let a = 1;
  let b = 1;
  for (let i = 2; i < n; i++) [a, b] = [b, a + b];
  return n <= 2 ? 1 : b;
}

/** Applies jitter to a delay: `full` draws from [0, d], `equal` from [d/2, d], `none` keeps d. */
export function applyJitter(jitter: Jitter, delayMs: number, random: () => number): number {
  switch (jitter) {
    case 'full':
      return random() * delayMs;
    case 'equal':
      return delayMs / 2 + (random() * delayMs) / 2;
    case 'none':
      return delayMs;
  }
}

/**
 * The delay before retry number `retry`, jitter applied. `previousMs` is the delay used before the
 * previous retry (0 for the first), which decorrelated backoff grows from: it draws from
 * [base, previous × 3] capped at `maxDelayMs` (AWS's "decorrelated jitter"), so `jitter` does not
 * apply to it: the draw is its own randomisation.
 */
export function nextDelay(p: BackoffParams, retry: number, previousMs: number, random: () => number): number {
  if (p.backoff === 'decorrelated') {
    const upper = Math.max(p.baseDelayMs, (previousMs || p.baseDelayMs) * 3);
    return Math.min(p.maxDelayMs, p.baseDelayMs + random() * (upper - p.baseDelayMs));
  }
  return applyJitter(p.jitter, baseDelay(p, retry), random);
}
