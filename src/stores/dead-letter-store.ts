/**
 * What a dead-letter store keeps and the interface every store implements (the file store now,
 * Redis Streams later). A store belongs to one policy: `list()` and `purge()` cover that policy's
 * entries only.
 */

/** The failure of a dead-lettered call, reduced to what survives JSON. */
export interface DeadLetterError {
  name: string;
  message: string;
  /** The error's `code` property when it has one (string or number, kept as a string). */
  code?: string;
}

/**
 * One dead-lettered call (SPEC §10). Everything in it is JSON: `args` is stored as described by
 * {@link toDeadLetterJson}, so a replay receives the JSON form of the original arguments.
 */
export interface DeadLetterEntry {
  /** A random UUID; stays the same across replays of the call. */
  id: string;
  /** Id of the `@DeadLetter` policy, `Class.method#deadLetter`. */
  policy: string;
  /** Id of the method (`Class.method`) the call was made to; replay calls this method. */
  method: string;
  /** The call's arguments; the `AbortSignal` argument is stored as `null`. */
  args: unknown[];
  error: DeadLetterError;
  /** Attempts made in total (by `@Retry`, and by every failed replay). */
  attempts: number;
  /** ISO 8601 time of the first failed attempt. */
  firstFailedAt: string;
  /** ISO 8601 time of the last failed attempt. */
  lastFailedAt: string;
}

/** Where a store keeps its entries, for `state()` and the CLI. */
export interface DeadLetterStoreInfo {
  /** `'file'`, `'redis'`, or the name of a custom store. */
  store: string;
  /** The file path (file store) or the stream key (Redis). */
  path: string;
}

/**
 * Durable storage of one policy's dead letters. Every method settles only once the change is
 * durable (the file store: written and fsync'd), so a caller that sees the promise resolve may
 * rely on the entry surviving a crash.
 */
export interface DeadLetterStore {
  /** Where the entries live. */
  info(): DeadLetterStoreInfo;
  /** Stores `entry`; an entry with an id already stored replaces that one (a failed replay). */
  append(entry: DeadLetterEntry): Promise<void>;
  /** Every live entry, oldest first. */
  list(): Promise<DeadLetterEntry[]>;
  /** The live entry `id`, or undefined. */
  get(id: string): Promise<DeadLetterEntry | undefined>;
  /** Removes entry `id`; false when there was none. */
  remove(id: string): Promise<boolean>;
  /** Removes every entry; returns how many there were. */
  purge(): Promise<number>;
}

/**
 * The JSON replacer of dead-letter args. JSON cannot hold every value, so: a `bigint` becomes its
 * decimal string, an `AbortSignal` becomes `null` (a signal means nothing in another process),
 * and `Date` becomes its ISO string through its own `toJSON`. What JSON itself drops stays
 * dropped: `undefined`, functions and symbols (`null` inside arrays), class identity (instances
 * become plain objects, `Map` and `Set` become `{}`), and `NaN`/`Infinity` (become `null`).
 */
export function deadLetterReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof AbortSignal !== 'undefined' && value instanceof AbortSignal) return null;
  return value;
}

/**
 * Serialises an entry to one line of JSON (no trailing newline) with {@link deadLetterReplacer}.
 * Throws a `TypeError` for arguments JSON cannot represent at all (a cycle).
 */
export function toDeadLetterJson(entry: DeadLetterEntry): string {
  return JSON.stringify(entry, deadLetterReplacer);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * True when `value` has the shape of a {@link DeadLetterEntry}. Stores check what they read, so a
 * line written by hand or by another version is skipped rather than handed to a replay.
 */
export function isDeadLetterEntry(value: unknown): value is DeadLetterEntry {
  if (!isObject(value) || !isObject(value.error)) return false;
  return (
    typeof value.id === 'string' &&
    typeof value.policy === 'string' &&
    typeof value.method === 'string' &&
    Array.isArray(value.args) &&
    typeof value.error.name === 'string' &&
    typeof value.error.message === 'string' &&
    typeof value.attempts === 'number' &&
    typeof value.firstFailedAt === 'string' &&
    typeof value.lastFailedAt === 'string'
  );
}
