import { randomUUID } from 'node:crypto';
import type { ResolvedDeadLetterOptions } from '../config/validate-options.js';
import { assertStoreAvailable } from '../stores/availability.js';
import { runtime, type Runtime } from '../runtime.js';
import type { DeadLetterEntry, DeadLetterError, DeadLetterStore, DeadLetterStoreInfo } from '../stores/dead-letter-store.js';
import { deadLetterFilePath, FileDeadLetterStore } from '../stores/file-dead-letter-store.js';
import { newStats, type Call, type MethodInfo, type Next, type Policy, type PolicyStats } from './policy.js';

/** `state()` of a {@link DeadLetterPolicy}: where its entries live. */
export type DeadLetterState = DeadLetterStoreInfo;

/** `stats()` of a {@link DeadLetterPolicy}. */
export interface DeadLetterStats extends PolicyStats {
  /** Entries written: failed calls, and failed replays updating their entry. */
  stored: number;
  /** Writes that failed (each also emitted `deadLetterError`). */
  storeErrors: number;
  /** Replays that succeeded and removed their entry. */
  replayed: number;
}

/** Reduces a thrown value to the JSON-able `{ name, message, code? }` of an entry. */
function describeError(error: unknown): DeadLetterError {
  if (typeof error === 'object' && error !== null) {
    const e = error as { name?: unknown; message?: unknown; code?: unknown };
    const out: DeadLetterError = {
      name: typeof e.name === 'string' ? e.name : (error.constructor?.name ?? 'Object'),
      message: typeof e.message === 'string' ? e.message : String(error),
    };
    if (typeof e.code === 'string' || typeof e.code === 'number') out.code = String(e.code);
    return out;
  }
  // A thrown primitive: its type is the closest thing to a name.
  return { name: typeof error, message: String(error) };
}

/**
 * `@DeadLetter`: stores every call that finally fails (after `@Retry` and everything below it) as a
 * {@link DeadLetterEntry}, durably, before the error reaches the caller, and rethrows that error
 * unchanged. A failure to store is reported through the `deadLetterError` event, never in place of
 * the user's error. Entries can be listed, replayed against an instance, and purged.
 */
export class DeadLetterPolicy implements Policy<DeadLetterState, DeadLetterStats> {
  readonly kind = 'deadLetter' as const;
  readonly methods: string[];
  readonly options: Readonly<ResolvedDeadLetterOptions>;
  private readonly counters: DeadLetterStats = { ...newStats(), stored: 0, storeErrors: 0, replayed: 0 };
  private readonly bound = new Map<string, { method: MethodInfo; next: Next }>();
  private readonly replaying = new Set<string>();
  private store: DeadLetterStore | undefined;

  /**
   * @param id the policy id, `Class.method#deadLetter`
   * @param store where entries go; default a {@link FileDeadLetterStore} under `env.deadLetterDir`,
   *   created at first use so that `configure({ deadLetterDir })` after class definition applies
   * @throws ConfigError for `store: 'redis'` without a store: the Redis store is not in this version
   */
  constructor(
    readonly id: string,
    private readonly method: MethodInfo,
    options: ResolvedDeadLetterOptions,
    private readonly env: Runtime = runtime,
    store?: DeadLetterStore,
  ) {
    assertStoreAvailable('deadLetter', method.id, options.store, store !== undefined);
    this.methods = [method.id];
    this.options = options;
    this.store = store;
  }

  /** Adds a method to a shared policy. */
  attach(method: MethodInfo): void {
    if (!this.methods.includes(method.id)) this.methods.push(method.id);
  }

  /**
   * Gives the policy the chain below it for `method`, which {@link replay} calls. The composer
   * calls it once per method.
   */
  bindNext(method: MethodInfo, next: Next): void {
    this.bound.set(method.id, { method, next });
  }

  /** Runs the call; on failure stores an entry, then rethrows the original error. */
  async execute(call: Call, next: Next): Promise<unknown> {
    this.counters.calls++;
    // Read before `next`: policies below may swap `call.args` for a copy holding their own signal.
    const args = call.args;
    try {
      const result = await next(call);
      this.counters.successes++;
      return result;
    } catch (error) {
      this.counters.failures++;
      await this.record(this.newEntry(call, args, error));
      throw error;
    }
  }

  /** Every stored entry of this policy, oldest first. */
  list(): Promise<DeadLetterEntry[]> {
    return this.storeOrCreate().list();
  }

