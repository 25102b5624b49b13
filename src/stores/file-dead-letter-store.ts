import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  isDeadLetterEntry,
  toDeadLetterJson,
  type DeadLetterEntry,
  type DeadLetterStore,
  type DeadLetterStoreInfo,
} from './dead-letter-store.js';

/** Options of {@link FileDeadLetterStore}. */
export interface FileDeadLetterStoreOptions {
  /** Base folder (`runtime.deadLetterDir`, default `.resil`); the file goes to `<dir>/dead-letters/`. */
  dir: string;
  /** Id of the policy whose entries the store keeps; names the file. */
  policy: string;
  /** Live entries kept; past it the oldest are evicted first. Default 10000. */
  maxEntries?: number;
}

/** Default of {@link FileDeadLetterStoreOptions.maxEntries}. */
export const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * Superseded lines (tombstones, replaced and evicted entries) tolerated before a compaction, at
 * least. Compaction also waits until the garbage outweighs the live entries, so its cost (rewriting
 * every live line) is amortised over as many appends.
 */
const MIN_GARBAGE_LINES = 1_000;

/** `<dir>/dead-letters/<encodeURIComponent(policy)>.jsonl`, resolved against the working directory. */
export function deadLetterFilePath(dir: string, policy: string): string {
  return resolve(dir, 'dead-letters', `${encodeURIComponent(policy)}.jsonl`);
}

/** Ids of the policies that have a dead-letter file under `dir`, sorted. */
export async function listDeadLetterPolicies(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(join(dir, 'dead-letters'));
  } catch (error) {
    if (isCode(error, 'ENOENT')) return [];
    throw error;
  }
  const ids: string[] = [];
  for (const name of names) {
    if (!name.endsWith('.jsonl')) continue;
    try {
      ids.push(decodeURIComponent(name.slice(0, -'.jsonl'.length)));
    } catch {
      // Not a name this store wrote (malformed %-escape): not a policy file.
    }
  }
  return ids.sort();
}

function isCode(error: unknown, ...codes: string[]): boolean {
  return typeof error === 'object' && error !== null && codes.includes((error as { code?: string }).code ?? '');
}

/** A tombstone: a later line that removes entry `id`. */
interface Removal {
  op: 'remove';
  id: string;
}

const isRemoval = (v: unknown): v is Removal =>
  typeof v === 'object' && v !== null && (v as Removal).op === 'remove' && typeof (v as Removal).id === 'string';

/** The file as read: live entries oldest first, plus what tells whether a cached view is stale. */
interface Log {
  entries: Map<string, DeadLetterEntry>;
  /** Non-empty lines, including superseded and unreadable ones. */
  lines: number;
  /** Inode and byte size when read; a change means another writer touched the file. */
  ino: number;
  size: number;
  /** False when the file ends in a torn line, which the next append must terminate first. */
  endsClean: boolean;
}

/** What the store remembers between operations so an append does not reread the file. */
interface Index {
  live: Set<string>;
  lines: number;
  ino: number;
  size: number;
  endsClean: boolean;
}

function parseLog(buffer: Buffer, ino: number): Log {
  const entries = new Map<string, DeadLetterEntry>();
  let lines = 0;
  for (const line of buffer.toString('utf8').split('\n')) {
    if (line.trim() === '') continue;
    lines++;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue; // a torn line (a crash mid-append) or damage: skip it, keep the rest
    }
    if (isRemoval(value)) entries.delete(value.id);
    // Map.set on a known id keeps its position: an entry stays as old as its first failure.
    else if (isDeadLetterEntry(value)) entries.set(value.id, value);
  }
  const endsClean = buffer.length === 0 || buffer[buffer.length - 1] === 0x0a;
  return { entries, lines, ino, size: buffer.length, endsClean };
}

