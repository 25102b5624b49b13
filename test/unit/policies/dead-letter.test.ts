import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/clock.js';
import { ConfigError } from '../../../src/errors.js';
import { DeadLetterPolicy } from '../../../src/policies/dead-letter.js';
import type { Call, MethodInfo, Next } from '../../../src/policies/policy.js';
import type { Runtime } from '../../../src/runtime.js';
import type { DeadLetterEntry, DeadLetterStore } from '../../../src/stores/dead-letter-store.js';
import { deadLetterFilePath } from '../../../src/stores/file-dead-letter-store.js';
import { methodInfo, recordEvents, testEnv } from '../../support/env.js';

const T0 = Date.parse('2024-03-01T10:00:00.000Z');
const ID = 'Svc.call#deadLetter';
const OPTIONS = { store: 'file', maxEntries: 100 } as const;

/** A clock that only moves when told to; dead letters read `now()` and start no timers. */
function fakeClock(start = T0): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    setTimeout: () => undefined,
    clearTimeout: () => undefined,
    advance: (ms) => void (now += ms),
  };
}

function call(args: unknown[] = [], overrides: Partial<Call> = {}): Call {
  return { self: undefined, args, signal: undefined, attempts: 1, firstFailedAt: undefined, fromFallback: false, scope: undefined, ...overrides };
}

function setup(method: MethodInfo = methodInfo(), env: Runtime = testEnv({ clock: fakeClock() })) {
  const policy = new DeadLetterPolicy(ID, method, OPTIONS, env);
  return { policy, env, clock: env.clock as ReturnType<typeof fakeClock> };
}

const failWith = (error: unknown): Next => () => Promise.reject(error);

class GatewayError extends Error {
  override name = 'GatewayError';
  code = 'EGATEWAY';
}

describe('DeadLetterPolicy.execute', () => {
  it('passes a result through and stores nothing', async () => {
    const { policy } = setup();
    await expect(policy.execute(call([1]), (c) => Promise.resolve(c.args[0]))).resolves.toBe(1);
    expect(await policy.list()).toEqual([]);
    expect(policy.stats()).toEqual({ calls: 1, successes: 1, failures: 0, rejections: 0, stored: 0, storeErrors: 0, replayed: 0 });
  });

  it('rethrows the user error unchanged', async () => {
    const { policy } = setup();
    const error = new GatewayError('down');
    await expect(policy.execute(call(), failWith(error))).rejects.toBe(error);
  });

  it('stores the failed call as an entry', async () => {
    const { policy, clock } = setup(methodInfo({ signalIndex: 1 }));
    const signal = new AbortController().signal;
    clock.advance(5_000);
    await policy.execute(call(['order-1', signal], { attempts: 3, firstFailedAt: T0 }), failWith(new GatewayError('down'))).catch(() => {});
    const [entry] = await policy.list();
    expect(entry).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      policy: ID,
      method: 'Svc.call',
      args: ['order-1', null],
      error: { name: 'GatewayError', message: 'down', code: 'EGATEWAY' },
      attempts: 3,
      firstFailedAt: '2024-03-01T10:00:00.000Z',
      lastFailedAt: '2024-03-01T10:00:05.000Z',
    });
  });

  it('uses the failure time as firstFailedAt when no retry recorded one', async () => {
    const { policy } = setup();
    await policy.execute(call(), failWith(new Error('x'))).catch(() => {});
    const [entry] = await policy.list();
    expect([entry?.firstFailedAt, entry?.lastFailedAt]).toEqual(['2024-03-01T10:00:00.000Z', '2024-03-01T10:00:00.000Z']);
  });

  it('stores the arguments the caller gave, not a copy swapped in below', async () => {
    const { policy } = setup(methodInfo({ signalIndex: 1 }));
    const next: Next = (c) => {
      c.args = ['changed', new AbortController().signal];
      return Promise.reject(new Error('x'));
    };
    await policy.execute(call(['given', undefined]), next).catch(() => {});
    expect((await policy.list())[0]?.args).toEqual(['given', null]);
  });

  it('describes thrown non-errors', async () => {
    const { policy } = setup();
    await policy.execute(call(), failWith('plain string')).catch(() => {});
    await policy.execute(call(), failWith(Object.assign(new Error('n'), { code: 42 }))).catch(() => {});
    expect((await policy.list()).map((e) => e.error)).toEqual([
      { name: 'string', message: 'plain string' },
      { name: 'Error', message: 'n', code: '42' },
    ]);
  });

  it('stores the entry before the error reaches the caller', async () => {
    let release!: () => void;
    const appended: DeadLetterEntry[] = [];
    const store = memoryStore(appended, () => new Promise<void>((r) => (release = r)));
    const policy = new DeadLetterPolicy(ID, methodInfo(), OPTIONS, testEnv(), store);
    let settled = false;
    const result = policy.execute(call(), failWith(new Error('x'))).catch(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    expect([appended.length, settled]).toEqual([1, false]);
    release();
    await result;
    expect(settled).toBe(true);
  });

  it('emits deadLetter with the entry id once stored', async () => {
    const { policy, env } = setup();
    const events = recordEvents(env, 'deadLetter', 'deadLetterError');
    await policy.execute(call(), failWith(new Error('x'))).catch(() => {});
    const [entry] = await policy.list();
    expect(events).toEqual([['deadLetter', { policy: ID, entryId: entry?.id }]]);
  });
});

