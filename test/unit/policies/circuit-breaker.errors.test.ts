import { describe, expect, it, vi } from 'vitest';
import { BulkheadFullError, RateLimitedError, ValidationError } from '../../../src/errors.js';
import type { CircuitBreakerHandle } from '../../../src/policies/circuit-breaker.js';
import { recordEvents } from '../../support/env.js';
import { breaker, env, fail, ID, newCall, ok, pending, useBreakerEnv } from './circuit-breaker.helpers.js';

useBreakerEnv();

describe('CircuitBreakerPolicy: which errors count', () => {
  it.each([
    ['ValidationError', new ValidationError('v', [])],
    ['RateLimitedError', new RateLimitedError('r', 10)],
    ['BulkheadFullError', new BulkheadFullError('b')],
  ])('does not count a %s by default', (_name, error) => {
    const cb = breaker({ failureThreshold: 1 });
    fail(cb, error);
    expect(cb.state().state).toBe('closed');
    expect(cb.stats()).toMatchObject({ failures: 0, successes: 0, ignored: 1 });
  });

  it('passes the user error through unchanged', () => {
    const error = new TypeError('mine');
    expect(fail(breaker(), error)).toBe(error);
  });

  it('counts only errors matching recordOn', () => {
    class Network extends Error {}
    const cb = breaker({ failureThreshold: 1, recordOn: [Network] });
    fail(cb, new Error('other'));
    expect(cb.state().state).toBe('closed');
    fail(cb, new Network());
    expect(cb.state().state).toBe('open');
  });

  it('counts an error that recordOn does not match as a success', () => {
    class Network extends Error {}
    const cb = breaker({ failureThreshold: 2, recordOn: (e) => e instanceof Network });
    fail(cb, new Network());
    fail(cb, new Error('not found'));
    fail(cb, new Network());
    expect(cb.state().state).toBe('closed');
    expect(cb.stats()).toMatchObject({ failures: 2, successes: 1 });
  });

  it('counts a resil refusal that recordOn names explicitly', () => {
    const cb = breaker({ failureThreshold: 1, recordOn: [RateLimitedError] });
    fail(cb, new RateLimitedError('r', 10));
    expect(cb.state().state).toBe('open');
  });

  it('counts ignoreOn errors as neither success nor failure', () => {
    class Cancelled extends Error {}
    const cb = breaker({ failureThreshold: 2, ignoreOn: Cancelled });
    fail(cb);
    fail(cb, new Cancelled());
    expect(cb.state().window).toEqual({ calls: 1, failures: 1, slowCalls: 0 });
    fail(cb);
    expect(cb.state().state).toBe('open');
  });

  it('lets ignoreOn win over recordOn', () => {
    const cb = breaker({ failureThreshold: 1, recordOn: () => true, ignoreOn: () => true });
    fail(cb);
    expect(cb.stats()).toMatchObject({ failures: 0, ignored: 1 });
  });

  it('counts a resolved value as a success whatever it is', async () => {
    const cb = breaker({ failureThreshold: 1 });
    await cb.execute(newCall(), () => Promise.resolve(new Error('a value, not a throw')));
    expect(cb.stats()).toMatchObject({ successes: 1, failures: 0 });
  });
});

describe('CircuitBreakerPolicy: sync and async shapes', () => {
  it('returns a sync result synchronously', () => {
    expect(ok(breaker())).toBe('ok');
  });

  it('records a sync failure before rethrowing it', () => {
    const cb = breaker({ failureThreshold: 1 });
    fail(cb);
    expect(cb.state().state).toBe('open');
  });

  it('returns a promise of the same value for an async method', async () => {
    const result = breaker().execute(newCall(), () => Promise.resolve(42));
    expect(result).toBeInstanceOf(Promise);
    await expect(result).resolves.toBe(42);
  });

  it('rejects with the same error for an async method', async () => {
    const error = new Error('async');
    await expect(breaker().execute(newCall(), () => Promise.reject(error))).rejects.toBe(error);
  });

  it('records an async outcome only when it settles', async () => {
    const cb = breaker({ failureThreshold: 1 });
    const call = pending(cb);
    expect(cb.state().state).toBe('closed');
    call.reject(new Error('x'));
    await call.done;
    expect(cb.state().state).toBe('open');
  });

  it('accepts any thenable', async () => {
    const thenable = { then: (resolve: (v: string) => void) => resolve('t') };
    await expect(breaker().execute(newCall(), () => thenable)).resolves.toBe('t');
  });

  it('measures an async call from start to settle for slowCallMs', async () => {
    const cb = breaker({ slowCallMs: 50 });
    const call = pending(cb);
    vi.advanceTimersByTime(51);
    call.resolve('ok');
    await call.done;
    expect(cb.stats().slowCalls).toBe(1);
  });
});

