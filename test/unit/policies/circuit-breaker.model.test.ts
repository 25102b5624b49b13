import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/clock.js';
import { resolveOptions, type ResolvedCircuitBreakerOptions } from '../../../src/config/validate-options.js';
import { ValidationError, isBrokenCircuitError } from '../../../src/errors.js';
import { EventHub, type StateChangeEvent } from '../../../src/events.js';
import type { CircuitBreakerOptions } from '../../../src/options.js';
import { CircuitBreakerPolicy, type CircuitBreakerState, type CircuitBreakerStats } from '../../../src/policies/circuit-breaker.js';
import type { Call } from '../../../src/policies/policy.js';
import { Lifecycle } from '../../../src/lifecycle.js';
import type { Runtime } from '../../../src/runtime.js';
import { methodInfo } from '../../support/env.js';

/*
 * Model-based test: the real breaker and a deliberately naive reference machine run the same random
 * command sequences; after every command their states, counters and transitions must agree.
 */

type Outcome = 'success' | 'failure' | 'ignored';
type Cmd =
  | { t: 'start' }
  | { t: 'sync'; outcome: Outcome; ms: number }
  | { t: 'settle'; pick: number; outcome: Outcome }
  | { t: 'advance'; ms: number }
  | { t: 'reset' }
  | { t: 'isolate' };

type Transition = Pick<StateChangeEvent, 'from' | 'to' | 'reason' | 'at'>;
interface Recorded { t: number; failed: boolean; slow: boolean }

/** Every transition the state machine may make, as `from>to:reason`. */
const LEGAL = new Set([
  'closed>open:failures',
  'closed>open:failure-rate',
  'closed>open:slow-call-rate',
  'closed>open:isolate',
  'open>half-open:timeout-elapsed',
  'open>open:isolate',
  'open>closed:reset',
  'half-open>open:trial-failed',
  'half-open>open:isolate',
  'half-open>closed:trials-succeeded',
  'half-open>closed:reset',
]);

/** The reference: plain fields, counting recomputed from the full history on every call. */
class Model {
  kind: 'closed' | 'open' | 'half-open' | 'isolated' = 'closed';
  gen = 0;
  openedAt = 0;
  admitted = 0;
  succeeded = 0;
  history: Recorded[] = [];
  readonly transitions: Transition[] = [];
  readonly stats: CircuitBreakerStats = { calls: 0, successes: 0, failures: 0, rejections: 0, slowCalls: 0, ignored: 0, opens: 0 };

  constructor(private readonly o: ResolvedCircuitBreakerOptions) {}

  go(kind: Model['kind'], now: number, reason: string): void {
    const shown = (k: Model['kind']) => (k === 'isolated' ? 'open' : k);
    if (kind !== this.kind) this.transitions.push({ from: shown(this.kind), to: shown(kind), reason, at: now });
    this.kind = kind;
    this.gen++;
    if (kind === 'open') [this.openedAt, this.stats.opens] = [now, this.stats.opens + 1];
    if (kind === 'isolated') this.openedAt = now;
    if (kind === 'half-open') [this.admitted, this.succeeded] = [0, 0];
    if (kind === 'closed') this.history = [];
  }

  tick(now: number): void {
    if (this.kind === 'open' && now - this.openedAt >= this.o.resetTimeoutMs) this.go('half-open', now, 'timeout-elapsed');
  }

  /** The generation a call runs under, or the `retryAfterMs` of its refusal. */
  admit(now: number): { gen: number } | { retryAfterMs: number } {
    this.stats.calls++;
    this.tick(now);
    const refuse = (retryAfterMs: number) => (this.stats.rejections++, { retryAfterMs });
    if (this.kind === 'open') return refuse(this.openedAt + this.o.resetTimeoutMs - now);
    if (this.kind === 'isolated') return refuse(Infinity);
    if (this.kind === 'half-open' && this.admitted >= this.o.halfOpenMaxCalls) return refuse(0);
    if (this.kind === 'half-open') this.admitted++;
    return { gen: this.gen };
  }

  settle(gen: number, startedAt: number, now: number, outcome: Outcome): void {
    const slow = this.o.slowCallMs !== undefined && now - startedAt > this.o.slowCallMs;
    this.stats[outcome === 'success' ? 'successes' : outcome === 'failure' ? 'failures' : 'ignored']++;
    if (slow) this.stats.slowCalls++;
    if (gen !== this.gen) return;
    if (this.kind === 'half-open') {
      if (outcome === 'ignored') this.admitted--;
      else if (outcome === 'failure' || slow) this.go('open', now, 'trial-failed');
      else if (++this.succeeded === this.o.halfOpenMaxCalls) this.go('closed', now, 'trials-succeeded');
    } else if (this.kind === 'closed' && outcome !== 'ignored') {
      this.history.push({ t: now, failed: outcome === 'failure', slow });
      const reason = this.openReason(now);
      if (reason) this.go('open', now, reason);
    }
  }

