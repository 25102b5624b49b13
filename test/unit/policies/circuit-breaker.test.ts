import { describe, expect, it, vi } from 'vitest';
import { BrokenCircuitError, isBrokenCircuitError } from '../../../src/errors.js';
import { CircuitBreakerPolicy, type CircuitBreakerHandle } from '../../../src/policies/circuit-breaker.js';
import { methodInfo, recordEvents } from '../../support/env.js';
import { breaker, env, fail, ID, newCall, ok, openIt, pending, useBreakerEnv } from './circuit-breaker.helpers.js';

useBreakerEnv();

describe('CircuitBreakerPolicy: identity and defaults', () => {
  it('starts closed', () => {
    expect(breaker().state()).toEqual({ state: 'closed', window: { calls: 0, failures: 0, slowCalls: 0 } });
  });

  it('exposes id, kind, methods and the resolved options', () => {
    const cb = breaker({ failureThreshold: 2 });
    expect([cb.id, cb.kind, cb.methods]).toEqual([ID, 'circuitBreaker', ['Svc.call']]);
    expect(cb.options).toMatchObject({ strategy: 'consecutive', failureThreshold: 2, resetTimeoutMs: 30_000, critical: false });
  });

  it('adds each attached method once (a breaker shared by name)', () => {
    const cb = breaker({ name: 'payments' });
    cb.attach(methodInfo({ id: 'Other.call' }));
    cb.attach(methodInfo({ id: 'Other.call' }));
    expect(cb.methods).toEqual(['Svc.call', 'Other.call']);
  });

  it('opens after 5 consecutive failures by default', () => {
    const cb = breaker();
    openIt(cb, 4);
    expect(cb.state().state).toBe('closed');
    fail(cb);
    expect(cb.state().state).toBe('open');
  });

  it('waits 30000 ms by default before half-open', () => {
    const cb = breaker();
    openIt(cb);
    vi.advanceTimersByTime(29_999);
    expect(cb.state().state).toBe('open');
    vi.advanceTimersByTime(1);
    expect(cb.state().state).toBe('half-open');
  });

  it('admits 3 trial calls by default', () => {
    const cb = breaker();
    openIt(cb);
    vi.advanceTimersByTime(30_000);
    for (let i = 0; i < 3; i++) pending(cb);
    expect(isBrokenCircuitError(fail(cb))).toBe(true);
  });

  it('needs 10 calls by default before a window opens', () => {
    const cb = breaker({ strategy: 'count-window' });
    openIt(cb, 9);
    expect(cb.state().state).toBe('closed');
    fail(cb);
    expect(cb.state().state).toBe('open');
  });

  it('opens a window at a 50 % failure rate by default', () => {
    const cb = breaker({ strategy: 'count-window' });
    for (let i = 0; i < 5; i++) ok(cb);
    openIt(cb, 5);
    expect(cb.state().state).toBe('open');
  });

  it('stays closed below a 50 % failure rate by default', () => {
    const cb = breaker({ strategy: 'count-window' });
    for (let i = 0; i < 6; i++) ok(cb);
    openIt(cb, 4);
    expect(cb.state().state).toBe('closed');
  });

  it('keeps 100 calls in a count window by default', () => {
    const cb = breaker({ strategy: 'count-window', failureRateThreshold: 100, minimumCalls: 100 });
    ok(cb);
    openIt(cb, 99);
    expect(cb.state().state).toBe('closed');
    fail(cb);
    expect(cb.state().state).toBe('open');
  });

  it('keeps 60000 ms in a time window by default', () => {
    const cb = breaker({ strategy: 'time-window' });
    fail(cb);
    vi.advanceTimersByTime(59_000);
    expect(cb.state().window?.calls).toBe(1);
    vi.advanceTimersByTime(1_000);
    expect(cb.state().window?.calls).toBe(0);
  });

  it('counts no call as slow without slowCallMs', () => {
    const cb = breaker();
    ok(cb, 1_000_000);
    expect(cb.stats().slowCalls).toBe(0);
  });

  it('needs a 100 % slow-call rate by default', () => {
    const cb = breaker({ strategy: 'count-window', windowSize: 2, minimumCalls: 2, slowCallMs: 10 });
    ok(cb, 11);
    ok(cb);
    expect(cb.state().state).toBe('closed');
    ok(cb, 11);
    ok(cb, 11);
    expect(cb.state().state).toBe('open');
  });
});

