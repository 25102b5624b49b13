import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeadLetterEntry } from '../../../src/stores/dead-letter-store.js';
import {
  deadLetterFilePath,
  FileDeadLetterStore,
  listDeadLetterPolicies,
} from '../../../src/stores/file-dead-letter-store.js';

const POLICY = 'Svc.call#deadLetter';

function entry(id: string, overrides: Partial<DeadLetterEntry> = {}): DeadLetterEntry {
  return {
    id,
    policy: POLICY,
    method: 'Svc.call',
    args: [id],
    error: { name: 'Error', message: `failed ${id}` },
    attempts: 1,
    firstFailedAt: '2024-01-01T00:00:00.000Z',
    lastFailedAt: '2024-01-01T00:00:00.000Z',
    ...overrides,
  };
}

const ids = (entries: DeadLetterEntry[]) => entries.map((e) => e.id);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'resil-dlq-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const store = (maxEntries?: number) => new FileDeadLetterStore({ dir, policy: POLICY, maxEntries });
const fileLines = async (s: FileDeadLetterStore) => (await readFile(s.path, 'utf8')).split('\n').filter(Boolean);

describe('FileDeadLetterStore basics', () => {
  it('keeps one file per policy at <dir>/dead-letters/<encoded id>.jsonl', () => {
    expect(store().path).toBe(join(dir, 'dead-letters', 'Svc.call%23deadLetter.jsonl'));
    expect(store().info()).toEqual({ store: 'file', path: deadLetterFilePath(dir, POLICY) });
  });

  it('lists appended entries, oldest first', async () => {
    const s = store();
    await s.append(entry('a'));
    await s.append(entry('b'));
    expect(await s.list()).toEqual([entry('a'), entry('b')]);
  });

  it('writes one JSON line per entry', async () => {
    const s = store();
    await s.append(entry('a'));
    expect((await fileLines(s)).map((l) => JSON.parse(l) as unknown)).toEqual([entry('a')]);
  });

  it('gets an entry by id, and undefined for an unknown id', async () => {
    const s = store();
    await s.append(entry('a'));
    expect(await s.get('a')).toEqual(entry('a'));
    expect(await s.get('nope')).toBeUndefined();
  });

  it('removes an entry by appending a tombstone', async () => {
    const s = store();
    await s.append(entry('a'));
    await s.append(entry('b'));
    expect(await s.remove('a')).toBe(true);
    expect(ids(await s.list())).toEqual(['b']);
    expect((await fileLines(s)).at(-1)).toBe('{"op":"remove","id":"a"}');
  });

  it('returns false when removing an id that is not stored', async () => {
    const s = store();
    await s.append(entry('a'));
    expect(await s.remove('x')).toBe(false);
    expect(await s.remove('a')).toBe(true);
    expect(await s.remove('a')).toBe(false);
  });

  it('purges every entry and returns the count', async () => {
    const s = store();
    await s.append(entry('a'));
    await s.append(entry('b'));
    expect(await s.purge()).toBe(2);
    expect(await s.list()).toEqual([]);
    expect(existsSync(s.path)).toBe(false);
  });

  it('appends again after a purge', async () => {
    const s = store();
    await s.append(entry('a'));
    await s.purge();
    await s.append(entry('b'));
    expect(ids(await s.list())).toEqual(['b']);
  });

  it('reads an empty list when nothing was ever written, creating nothing', async () => {
    const s = store();
    expect(await s.list()).toEqual([]);
    expect(await s.purge()).toBe(0);
    expect(existsSync(join(dir, 'dead-letters'))).toBe(false);
  });

  it('lets a later line with the same id supersede the earlier one, keeping its place', async () => {
    const s = store();
    await s.append(entry('a'));
    await s.append(entry('b'));
    await s.append(entry('a', { attempts: 5 }));
    expect((await s.list()).map((e) => [e.id, e.attempts])).toEqual([
      ['a', 5],
      ['b', 1],
    ]);
  });

  it('rejects a maxEntries that is not a positive integer', () => {
    expect(() => store(0)).toThrowErrorMatchingInlineSnapshot(
      `[RangeError: FileDeadLetterStore: maxEntries must be an integer >= 1, got 0]`,
    );
  });
});