describe('DeadLetterPolicy when the store fails', () => {
  async function brokenSetup() {
    const base = testEnv({ clock: fakeClock() });
    // A folder path under a regular file: every write fails with ENOTDIR.
    await writeFile(join(base.deadLetterDir, 'plain-file'), '');
    return setup(methodInfo(), { ...base, deadLetterDir: join(base.deadLetterDir, 'plain-file') });
  }

  it('still rethrows the user error unchanged', async () => {
    const { policy } = await brokenSetup();
    const error = new GatewayError('down');
    await expect(policy.execute(call(), failWith(error))).rejects.toBe(error);
  });

  it('emits deadLetterError with the store error and counts it', async () => {
    const { policy, env } = await brokenSetup();
    const events = recordEvents(env, 'deadLetter', 'deadLetterError');
    await policy.execute(call(), failWith(new Error('x'))).catch(() => {});
    expect(events).toEqual([
      ['deadLetterError', { policy: ID, entryId: expect.any(String), error: expect.objectContaining({ code: 'ENOTDIR' }) }],
    ]);
    expect(policy.stats()).toMatchObject({ failures: 1, stored: 0, storeErrors: 1 });
  });
});

describe('DeadLetterPolicy.replay', () => {
  async function failedOnce(method: MethodInfo = methodInfo()) {
    const s = setup(method);
    await s.policy.execute(call(['order-1'], { attempts: 2 }), failWith(new Error('first'))).catch(() => {});
    const [entry] = await s.policy.list();
    return { ...s, entry: entry! };
  }

  it('calls the chain below with the stored args on the instance, removes the entry and returns the result', async () => {
    const { policy, entry } = await failedOnce();
    const instance = { name: 'svc' };
    const seen: Call[] = [];
    policy.bindNext(methodInfo(), (c) => (seen.push({ ...c }), Promise.resolve('ok')));
    await expect(policy.replay(entry.id, instance)).resolves.toBe('ok');
    expect(seen).toEqual([call(['order-1'], { self: instance })]);
    expect(await policy.list()).toEqual([]);
    expect(policy.stats().replayed).toBe(1);
  });

  it('passes undefined, not the stored null, for the AbortSignal argument', async () => {
    const method = methodInfo({ signalIndex: 1 });
    const { policy } = setup(method);
    await policy.execute(call(['a', new AbortController().signal]), failWith(new Error('x'))).catch(() => {});
    const [entry] = await policy.list();
    let args: unknown[] = [];
    policy.bindNext(method, (c) => ((args = c.args), Promise.resolve()));
    await policy.replay(entry!.id, {});
    expect(args).toEqual(['a', undefined]);
  });

  it('keeps the entry on failure, adding the attempts and the new error, and rethrows', async () => {
    const { policy, entry, clock } = await failedOnce();
    const error = new GatewayError('still down');
    policy.bindNext(methodInfo(), (c) => {
      c.attempts = 3; // as @Retry below would after three attempts
      return Promise.reject(error);
    });
    clock.advance(60_000);
    await expect(policy.replay(entry.id, {})).rejects.toBe(error);
    expect(await policy.list()).toEqual([
      {
        ...entry,
        attempts: 5,
        error: { name: 'GatewayError', message: 'still down', code: 'EGATEWAY' },
        lastFailedAt: '2024-03-01T10:01:00.000Z',
      },
    ]);
  });

  it('rejects an unknown id, naming it', async () => {
    const { policy } = setup();
    policy.bindNext(methodInfo(), () => Promise.resolve());
    await expect(policy.replay('nope', {})).rejects.toThrowErrorMatchingInlineSnapshot(
      `[Error: resil: no dead letter 'nope' in Svc.call#deadLetter]`,
    );
  });

  it('rejects before the composer bound the method', async () => {
    const { policy, entry } = await failedOnce();
    await expect(policy.replay(entry.id, {})).rejects.toThrow(/method Svc\.call is not bound yet/);
  });

  it('refuses a second replay of an entry already being replayed', async () => {
    const { policy, entry } = await failedOnce();
    let release!: () => void;
    let entered!: () => void;
    const running = new Promise<void>((r) => (entered = r));
    policy.bindNext(methodInfo(), () => (entered(), new Promise<void>((r) => (release = r))));
    const first = policy.replay(entry.id, {});
    await expect(policy.replay(entry.id, {})).rejects.toThrow(/already being replayed/);
    await running;
    release();
    await first;
    expect(await policy.list()).toEqual([]);
  });
});