async function readLog(path: string): Promise<Log> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return parseLog(Buffer.alloc(0), 0);
    throw error;
  }
  try {
    const { ino } = await fh.stat();
    return parseLog(await fh.readFile(), ino);
  } finally {
    await fh.close();
  }
}

/** Makes a rename or a new file in `dir` durable. */
async function syncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (error) {
    // Windows cannot open or fsync a folder; there the rename is as durable as the OS makes it.
    if (!isCode(error, 'EISDIR', 'EPERM', 'EACCES', 'EINVAL')) throw error;
  } finally {
    await fh?.close();
  }
}

/**
 * Per-file queues shared by every store instance of the process, so appends, removals and
 * compaction of one file never interleave even when a class is defined twice.
 */
const queues = new Map<string, Promise<unknown>>();

function serialised<T>(path: string, op: () => Promise<T>): Promise<T> {
  const previous = queues.get(path) ?? Promise.resolve();
  const result = previous.then(op);
  const tail = result.catch(() => undefined);
  queues.set(path, tail);
  // Drop the queue once idle so the map does not grow with every file ever touched.
  void tail.then(() => {
    if (queues.get(path) === tail) queues.delete(path);
  });
  return result;
}

/**
 * The default dead-letter store: one append-only JSONL file per policy at
 * `<dir>/dead-letters/<encodeURIComponent(policy)>.jsonl`.
 *
 * - Each entry is one line; a removal appends `{"op":"remove","id":…}`; a later line with the same
 *   id supersedes an earlier one. Reading skips unparsable lines (a torn last line after a crash).
 * - `append` resolves only after the line is written and fsync'd.
 * - Past `maxEntries` live entries, the oldest are evicted (with tombstones) in the same write.
 *   Once superseded lines outnumber live ones the file is compacted: live entries go to a temp
 *   file, which is fsync'd and renamed over the old one, so a crash at any point loses nothing.
 * - The file is opened per operation: no handle stays open, and an idle process exits.
 * - Operations on one file are serialised within the process. Two processes appending to one file
 *   is safe (O_APPEND), but a compaction may then drop the other's concurrent append: give each
 *   process its own folder, or let one process own the file.
 */
export class FileDeadLetterStore implements DeadLetterStore {
  /** Absolute path of the file. */
  readonly path: string;
  private readonly maxEntries: number;
  private index: Index | undefined;