describe('FileDeadLetterStore reading damaged files', () => {
  it('skips a torn last line', async () => {
    const s = store();
    await s.append(entry('a'));
    await appendFile(s.path, JSON.stringify(entry('b')).slice(0, 40));
    expect(ids(await s.list())).toEqual(['a']);
  });

  it('keeps an entry appended after a torn last line readable', async () => {
    const s = store();
    await s.append(entry('a'));
    await appendFile(s.path, '{"id":"torn","pol');
    await s.append(entry('b'));
    expect(ids(await s.list())).toEqual(['a', 'b']);
  });

  it('skips unparsable and foreign lines in the middle', async () => {
    const s = store();
    await s.append(entry('a'));
    await appendFile(s.path, 'not json\n{"hello":"world"}\n');
    await s.append(entry('b'));
    expect(ids(await s.list())).toEqual(['a', 'b']);
  });
});

describe('FileDeadLetterStore maxEntries and compaction', () => {
  it('evicts the oldest entries first past maxEntries', async () => {
    const s = store(3);
    for (const id of ['a', 'b', 'c', 'd', 'e']) await s.append(entry(id));
    expect(ids(await s.list())).toEqual(['c', 'd', 'e']);
  });

  it('does not evict when an existing entry is updated', async () => {
    const s = store(2);
    await s.append(entry('a'));
    await s.append(entry('b'));
    await s.append(entry('a', { attempts: 2 }));
    expect(ids(await s.list())).toEqual(['a', 'b']);
  });

  it('compacts the file to live entries once superseded lines outnumber them', async () => {
    const s = store(3);
    for (let i = 0; i < 20; i++) await s.append(entry(`e${i}`));
    expect(ids(await s.list())).toEqual(['e17', 'e18', 'e19']);
    // Without compaction the file would hold 20 entries and 17 tombstones.
    expect((await fileLines(s)).length).toBeLessThanOrEqual(3 * 3);
    expect((await readdir(join(dir, 'dead-letters'))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('compacts away tombstones of removed entries', async () => {
    const s = store(2);
    for (let i = 0; i < 10; i++) {
      await s.append(entry(`e${i}`));
      await s.remove(`e${i}`);
    }
    expect(await s.list()).toEqual([]);
    expect((await fileLines(s)).length).toBeLessThanOrEqual(4);
  });
});

describe('FileDeadLetterStore concurrency', () => {
  it('serialises concurrent appends so every line stays whole', async () => {
    const s = store(1_000);
    await Promise.all(Array.from({ length: 50 }, (_, i) => s.append(entry(`e${i}`))));
    expect(ids(await s.list()).sort()).toEqual(Array.from({ length: 50 }, (_, i) => `e${i}`).sort());
    expect(await fileLines(s)).toHaveLength(50);
  });

  it('serialises two store instances on one file and sees each other', async () => {
    const one = store();
    const two = store();
    await Promise.all([one.append(entry('a')), two.append(entry('b'))]);
    expect(await one.remove('b')).toBe(true);
    expect(ids(await two.list())).toEqual(['a']);
  });

  it('notices a file deleted behind its back', async () => {
    const s = store();
    await s.append(entry('a'));
    await rm(s.path);
    await s.append(entry('b'));
    expect(ids(await s.list())).toEqual(['b']);
  });
});

describe('FileDeadLetterStore JSON', () => {
  it('stores bigint as a string, Date as ISO, AbortSignal and undefined as null', async () => {
    const s = store();
    const args = [10n, new Date('2024-05-06T07:08:09.000Z'), new AbortController().signal, undefined, { n: 1n }];
    await s.append(entry('a', { args }));
    expect((await s.get('a'))?.args).toEqual(['10', '2024-05-06T07:08:09.000Z', null, null, { n: '1' }]);
  });

  it('rejects an entry whose args JSON cannot hold, writing nothing', async () => {
    const s = store();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(s.append(entry('a', { args: [cyclic] }))).rejects.toThrow(TypeError);
    expect(existsSync(s.path)).toBe(false);
  });
});

describe('listDeadLetterPolicies', () => {
  it('lists the policy ids that have a file, decoded and sorted', async () => {
    await new FileDeadLetterStore({ dir, policy: 'B.x#deadLetter' }).append(entry('a'));
    await new FileDeadLetterStore({ dir, policy: 'A/y z' }).append(entry('b'));
    await writeFile(join(dir, 'dead-letters', 'notes.txt'), '');
    expect(await listDeadLetterPolicies(dir)).toEqual(['A/y z', 'B.x#deadLetter']);
  });

  it('returns nothing when the folder does not exist', async () => {
    expect(await listDeadLetterPolicies(join(dir, 'missing'))).toEqual([]);
  });
});

describe('FileDeadLetterStore durability', () => {
  afterEach(() => {
    vi.doUnmock('node:fs/promises');
    vi.resetModules();
  });

  it('writes, fsyncs and closes the file before append resolves', async () => {
    const steps: string[] = [];
    vi.resetModules();
    vi.doMock('node:fs/promises', async (importOriginal) => {
      const fs = await importOriginal<typeof import('node:fs/promises')>();
      const open: typeof fs.open = async (...args) => {
        const fh = await fs.open(...args);
        const record =
          <A extends unknown[], R>(name: string, fn: (...a: A) => Promise<R>) =>
          async (...a: A) => {
            const result = await fn.apply(fh, a);
            steps.push(name);
            return result;
          };
        return Object.assign(Object.create(fh) as typeof fh, {
          writeFile: record('write', fh.writeFile),
          sync: record('sync', fh.sync),
          close: record('close', fh.close),
        });
      };
      return { ...fs, open };
    });
    const { FileDeadLetterStore: Mocked } = await import('../../../src/stores/file-dead-letter-store.js');
    const s = new Mocked({ dir, policy: POLICY });
    await s.append(entry('a'));
    steps.push('resolved');
    expect(steps.slice(0, 3)).toEqual(['write', 'sync', 'close']);
    expect(steps.at(-1)).toBe('resolved');
  });
});

describe('FileDeadLetterStore in a child process', () => {
  const child = fileURLToPath(new URL('./dead-letter-child.mjs', import.meta.url));
  const built = fileURLToPath(new URL('../../../dist/src/policies/dead-letter.js', import.meta.url));

  function run(mode: string) {
    if (!existsSync(built)) throw new Error('dist/src is missing: run `npm run build` (npm test does) first');
    const proc = spawn(process.execPath, [child, mode, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((done) =>
      proc.on('exit', (code, signal) => done({ code, signal, stderr })),
    );
    return { proc, exited };
  }

  it('keeps the entry of a call whose error was seen by the caller, after SIGKILL', async () => {
    const { proc, exited } = run('crash');
    let stdout = '';
    await new Promise<void>((seen, failed) => {
      proc.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        // Kill at once: nothing the child does after its caller saw the error may matter.
        if (stdout.includes('seen')) {
          proc.kill('SIGKILL');
          seen();
        }
      });
      void exited.then((r) => failed(new Error(`child exited before "seen": ${JSON.stringify(r)}`)));
    });
    expect((await exited).signal).toBe('SIGKILL');
    const entries = await new FileDeadLetterStore({ dir, policy: 'Child.call#deadLetter' }).list();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      policy: 'Child.call#deadLetter',
      method: 'Child.call',
      args: ['order-42'],
      error: { name: 'Error', message: 'payment gateway down', code: 'EGATEWAY' },
      attempts: 3,
    });
  });

  it('lets a process that appended entries exit by itself', async () => {
    const { exited } = run('exit');
    const result = await exited;
    expect(result).toEqual({ code: 0, signal: null, stderr: '' });
    expect(await new FileDeadLetterStore({ dir, policy: 'Child.call#deadLetter', maxEntries: 2 }).list()).toHaveLength(2);
  });
});