  /** The entry `id`, or undefined. */
  get(id: string): Promise<DeadLetterEntry | undefined> {
    return this.storeOrCreate().get(id);
  }

  /** Removes the entry `id` without replaying it; false when there was none. */
  remove(id: string): Promise<boolean> {
    return this.storeOrCreate().remove(id);
  }

  /** Removes every entry; resolves with how many there were. */
  purge(): Promise<number> {
    return this.storeOrCreate().purge();
  }

  /**
   * Calls the method again with the stored args on `instance`, through the policies below this one
   * (a fresh retry budget, breaker, timeout). On success the entry is removed and the result
   * returned; on failure the entry is kept with the attempts added, the new error and
   * `lastFailedAt`, and the error is rethrown. The stored `null` for the `AbortSignal` argument is
   * passed as `undefined`.
   */
  async replay(id: string, instance: unknown): Promise<unknown> {
    if (this.replaying.has(id)) throw new Error(`resil: dead letter '${id}' of ${this.id} is already being replayed`);
    this.replaying.add(id);
    try {
      // A replay runs the method: refused while the process drains, and waited for by shutdown().
      return await this.env.lifecycle.track(this.methods[0]!, () => this.replayOnce(id, instance));
    } finally {
      this.replaying.delete(id);
    }
  }

  /** `{ store, path }` of the store, e.g. `{ store: 'file', path: '/app/.resil/dead-letters/….jsonl' }`. */
  state(): DeadLetterState {
    if (this.store) return this.store.info();
    return { store: 'file', path: deadLetterFilePath(this.env.deadLetterDir, this.id) };
  }

  /** Counters; `rejections` stays 0, as a dead letter never refuses a call. */
  stats(): DeadLetterStats {
    return { ...this.counters };
  }

  private async replayOnce(id: string, instance: unknown): Promise<unknown> {
    const store = this.storeOrCreate();
    const entry = await store.get(id);
    if (!entry) throw new Error(`resil: no dead letter '${id}' in ${this.id}`);
    const target = this.bound.get(entry.method);
    if (!target) throw new Error(`resil: ${this.id} cannot replay '${id}': method ${entry.method} is not bound yet`);
    const { method, next } = target;
    const args = [...entry.args];
    if (method.signalIndex >= 0 && method.signalIndex < args.length) args[method.signalIndex] = undefined;
    const call: Call = { self: instance, args, signal: undefined, attempts: 1, firstFailedAt: undefined, fromFallback: false, scope: undefined };
    let result: unknown;
    try {
      result = await next(call);
    } catch (error) {
      await this.record({
        ...entry,
        error: describeError(error),
        attempts: entry.attempts + call.attempts,
        lastFailedAt: new Date(this.env.clock.now()).toISOString(),
      });
      throw error;
    }
    this.counters.replayed++;
    try {
      await store.remove(id);
    } catch (error) {
      // The call went through; failing it now would invite a second, duplicate replay.
      this.emitError(id, error);
    }
    return result;
  }

  private newEntry(call: Call, args: unknown[], error: unknown): DeadLetterEntry {
    const now = this.env.clock.now();
    const stored = [...args];
    // A signal means nothing once the call is over; JSON would turn it into `{}` anyway.
    if (this.method.signalIndex >= 0 && this.method.signalIndex < stored.length) stored[this.method.signalIndex] = null;
    return {
      id: randomUUID(),
      policy: this.id,
      method: this.method.id,
      args: stored,
      error: describeError(error),
      attempts: call.attempts,
      firstFailedAt: new Date(call.firstFailedAt ?? now).toISOString(),
      lastFailedAt: new Date(now).toISOString(),
    };
  }

  /** Stores `entry`; never throws, so the caller always gets the user's error. */
  private async record(entry: DeadLetterEntry): Promise<void> {
    try {
      await this.storeOrCreate().append(entry);
    } catch (error) {
      this.counters.storeErrors++;
      this.emitError(entry.id, error);
      return;
    }
    this.counters.stored++;
    if (this.env.events.has('deadLetter')) this.env.events.emit('deadLetter', { policy: this.id, entryId: entry.id });
  }

  private emitError(entryId: string, error: unknown): void {
    if (this.env.events.has('deadLetterError')) {
      this.env.events.emit('deadLetterError', { policy: this.id, entryId, error });
    }
  }

  private storeOrCreate(): DeadLetterStore {
    this.store ??= new FileDeadLetterStore({
      dir: this.env.deadLetterDir,
      policy: this.id,
      maxEntries: this.options.maxEntries,
    });
    return this.store;
  }
}
