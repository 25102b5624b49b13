import { watch, readFile, type FSWatcher } from 'node:fs';
import path from 'node:path';

/** A running watch of the configuration file; see `config.watch()`. */
export interface ConfigWatcher {
  /** Stops watching. */
  close(): void;
}

/** Changes closer together than this are read once (an editor's save is often several events). */
const SETTLE_MS = 25;

/**
 * Calls `onText` with the file's text after each change to it. Watches the folder rather than the
 * file, so an editor that saves by writing a new file and renaming it over the old one is followed
 * too. Driven by file-system events, no polling; neither the watcher nor its settle timer keeps the
 * process alive. A file that cannot be read (removed, or mid-rename) is skipped until it can be.
 */
export function watchConfigFile(file: string, onText: (text: string) => void): ConfigWatcher {
  const name = path.basename(file);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const read = () => {
    timer = undefined;
    readFile(file, 'utf8', (error, text) => {
      if (!error && !closed) onText(text);
    });
  };
  const watcher: FSWatcher = watch(path.dirname(file), { persistent: false }, (_event, changed) => {
    if (closed || (changed !== null && changed !== name)) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(read, SETTLE_MS);
    timer.unref();
  });
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      watcher.close();
    },
  };
}