describe('CircuitBreakerPolicy: reset and isolate', () => {
  it('closes an open circuit on reset()', () => {
    const cb = breaker({ failureThreshold: 1 });
    fail(cb);
    cb.reset();
    expect(ok(cb)).toBe('ok');
  });

  it('forgets the counts of a closed circuit on reset() without an event', () => {
    const cb = breaker({ failureThreshold: 2 });
    const events = recordEvents(env(), 'stateChange');
    fail(cb);
    cb.reset();
    fail(cb);
    expect(cb.state().state).toBe('closed');
    expect(events).toEqual([]);
  });

  it('refuses every call while isolated', () => {
    const cb = breaker();
    cb.isolate();
    expect(fail(cb)).toMatchObject({ code: 'CIRCUIT_OPEN', isolated: true, retryAfterMs: Number.POSITIVE_INFINITY });
  });

  it('reports an isolated circuit as open and isolated', () => {
    const cb = breaker();
    vi.advanceTimersByTime(5);
    cb.isolate();
    expect(cb.state()).toEqual({ state: 'open', isolated: true, openedAt: 5 });
  });

  it('stays isolated past resetTimeoutMs', () => {
    const cb = breaker({ resetTimeoutMs: 10 });
    cb.isolate();
    vi.advanceTimersByTime(1_000);
    expect(cb.state()).toMatchObject({ state: 'open', isolated: true });
  });

  it('closes an isolated circuit on reset()', () => {
    const cb = breaker();
    cb.isolate();
    cb.reset();
    expect(cb.state().state).toBe('closed');
  });

  it('ignores results of calls that were in flight when isolated', async () => {
    const cb = breaker({ failureThreshold: 1 });
    const call = pending(cb);
    cb.isolate();
    cb.reset();
    call.reject(new Error('late'));
    await call.done;
    expect(cb.state().state).toBe('closed');
  });

  it('emits stateChange on isolate() and reset()', () => {
    const cb = breaker();
    const events = recordEvents(env(), 'stateChange');
    cb.isolate();
    cb.reset();
    expect(events).toEqual([
      ['stateChange', { policy: ID, from: 'closed', to: 'open', at: 0, reason: 'isolate' }],
      ['stateChange', { policy: ID, from: 'open', to: 'closed', at: 0, reason: 'reset' }],
    ]);
  });

  it('emits open → open when an open circuit is isolated', () => {
    const cb = breaker({ failureThreshold: 1 });
    fail(cb);
    const events = recordEvents(env(), 'stateChange');
    cb.isolate();
    expect(events).toEqual([['stateChange', expect.objectContaining({ from: 'open', to: 'open', reason: 'isolate' })]]);
  });

  it('satisfies the CircuitBreakerHandle type', () => {
    const handle: CircuitBreakerHandle = breaker();
    expect(typeof handle.reset).toBe('function');
  });
});

describe('CircuitBreakerPolicy: events and stats', () => {
  it('emits closed → open with reason failures', () => {
    const cb = breaker({ failureThreshold: 1 });
    const events = recordEvents(env(), 'stateChange');
    vi.advanceTimersByTime(7);
    fail(cb);
    expect(events).toEqual([['stateChange', { policy: ID, from: 'closed', to: 'open', at: 7, reason: 'failures' }]]);
  });

  it('emits a rejection event for each refused call', () => {
    const cb = breaker({ failureThreshold: 1, resetTimeoutMs: 100 });
    fail(cb);
    const events = recordEvents(env(), 'rejection');
    vi.advanceTimersByTime(40);
    fail(cb);
    expect(events).toEqual([['rejection', { policy: ID, kind: 'circuitBreaker', code: 'CIRCUIT_OPEN', retryAfterMs: 60 }]]);
  });

  it('builds no event when nobody listens', () => {
    const cb = breaker({ failureThreshold: 1 });
    const emit = vi.spyOn(env().events, 'emit');
    fail(cb);
    fail(cb);
    expect(emit).not.toHaveBeenCalled();
  });

  it('counts calls, successes, failures, rejections, slow calls and opens', () => {
    const cb = breaker({ failureThreshold: 2, slowCallMs: 10 });
    ok(cb, 20);
    fail(cb);
    fail(cb);
    expect(cb.stats()).toEqual({ calls: 3, successes: 1, failures: 1, rejections: 1, slowCalls: 1, ignored: 0, opens: 1 });
  });

  it('returns a copy of the counters', () => {
    const cb = breaker();
    const before = cb.stats();
    ok(cb);
    expect(before.calls).toBe(0);
  });
});