  /** What the strategy holds: the streak, the last N calls, or the calls in the current buckets. */
  window(now: number): Recorded[] {
    const h = this.history;
    switch (this.o.strategy) {
      case 'consecutive': {
        const lastGood = h.findLastIndex((r) => !r.failed && !r.slow);
        return h.slice(lastGood + 1);
      }
      case 'count-window':
        return h.slice(-this.o.windowSize);
      case 'time-window': {
        const width = this.o.windowSize / 10;
        return h.filter((r) => Math.floor(r.t / width) > Math.floor(now / width) - 10);
      }
    }
  }

  private openReason(now: number): string | undefined {
    const w = this.window(now);
    if (this.o.strategy === 'consecutive') return w.length >= this.o.failureThreshold ? 'failures' : undefined;
    const min = this.o.strategy === 'count-window' ? Math.min(this.o.minimumCalls, this.o.windowSize) : this.o.minimumCalls;
    if (w.length < min) return undefined;
    const rate = (n: number) => (n * 100) / w.length;
    if (rate(w.filter((r) => r.failed).length) >= this.o.failureRateThreshold) return 'failure-rate';
    if (rate(w.filter((r) => r.slow).length) >= this.o.slowCallRateThreshold) return 'slow-call-rate';
    return undefined;
  }

  view(now: number): CircuitBreakerState {
    this.tick(now);
    switch (this.kind) {
      case 'closed': {
        const w = this.window(now);
        const count = (f: (r: Recorded) => boolean) => w.filter(f).length;
        return { state: 'closed', window: { calls: w.length, failures: count((r) => r.failed), slowCalls: count((r) => r.slow) } };
      }
      case 'open':
        return { state: 'open', openedAt: this.openedAt, retryAfterMs: this.openedAt + this.o.resetTimeoutMs - now };
      case 'half-open':
        return { state: 'half-open', halfOpenInFlight: this.admitted - this.succeeded, halfOpenSucceeded: this.succeeded };
      case 'isolated':
        return { state: 'open', isolated: true, openedAt: this.openedAt };
    }
  }
}

const outcomeArb = fc.constantFrom<Outcome>('success', 'success', 'failure', 'failure', 'ignored');
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ t: 'start' as const }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('sync' as const), outcome: outcomeArb, ms: fc.integer({ min: 0, max: 40 }) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('settle' as const), pick: fc.nat(), outcome: outcomeArb }) },
  {
    weight: 3,
    // Round steps land exactly on resetTimeoutMs and bucket edges, where off-by-one bugs live.
    arbitrary: fc.record({ t: fc.constant('advance' as const), ms: fc.oneof(fc.integer({ min: 1, max: 80 }), fc.constantFrom(5, 10, 20)) }),
  },
  { weight: 1, arbitrary: fc.constant({ t: 'reset' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'isolate' as const }) },
);
const optionsArb: fc.Arbitrary<CircuitBreakerOptions> = fc
  .record({
    strategy: fc.constantFrom('consecutive', 'count-window', 'time-window') as fc.Arbitrary<CircuitBreakerOptions['strategy']>,
    failureThreshold: fc.integer({ min: 1, max: 4 }),
    calls: fc.integer({ min: 1, max: 6 }),
    ms: fc.constantFrom(10, 50, 200),
    minimumCalls: fc.integer({ min: 1, max: 6 }),
    failureRateThreshold: fc.constantFrom(25, 50, 100),
    slowCallRateThreshold: fc.constantFrom(50, 100),
    slowCallMs: fc.option(fc.integer({ min: 5, max: 30 }), { nil: undefined }),
    resetTimeoutMs: fc.oneof(fc.integer({ min: 10, max: 60 }), fc.constantFrom(10, 20)),
    halfOpenMaxCalls: fc.integer({ min: 1, max: 3 }),
  })
  .map(({ calls, ms, ...o }) => ({ ...o, windowSize: o.strategy === 'time-window' ? ms : calls }));

const newCall = (): Call => ({ self: undefined, args: [], signal: undefined, attempts: 1, firstFailedAt: undefined, fromFallback: false, scope: undefined });
const errorFor = (outcome: Outcome) => (outcome === 'ignored' ? new ValidationError('v', []) : new Error('boom'));

interface Pending {
  gen: number;
  startedAt: number;
  settle(outcome: Outcome): Promise<unknown>;
}

/** Runs one value of `fn`, returning what it returned or threw. */
function outcomeOf(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (error) {
    return error;
  }
}

/** One run: the real breaker on a hand-driven clock, the model, and the calls still pending. */
class Scenario {
  private now = 1_000;
  private readonly real: CircuitBreakerPolicy;
  private readonly model: Model;
  private readonly pending: Pending[] = [];
  private readonly seen: Transition[] = [];