describe('CircuitBreakerPolicy: consecutive strategy', () => {
  it('opens after failureThreshold failures in a row', () => {
    const cb = breaker({ failureThreshold: 2 });
    openIt(cb, 2);
    expect(cb.state()).toMatchObject({ state: 'open', openedAt: 0 });
  });

  it('restarts the count after a success', () => {
    const cb = breaker({ failureThreshold: 2 });
    fail(cb);
    ok(cb);
    fail(cb);
    expect(cb.state().state).toBe('closed');
  });

  it('counts a slow success toward the streak when slowCallMs is set', () => {
    const cb = breaker({ failureThreshold: 2, slowCallMs: 100 });
    fail(cb);
    ok(cb, 101);
    expect(cb.state().state).toBe('open');
  });

  it('does not count a call of exactly slowCallMs as slow', () => {
    const cb = breaker({ failureThreshold: 2, slowCallMs: 100 });
    fail(cb);
    ok(cb, 100);
    expect(cb.state().state).toBe('closed');
  });
});

describe('CircuitBreakerPolicy: windowed strategies', () => {
  it('opens a count window on the failure rate once minimumCalls are in', () => {
    const cb = breaker({ strategy: 'count-window', windowSize: 4, minimumCalls: 4, failureRateThreshold: 75 });
    const events = recordEvents(env(), 'stateChange');
    ok(cb);
    for (let i = 0; i < 3; i++) fail(cb);
    expect(events).toEqual([['stateChange', expect.objectContaining({ to: 'open', reason: 'failure-rate' })]]);
  });

  it('opens a count window on the slow-call rate', () => {
    const cb = breaker({ strategy: 'count-window', minimumCalls: 2, slowCallMs: 10, slowCallRateThreshold: 50 });
    const events = recordEvents(env(), 'stateChange');
    ok(cb);
    ok(cb, 20);
    expect(events).toEqual([['stateChange', expect.objectContaining({ reason: 'slow-call-rate' })]]);
  });

  it('opens a time window on the failure rate of the calls in the window', () => {
    const cb = breaker({ strategy: 'time-window', windowSize: 1_000, minimumCalls: 2 });
    fail(cb);
    vi.advanceTimersByTime(500);
    fail(cb);
    expect(cb.state().state).toBe('open');
  });

  it('forgets failures that left the time window', () => {
    const cb = breaker({ strategy: 'time-window', windowSize: 1_000, minimumCalls: 2 });
    fail(cb);
    vi.advanceTimersByTime(1_000);
    fail(cb);
    expect(cb.state()).toMatchObject({ state: 'closed', window: { calls: 1, failures: 1 } });
  });

  it('starts a fresh window after closing again', () => {
    const cb = breaker({ strategy: 'count-window', minimumCalls: 2, halfOpenMaxCalls: 1, resetTimeoutMs: 10 });
    openIt(cb, 2);
    vi.advanceTimersByTime(10);
    ok(cb);
    expect(cb.state()).toEqual({ state: 'closed', window: { calls: 0, failures: 0, slowCalls: 0 } });
  });
});

describe('CircuitBreakerPolicy: open', () => {
  it('fails fast without calling the method', () => {
    const cb = breaker({ failureThreshold: 1 });
    fail(cb);
    const next = vi.fn();
    expect(() => cb.execute(newCall(), next)).toThrow(BrokenCircuitError);
    expect(next).not.toHaveBeenCalled();
  });

  it('tells how long until a trial is admitted', () => {
    const cb = breaker({ failureThreshold: 1, resetTimeoutMs: 1_000 });
    fail(cb);
    vi.advanceTimersByTime(300);
    expect(fail(cb)).toMatchObject({ code: 'CIRCUIT_OPEN', policy: ID, retryAfterMs: 700, isolated: false });
  });

  it('reports openedAt and retryAfterMs in state()', () => {
    const cb = breaker({ failureThreshold: 1, resetTimeoutMs: 1_000 });
    vi.advanceTimersByTime(50);
    fail(cb);
    vi.advanceTimersByTime(200);
    expect(cb.state()).toEqual({ state: 'open', openedAt: 50, retryAfterMs: 800 });
  });

  it('refuses an async call by throwing synchronously', () => {
    const cb = breaker({ failureThreshold: 1 });
    fail(cb);
    expect(() => cb.execute(newCall(), () => Promise.resolve('ok'))).toThrow(BrokenCircuitError);
  });
});
