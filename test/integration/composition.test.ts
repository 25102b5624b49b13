import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { configure, registry } from '../../src/index.js';
import { POLICY_ORDER } from '../../src/policies/kinds.js';
import { compiledMethods } from '../../src/generated.js';
import { decoratorPairs, pairMethodName } from '../support/decorator-pairs.js';
import { loadGenerated } from '../support/generated.js';

type Fixtures = typeof import('../fixtures-src/scenarios.js');
type Ctor<T> = new () => T;

const modes = ['standard', 'legacy'] as const;
/** `compiled`: the standard fixtures with the generated module loaded, so methods run their generated wrappers. */
const behaviourModes = [...modes, 'compiled'] as const;
let unloadGenerated: (() => void) | undefined;
const load = async (mode: string) => {
  if (mode === 'legacy') await import('reflect-metadata');
  if (mode === 'compiled') unloadGenerated ??= await loadGenerated();
  return (await import(`../.compiled/${mode === 'compiled' ? 'standard' : mode}/scenarios.js`)) as Fixtures;
};
afterAll(() => unloadGenerated?.());

describe.each(modes)('composition order under %s decorators', (mode) => {
  it.each(decoratorPairs().map((p) => [pairMethodName(p), p] as const))('%s composes in SPEC order', async (name, [a, b]) => {
    const { makePairs } = (await import(`../.compiled/${mode}/pairs.js`)) as {
      makePairs: () => new () => Record<string, (x: number) => Promise<number>>;
    };
    const pairs = new (makePairs())();
    const expected = POLICY_ORDER.filter((k) => k === a || k === b).map((k) => `Pairs.${name}#${k}`);
    expect(registry.policiesOf(`Pairs.${name}`)).toEqual(expected);
    // Record the order in which the policies actually run, not only the order they are listed in.
    const ran: string[] = [];
    for (const id of expected) {
      const policy = registry.get(id) as unknown as { execute: (...args: unknown[]) => unknown };
      const execute = policy.execute.bind(policy);
      policy.execute = (...args) => {
        ran.push(id);
        return execute(...args);
      };
    }
    await expect(pairs[name]!(7)).resolves.toBe(7);
    expect(ran).toEqual(expected);
  });
});