  constructor(options: FileDeadLetterStoreOptions) {
    const max = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`FileDeadLetterStore: maxEntries must be an integer >= 1, got ${max}`);
    }
    this.path = deadLetterFilePath(options.dir, options.policy);
    this.maxEntries = max;
  }

  /** `{ store: 'file', path }`. */
  info(): DeadLetterStoreInfo {
    return { store: 'file', path: this.path };
  }

  /** Appends `entry` (evicting the oldest past `maxEntries`); resolves once it is fsync'd. */
  append(entry: DeadLetterEntry): Promise<void> {
    let line: string;
    try {
      line = toDeadLetterJson(entry);
    } catch (error) {
      return Promise.reject(error);
    }
    return serialised(this.path, async () => {
      const index = await this.load();
      const isNew = !index.live.has(entry.id);
      const over = index.live.size + (isNew ? 1 : 0) - this.maxEntries;
      const evicted = over > 0 ? [...index.live].slice(0, over) : [];
      // The entry goes first: a write torn after it keeps one entry too many, never one too few.
      await this.write(index, [line, ...evicted.map(removalLine)]);
      for (const id of evicted) index.live.delete(id);
      index.live.add(entry.id);
      await this.compactIfDue(index);
    });
  }

  /** Live entries, oldest first. */
  list(): Promise<DeadLetterEntry[]> {
    return serialised(this.path, async () => this.visible(await this.reload()));
  }

  /** The live entry `id`, or undefined. */
  get(id: string): Promise<DeadLetterEntry | undefined> {
    return serialised(this.path, async () => this.visible(await this.reload()).find((e) => e.id === id));
  }

  /** Appends a tombstone for `id`; false when `id` is not live. */
  remove(id: string): Promise<boolean> {
    return serialised(this.path, async () => {
      const index = await this.load();
      if (!index.live.has(id)) return false;
      await this.write(index, [removalLine(id)]);
      index.live.delete(id);
      await this.compactIfDue(index);
      return true;
    });
  }

  /** Deletes the file; returns how many live entries it held. */
  purge(): Promise<number> {
    return serialised(this.path, async () => {
      const count = this.visible(await this.reload()).length;
      await rm(this.path, { force: true });
      await syncDir(dirname(this.path)).catch((error: unknown) => {
        if (!isCode(error, 'ENOENT')) throw error;
      });
      this.index = undefined;
      return count;
    });
  }

  /**
   * Entries as callers see them: the newest `maxEntries`. Normally all of them; fewer only when a
   * crash tore the write that carried an eviction's tombstone.
   */
  private visible(log: Log): DeadLetterEntry[] {
    return [...log.entries.values()].slice(-this.maxEntries);
  }

  private async reload(): Promise<Log> {
    const log = await readLog(this.path);
    this.index = {
      live: new Set(log.entries.keys()),
      lines: log.lines,
      ino: log.ino,
      size: log.size,
      endsClean: log.endsClean,
    };
    return log;
  }

  /** The cached index, reread when the file changed under it (another process, or by hand). */
  private async load(): Promise<Index> {
    if (this.index) {
      const current = await stat(this.path).catch((error: unknown) => {
        if (isCode(error, 'ENOENT')) return { ino: 0, size: 0 };
        throw error;
      });
      if (current.ino === this.index.ino && current.size === this.index.size) return this.index;
    }
    await this.reload();
    return this.index!;
  }

  /** Appends `lines` and fsyncs; terminates a torn last line first so the new line stays whole. */
  private async write(index: Index, lines: string[]): Promise<void> {
    const text = (index.endsClean ? '' : '\n') + lines.map((l) => `${l}\n`).join('');
    const bytes = Buffer.byteLength(text);
    const created = index.ino === 0;
    if (created) await mkdir(dirname(this.path), { recursive: true });
    const fh = await open(this.path, 'a');
    let ino: number;
    let size: number;
    try {
      await fh.writeFile(text);
      await fh.sync();
      ({ ino, size } = await fh.stat());
    } catch (error) {
      this.index = undefined; // unknown how much was written: reread next time
      throw error;
    } finally {
      await fh.close();
    }
    if (created) await syncDir(dirname(this.path));
    if (size !== index.size + bytes || (!created && ino !== index.ino)) {
      this.index = undefined; // someone else wrote too: our counts are stale
      return;
    }
    index.lines += lines.length;
    index.ino = ino;
    index.size = size;
    index.endsClean = true;
  }

  private async compactIfDue(index: Index): Promise<void> {
    const garbage = index.lines - index.live.size;
    if (garbage < Math.max(index.live.size, Math.min(this.maxEntries, MIN_GARBAGE_LINES))) return;
    try {
      await this.compact();
    } catch {
      // The change that led here is already durable and the old file is intact; a failed
      // compaction only leaves the file longer, and the next write tries again.
      this.index = undefined;
    }
  }

  /** Rewrites the file with live entries only: temp file, fsync, atomic rename, fsync the folder. */
  private async compact(): Promise<void> {
    const log = await readLog(this.path);
    const kept = this.visible(log);
    const temp = `${this.path}.${process.pid}.${randomUUID()}.tmp`;
    try {
      const fh = await open(temp, 'wx');
      try {
        await fh.writeFile(kept.map((e) => `${toDeadLetterJson(e)}\n`).join(''));
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(temp, this.path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await syncDir(dirname(this.path));
    await this.reload();
  }
}

function removalLine(id: string): string {
  return JSON.stringify({ op: 'remove', id } satisfies Removal);
}