  constructor(raw: CircuitBreakerOptions) {
    // A clock with no timers: the breaker must never need one.
    const clock: Clock = {
      now: () => this.now,
      setTimeout: () => expect.fail('the circuit breaker started a timer'),
      clearTimeout: () => expect.fail('the circuit breaker cleared a timer'),
    };
    // Built by hand rather than with testEnv(), which makes a temp folder per run.
    const env: Runtime = { clock, random: () => 0.5, events: new EventHub(), deadLetterDir: '', lifecycle: new Lifecycle() };
    env.events.on('stateChange', ({ from, to, reason, at }) => this.seen.push({ from, to, reason, at }));
    const options = resolveOptions('circuitBreaker', raw, 'Svc.call');
    this.real = new CircuitBreakerPolicy('Svc.call#circuitBreaker', methodInfo(), options, env);
    this.model = new Model(options);
  }

  async step(cmd: Cmd): Promise<void> {
    switch (cmd.t) {
      case 'start':
        return this.start();
      case 'sync':
        return this.sync(cmd.outcome, cmd.ms);
      case 'settle':
        return this.settle(cmd.pick, cmd.outcome);
      case 'advance':
        this.now += cmd.ms;
        return;
      case 'reset':
        this.real.reset();
        return this.model.go('closed', this.now, 'reset');
      case 'isolate':
        this.real.isolate();
        if (this.model.kind !== 'isolated') this.model.go('isolated', this.now, 'isolate');
        return;
    }
  }

  /** After every step: same state, same counters, same transitions. */
  check(): void {
    expect(this.real.state()).toEqual(this.model.view(this.now));
    expect(this.real.stats()).toEqual(this.model.stats);
    expect(this.seen).toEqual(this.model.transitions);
  }

  /** Independent of the model: every transition is legal and starts where the previous one ended. */
  checkTransitions(): void {
    this.seen.forEach((t, i) => {
      expect(LEGAL).toContain(`${t.from}>${t.to}:${t.reason}`);
      expect(t.from).toBe(i === 0 ? 'closed' : this.seen[i - 1]!.to);
    });
  }

  /** Runs `body` through the breaker; the model decides whether it must be refused. */
  private call(body: () => unknown): { gen: number; result: unknown } | undefined {
    const admission = this.model.admit(this.now);
    const result = outcomeOf(() => this.real.execute(newCall(), body));
    if ('gen' in admission) return { gen: admission.gen, result };
    expect(isBrokenCircuitError(result)).toBe(true);
    expect(result).toMatchObject({ retryAfterMs: admission.retryAfterMs });
    return undefined;
  }

  private start(): void {
    let resolve!: (v: unknown) => void;
    let reject!: (e: unknown) => void;
    const inner = new Promise((res, rej) => ([resolve, reject] = [res, rej]));
    const admitted = this.call(() => inner);
    if (!admitted) return;
    expect(admitted.result).toBeInstanceOf(Promise);
    const done = (admitted.result as Promise<unknown>).catch(() => undefined);
    const settle = (o: Outcome) => (o === 'success' ? resolve('ok') : reject(errorFor(o)), done);
    this.pending.push({ gen: admitted.gen, startedAt: this.now, settle });
  }

  private sync(outcome: Outcome, ms: number): void {
    const startedAt = this.now;
    const admitted = this.call(() => {
      this.now += ms;
      if (outcome === 'success') return 'ok';
      throw errorFor(outcome);
    });
    if (!admitted) return;
    // Shape-preserving: a sync method's value or error comes back synchronously.
    expect(admitted.result).toSatisfy((r: unknown) => (outcome === 'success' ? r === 'ok' : r instanceof Error));
    this.model.settle(admitted.gen, startedAt, this.now, outcome);
  }

  private async settle(pick: number, outcome: Outcome): Promise<void> {
    if (this.pending.length === 0) return;
    const [p] = this.pending.splice(pick % this.pending.length, 1);
    await p!.settle(outcome);
    this.model.settle(p!.gen, p!.startedAt, this.now, outcome);
  }
}

async function runScenario(raw: CircuitBreakerOptions, cmds: Cmd[]): Promise<void> {
  const scenario = new Scenario(raw);
  for (const cmd of cmds) {
    await scenario.step(cmd);
    scenario.check();
  }
  scenario.checkTransitions();
}

describe('CircuitBreakerPolicy against a reference model', () => {
  it('agrees on state, counters and transitions under random commands', async () => {
    await fc.assert(
      fc.asyncProperty(optionsArb, fc.array(cmdArb, { maxLength: 60 }), runScenario),
      { numRuns: 300 },
    );
  });

  it('never moves closed → half-open or makes any other illegal transition', async () => {
    // The same commands with a tiny reset timeout, so that every path through the machine is hot.
    const fast = optionsArb.map((o) => ({ ...o, resetTimeoutMs: 10, failureThreshold: 1, minimumCalls: 1 }));
    await fc.assert(fc.asyncProperty(fast, fc.array(cmdArb, { maxLength: 80 }), runScenario), { numRuns: 300 });
  });
});
