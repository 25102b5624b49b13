import { configuration } from './config/configuration.js';
import type { ConfigDocument } from './config/config-snapshot.js';
import type { Clock } from './clock.js';
import { runtime } from './runtime.js';

/** Options of {@link configure}. */
export interface ConfigureOptions {
  /**
   * The configuration (SPEC §7): a path to a JSON file, or the document itself. Loaded and checked
   * at once (a {@link ConfigError} lists every problem) and applied to methods already defined.
   * Without it, the first decorated class loads `RESIL_CONFIG`, else `./resil.config.json` when present.
   */
  config?: string | ConfigDocument;
  /** Time source of every policy. Default {@link systemClock}. */
  clock?: Clock;
  /** Random numbers in [0, 1) for jitter. Default `Math.random`. */
  random?: () => number;
  /** Folder of the file dead-letter store. Default `.resil`. */
  deadLetterDir?: string;
  /** Bearer token that enables the admin routes of `resil/http` (`createHandler`'s own option wins). */
  adminToken?: string;
}

/**
 * Sets the runtime up. Call it before the first decorated class is used: policies read the clock
 * and random source from here on every call, the dead-letter folder when they first write.
 */
export function configure(options: ConfigureOptions): void {
  if (options.clock) runtime.clock = options.clock;
  if (options.random) runtime.random = options.random;
  if (options.deadLetterDir) runtime.deadLetterDir = options.deadLetterDir;
  if (options.adminToken !== undefined) runtime.adminToken = options.adminToken;
  if (options.config !== undefined) configuration.load(options.config);
}