describe('DeadLetterPolicy handle', () => {
  it('purges every entry', async () => {
    const { policy } = setup();
    for (let i = 0; i < 3; i++) await policy.execute(call([i]), failWith(new Error('x'))).catch(() => {});
    expect(await policy.purge()).toBe(3);
    expect(await policy.list()).toEqual([]);
  });

  it('gets and removes one entry', async () => {
    const { policy } = setup();
    await policy.execute(call(), failWith(new Error('x'))).catch(() => {});
    const [entry] = await policy.list();
    expect(await policy.get(entry!.id)).toEqual(entry);
    expect(await policy.remove(entry!.id)).toBe(true);
    expect(await policy.get(entry!.id)).toBeUndefined();
  });

  it('reports the file store and its path without touching the disk', () => {
    const { policy, env } = setup();
    expect(policy.state()).toEqual({ store: 'file', path: deadLetterFilePath(env.deadLetterDir, ID) });
    expect(existsSync(join(env.deadLetterDir, 'dead-letters'))).toBe(false);
  });

  it('writes under the folder configured after construction', async () => {
    const { policy, env } = setup();
    env.deadLetterDir = join(env.deadLetterDir, 'later');
    await policy.execute(call(), failWith(new Error('x'))).catch(() => {});
    expect(existsSync(deadLetterFilePath(env.deadLetterDir, ID))).toBe(true);
  });

  it('describes itself', () => {
    const { policy } = setup();
    policy.attach(methodInfo({ id: 'Svc.other' }));
    expect([policy.id, policy.kind, policy.methods, policy.options]).toEqual([ID, 'deadLetter', ['Svc.call', 'Svc.other'], OPTIONS]);
  });

  it('refuses store redis, which this version does not include', () => {
    const create = () => new DeadLetterPolicy(ID, methodInfo(), { store: 'redis', maxEntries: 100 }, testEnv());
    expect(create).toThrow(ConfigError);
    expect(create).toThrowErrorMatchingInlineSnapshot(
      `[ConfigError: @DeadLetter on Svc.call: store 'redis' requires the resil/redis store, which this version does not include; use store 'file']`,
    );
  });
});

/** A store in memory whose `append` waits on `gate`, to observe ordering. */
function memoryStore(appended: DeadLetterEntry[], gate: () => Promise<void>): DeadLetterStore {
  return {
    info: () => ({ store: 'memory', path: '' }),
    append: async (e) => {
      appended.push(e);
      await gate();
    },
    list: async () => [...appended],
    get: async (id) => appended.find((e) => e.id === id),
    remove: async () => false,
    purge: async () => 0,
  };
}
