import { systemClock, type Clock } from './clock.js';
import { EventHub } from './events.js';
import { Lifecycle } from './lifecycle.js';

/** What every policy reads its environment from. One instance per process (see {@link runtime}). */
export interface Runtime {
  clock: Clock;
  random: () => number;
  events: EventHub;
  /** Folder of the file dead-letter store. Default `.resil` under the working directory. */
  deadLetterDir: string;
  /** Calls in flight, draining, observers of calls. */
  lifecycle: Lifecycle;
  /** Bearer token of the admin routes of `resil/http`, when `createHandler` is not given one. */
  adminToken?: string;
}

const KEY = Symbol.for('resil.runtime');
type Global = typeof globalThis & { [KEY]?: Runtime };

/**
 * The process-wide runtime. Stored on `globalThis` under a registered symbol so that two copies of
 * the package loaded in one process share it (SPEC §13).
 */
export const runtime: Runtime = ((globalThis as Global)[KEY] ??= {
  clock: systemClock,
  random: Math.random,
  events: new EventHub(),
  deadLetterDir: '.resil',
  lifecycle: new Lifecycle(),
});
// A copy of the package older than the lifecycle may have created the runtime first.
runtime.lifecycle ??= new Lifecycle();