describe.each(behaviourModes)('composition behaviour under %s decorators', (mode) => {
  let fx: Fixtures;
  beforeEach(async () => {
    fx = await load(mode);
    vi.useFakeTimers();
  });
  afterEach(() => {
    configure({ deadLetterDir: '.resil' });
    // In compiled mode every method the test used must have run its generated wrapper.
    if (mode === 'compiled') {
      const used = [...new Set(registry.policies().map((p) => p.method))];
      expect(used.filter((id) => !compiledMethods().includes(id))).toEqual([]);
    }
  });

  it('each retry attempt passes the breaker, and an open circuit is not retried', async () => {
    const svc = new (fx.retryAroundBreaker(99))();
    const outcome = svc.call().catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    const error = (await outcome) as { code?: string };
    expect(error.code).toBe('CIRCUIT_OPEN');
    expect(svc.script.calls).toBe(2);
  });

  it('a retry that succeeds within the breaker threshold returns the answer', async () => {
    const svc = new (fx.retryAroundBreaker(1))();
    const outcome = svc.call();
    await vi.runAllTimersAsync();
    await expect(outcome).resolves.toBe('ok 2');
  });

  it('a cache hit spends no rate-limit token', async () => {
    const svc = new (fx.cacheBeforeLimiter())();
    await expect(svc.get('a')).resolves.toBe('value of a');
    await expect(svc.get('a')).resolves.toBe('value of a');
    await expect(svc.get('b')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(svc.calls).toBe(1);
  });

  it('each attempt gets its own timeout', async () => {
    const svc = new (fx.timeoutPerAttempt())();
    const outcome = svc.call();
    await vi.advanceTimersByTimeAsync(100);
    await expect(outcome).resolves.toBe('answered on attempt 2');
  });

  it('the fallback answers after every retry failed', async () => {
    const svc = new (fx.fallbackOutsideRetry())();
    const outcome = svc.call('x');
    await vi.runAllTimersAsync();
    await expect(outcome).resolves.toBe('backup for x after boom 3');
    expect(svc.script.calls).toBe(3);
  });

  it('the dead letter records the final failure with its attempts', async () => {
    configure({ deadLetterDir: mkdtempSync(join(tmpdir(), 'resil-dl-')) });
    const Job = fx.deadLetterAfterRetries();
    const job = new Job();
    vi.useRealTimers();
    await expect(job.run({ orderId: 7 })).rejects.toMatchObject({ name: 'UserError', message: 'boom 3' });
    const handle = registry.get('Job.run#deadLetter') as unknown as { list(): Promise<{ attempts: number; args: unknown[] }[]> };
    const entries = await handle.list();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ attempts: 3, args: [{ orderId: 7 }] });
  });

  it('time waiting in the bulkhead queue counts against the timeout, and a timed-out call leaves the queue', async () => {
    const svc = new (fx.bulkheadInsideTimeout())();
    const first = svc.call().catch((e: unknown) => e);
    const second = svc.call().catch((e: unknown) => e);
    const third = svc.call().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(50);
    expect(await first).toMatchObject({ code: 'TIMEOUT' });
    expect(await second).toMatchObject({ code: 'TIMEOUT' });
    expect(await third).toMatchObject({ code: 'TIMEOUT' });
    // The first still runs (it cannot be cancelled without a signal); the queued two are gone for good.
    expect(registry.get('Narrow.call#bulkhead')!.state()).toEqual({ active: 1, queued: 0 });
    svc.release!();
    await vi.advanceTimersByTimeAsync(0);
    expect(registry.get('Narrow.call#bulkhead')!.state()).toEqual({ active: 0, queued: 0 });
    expect(svc.runs).toBe(1);
  });

  it('finds its class for symbol-keyed methods and methods replaced before the first instance', async () => {
    const { Keyed, key } = fx.symbolKeyed();
    const keyed = new Keyed() as unknown as Record<symbol, () => Promise<string>>;
    await expect(keyed[key]!()).resolves.toBe('keyed');
    expect(registry.policiesOf('Keyed.[lookup]')).toEqual(['Keyed.[lookup]#retry']);
    const Spied = fx.symbolKeyed().Keyed;
    const original = Spied.prototype.plain;
    Spied.prototype.plain = function (this: InstanceType<typeof Spied>) {
      return original.call(this);
    };
    await expect(new Spied().plain()).resolves.toBe('plain');
  });

  it('sync methods stay sync through breaker, cache and fallback', () => {
    const calc = new (fx.syncMethods())();
    expect(calc.square(3)).toBe(9);
    expect(calc.square(3)).toBe(9);
    expect(calc.calls).toBe(1);
    expect(calc.square(-1)).toBe(-1);
    // The breaker opened on that failure; the fallback answers for it too, synchronously.
    expect(calc.square(4)).toBe(-1);
    expect(calc.calls).toBe(2);
  });

  it('a method that takes an AbortSignal gets one that aborts at the deadline', async () => {
    const svc = new (fx.signalled())();
    const outcome = svc.fetch('a').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(await outcome).toMatchObject({ code: 'TIMEOUT', timeoutMs: 100 });
    expect(svc.seen?.aborted).toBe(true);
    expect(svc.seen?.reason).toMatchObject({ code: 'TIMEOUT' });
  });

  it('the passed signal follows the caller’s own signal', async () => {
    const svc = new (fx.signalled())();
    const caller = new AbortController();
    const outcome = svc.fetch('a', caller.signal).catch((e: unknown) => e);
    caller.abort(new Error('caller gave up'));
    expect(await outcome).toMatchObject({ message: 'caller gave up' });
    expect(svc.seen?.aborted).toBe(true);
    expect(svc.seen).not.toBe(caller.signal);
  });
});

describe('private methods under standard decorators', () => {
  it('are decorated, registered and called', async () => {
    const file = '../.compiled/standard/private.standard.js';
    const { privateMethod } = (await import(/* @vite-ignore */ file)) as { privateMethod: () => new () => { open(): Promise<string> } };
    const Vault = privateMethod();
    await expect(new Vault().open()).resolves.toBe('opened');
    expect(registry.policiesOf('Vault.#unlock')).toEqual(['Vault.#unlock#retry']);
  });
});

describe('validation comes before any other policy (legacy metadata)', () => {
  it('invalid input spends no retry attempt', async () => {
    const fx = await load('legacy');
    const svc = new (fx.validatedBeforeRetry())();
    await expect(svc.call('x' as unknown as number, 'a')).rejects.toMatchObject({
      code: 'VALIDATION',
      issues: [{ path: 'n', expected: 'number', received: 'string "x"' }],
    });
    expect(svc.calls).toBe(0);
    await expect(svc.call(1, 'a')).resolves.toBe('a:1');
  });
});
