import { configuration } from './configuration.js';
import type { ConfigWatcher } from './watch-config.js';

/** The configuration of the process, as the package exports it (SPEC §7). */
export const config = {
  /**
   * Watches the configuration file and applies each change to the running policies: a breaker
   * keeps its state, a memory rate limiter its tokens where the change allows. A `configChange`
   * event says which methods changed; an invalid change keeps the configuration in force and
   * emits `configError` with the {@link ConfigError}. File-system events, no polling; it keeps no
   * process alive. Throws when the configuration was given as an object.
   */
  watch(): ConfigWatcher {
    return configuration.watch();
  },
  /**
   * Reads the configuration file and the environment again and applies them now. Throws one
   * {@link ConfigError} listing every problem; the configuration in force then stays.
   * @returns ids of the methods whose options or switch changed, sorted
   */
  reload(): string[] {
    return configuration.reload();
  },
  /** The configuration file in force, absolute; undefined when none was read. */
  file(): string | undefined {
    return configuration.current().file;
  },
};
