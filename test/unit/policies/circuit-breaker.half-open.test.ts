import { describe, expect, it, vi } from 'vitest';
import { BrokenCircuitError, ValidationError } from '../../../src/errors.js';
import { CircuitBreakerPolicy, type CircuitBreakerHandle } from '../../../src/policies/circuit-breaker.js';
import type { CircuitBreakerOptions } from '../../../src/options.js';
import { recordEvents } from '../../support/env.js';
import { breaker, env, fail, ID, newCall, ok, pending, useBreakerEnv } from './circuit-breaker.helpers.js';

useBreakerEnv();

describe('CircuitBreakerPolicy: half-open', () => {
  const halfOpen = (options: CircuitBreakerOptions = {}) => {
    const cb = breaker({ failureThreshold: 1, resetTimeoutMs: 100, ...options });
    fail(cb);
    vi.advanceTimersByTime(100);
    return cb;
  };

  it('moves to half-open lazily on the next call after resetTimeoutMs', () => {
    const cb = halfOpen();
    const events = recordEvents(env(), 'stateChange');
    pending(cb);
    expect(events).toEqual([['stateChange', { policy: ID, from: 'open', to: 'half-open', at: 100, reason: 'timeout-elapsed' }]]);
  });

  it('admits exactly halfOpenMaxCalls concurrent trials', () => {
    const cb = halfOpen({ halfOpenMaxCalls: 2 });
    const next = vi.fn(() => new Promise(() => {}));
    cb.execute(newCall(), next);
    cb.execute(newCall(), next);
    expect(() => cb.execute(newCall(), next)).toThrow(BrokenCircuitError);
    expect(next).toHaveBeenCalledTimes(2);
  });

  it('refuses extra calls with retryAfterMs 0 while trials are in flight', () => {
    const cb = halfOpen({ halfOpenMaxCalls: 1 });
    pending(cb);
    expect(fail(cb)).toMatchObject({ retryAfterMs: 0, isolated: false });
  });

  it('reports the trials in flight', () => {
    const cb = halfOpen({ halfOpenMaxCalls: 3 });
    pending(cb);
    ok(cb);
    expect(cb.state()).toEqual({ state: 'half-open', halfOpenInFlight: 1, halfOpenSucceeded: 1 });
  });

  it('reopens with a new openedAt when a trial fails', () => {
    const cb = halfOpen({ halfOpenMaxCalls: 2 });
    const events = recordEvents(env(), 'stateChange');
    fail(cb);
    expect(cb.state()).toMatchObject({ state: 'open', openedAt: 100, retryAfterMs: 100 });
    expect(events.at(-1)).toEqual(['stateChange', { policy: ID, from: 'half-open', to: 'open', at: 100, reason: 'trial-failed' }]);
  });

  it('reopens when a trial is slow', () => {
    const cb = halfOpen({ slowCallMs: 10 });
    ok(cb, 11);
    expect(cb.state().state).toBe('open');
  });

  it('stays half-open until every trial has succeeded', async () => {
    const cb = halfOpen({ halfOpenMaxCalls: 2 });
    const a = pending(cb);
    pending(cb);
    a.resolve(1);
    await a.done;
    expect(cb.state().state).toBe('half-open');
  });

  it('closes when halfOpenMaxCalls trials have succeeded', async () => {
    const cb = halfOpen({ halfOpenMaxCalls: 2 });
    const events = recordEvents(env(), 'stateChange');
    const a = pending(cb);
    const b = pending(cb);
    a.resolve(1);
    b.resolve(2);
    await Promise.all([a.done, b.done]);
    expect(cb.state().state).toBe('closed');
    expect(events.at(-1)).toEqual(['stateChange', expect.objectContaining({ from: 'half-open', to: 'closed', reason: 'trials-succeeded' })]);
  });

  it('admits trials one after another up to halfOpenMaxCalls', () => {
    const cb = halfOpen({ halfOpenMaxCalls: 2 });
    ok(cb);
    expect(cb.state().state).toBe('half-open');
    ok(cb);
    expect(cb.state().state).toBe('closed');
  });

  it('frees the slot of a trial that ends with an ignored error', () => {
    const cb = halfOpen({ halfOpenMaxCalls: 1 });
    fail(cb, new ValidationError('v', []));
    expect(cb.state()).toEqual({ state: 'half-open', halfOpenInFlight: 0, halfOpenSucceeded: 0 });
    ok(cb);
    expect(cb.state().state).toBe('closed');
  });
});

describe('CircuitBreakerPolicy: late results', () => {
  it('ignores a failure that arrives after the circuit opened', async () => {
    const cb = breaker({ failureThreshold: 1 });
    const slowCall = pending(cb);
    fail(cb);
    vi.advanceTimersByTime(50);
    slowCall.reject(new Error('late'));
    await slowCall.done;
    expect(cb.state()).toMatchObject({ state: 'open', openedAt: 0 });
    expect(cb.stats().opens).toBe(1);
  });

  it('still counts a late result in stats', async () => {
    const cb = breaker({ failureThreshold: 1 });
    const slowCall = pending(cb);
    fail(cb);
    slowCall.reject(new Error('late'));
    await slowCall.done;
    expect(cb.stats()).toMatchObject({ calls: 2, failures: 2 });
  });

  it('does not let a call started while closed reopen a half-open circuit', async () => {
    const cb = breaker({ failureThreshold: 1, resetTimeoutMs: 100, halfOpenMaxCalls: 1 });
    const slowCall = pending(cb);
    fail(cb);
    vi.advanceTimersByTime(100);
    const trial = pending(cb);
    slowCall.reject(new Error('late'));
    await slowCall.done;
    expect(cb.state()).toEqual({ state: 'half-open', halfOpenInFlight: 1, halfOpenSucceeded: 0 });
    trial.resolve('ok');
    await trial.done;
    expect(cb.state().state).toBe('closed');
  });

  it('does not count a late success from a closed call as a trial', async () => {
    const cb = breaker({ failureThreshold: 1, resetTimeoutMs: 100, halfOpenMaxCalls: 1 });
    const slowCall = pending(cb);
    fail(cb);
    vi.advanceTimersByTime(100);
    cb.state();
    slowCall.resolve('ok');
    await slowCall.done;
    expect(cb.state()).toEqual({ state: 'half-open', halfOpenInFlight: 0, halfOpenSucceeded: 0 });
  });

  it('does not let a late failure open a circuit that closed again', async () => {
    const cb = breaker({ failureThreshold: 1, resetTimeoutMs: 100, halfOpenMaxCalls: 1 });
    const slowCall = pending(cb);
    fail(cb);
    vi.advanceTimersByTime(100);
    ok(cb);
    slowCall.reject(new Error('late'));
    await slowCall.done;
    expect(cb.state().state).toBe('closed');
  });

  it('does not let a trial of an earlier half-open take part in a later one', async () => {
    const cb = breaker({ failureThreshold: 1, resetTimeoutMs: 100, halfOpenMaxCalls: 2 });
    fail(cb);
    vi.advanceTimersByTime(100);
    const oldTrial = pending(cb);
    fail(cb);
    vi.advanceTimersByTime(100);
    ok(cb);
    oldTrial.reject(new Error('late'));
    await oldTrial.done;
    expect(cb.state()).toEqual({ state: 'half-open', halfOpenInFlight: 0, halfOpenSucceeded: 1 });
  });
});
