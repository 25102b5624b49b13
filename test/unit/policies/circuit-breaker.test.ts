import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveOptions } from '../../../src/config/validate-options.js';
import {
  BrokenCircuitError,
  BulkheadFullError,
  RateLimitedError,
  ValidationError,
  isBrokenCircuitError,
} from '../../../src/errors.js';
import type { CircuitBreakerOptions } from '../../../src/options.js';
import { CircuitBreakerPolicy, type CircuitBreakerHandle } from '../../../src/policies/circuit-breaker.js';
import type { Call } from '../../../src/policies/policy.js';
import type { Runtime } from '../../../src/runtime.js';
import { methodInfo, recordEvents, testEnv } from '../../support/env.js';

const ID = 'Svc.call#circuitBreaker';
let env: Runtime;

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
  env = testEnv();
});

function breaker(options: CircuitBreakerOptions = {}): CircuitBreakerPolicy {
  return new CircuitBreakerPolicy(ID, methodInfo(), resolveOptions('circuitBreaker', options, 'Svc.call'), env);
}

const newCall = (): Call => ({ self: undefined, args: [], signal: undefined, attempts: 1, firstFailedAt: undefined, fromFallback: false, scope: undefined });

/** A sync call that returns 'ok', optionally taking `ms` of fake time. */
const ok = (cb: CircuitBreakerPolicy, ms = 0): unknown =>
  cb.execute(newCall(), () => {
    vi.advanceTimersByTime(ms);
    return 'ok';
  });

/** A sync call that throws `error`; returns what was thrown. */
function fail(cb: CircuitBreakerPolicy, error: unknown = new Error('boom'), ms = 0): unknown {
  try {
    cb.execute(newCall(), () => {
      vi.advanceTimersByTime(ms);
      throw error;
    });
  } catch (thrown) {
    return thrown;
  }
  throw new Error('expected the call to throw');
}

/** An async call left pending; settle it with `resolve`/`reject`, then await `done`. */
function pending(cb: CircuitBreakerPolicy) {
  let resolve!: (value: unknown) => void;
  let reject!: (error: unknown) => void;
  const inner = new Promise<unknown>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const result = cb.execute(newCall(), () => inner) as Promise<unknown>;
  const done = result.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  return { resolve, reject, done, result };
}

const openIt = (cb: CircuitBreakerPolicy, n = cb.options.failureThreshold) => {
  for (let i = 0; i < n; i++) fail(cb);
};

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
    const events = recordEvents(env, 'stateChange');
    ok(cb);
    for (let i = 0; i < 3; i++) fail(cb);
    expect(events).toEqual([['stateChange', expect.objectContaining({ to: 'open', reason: 'failure-rate' })]]);
  });

  it('opens a count window on the slow-call rate', () => {
    const cb = breaker({ strategy: 'count-window', minimumCalls: 2, slowCallMs: 10, slowCallRateThreshold: 50 });
    const events = recordEvents(env, 'stateChange');
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

describe('CircuitBreakerPolicy: half-open', () => {
  const halfOpen = (options: CircuitBreakerOptions = {}) => {
    const cb = breaker({ failureThreshold: 1, resetTimeoutMs: 100, ...options });
    fail(cb);
    vi.advanceTimersByTime(100);
    return cb;
  };

  it('moves to half-open lazily on the next call after resetTimeoutMs', () => {
    const cb = halfOpen();
    const events = recordEvents(env, 'stateChange');
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
    const events = recordEvents(env, 'stateChange');
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
    const events = recordEvents(env, 'stateChange');
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
    const events = recordEvents(env, 'stateChange');
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
    const events = recordEvents(env, 'stateChange');
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
    const events = recordEvents(env, 'stateChange');
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
    const events = recordEvents(env, 'stateChange');
    vi.advanceTimersByTime(7);
    fail(cb);
    expect(events).toEqual([['stateChange', { policy: ID, from: 'closed', to: 'open', at: 7, reason: 'failures' }]]);
  });

  it('emits a rejection event for each refused call', () => {
    const cb = breaker({ failureThreshold: 1, resetTimeoutMs: 100 });
    fail(cb);
    const events = recordEvents(env, 'rejection');
    vi.advanceTimersByTime(40);
    fail(cb);
    expect(events).toEqual([['rejection', { policy: ID, kind: 'circuitBreaker', code: 'CIRCUIT_OPEN', retryAfterMs: 60 }]]);
  });

  it('builds no event when nobody listens', () => {
    const cb = breaker({ failureThreshold: 1 });
    const emit = vi.spyOn(env.events, 'emit');
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
