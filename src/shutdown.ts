import { runtime } from './runtime.js';
import { registry } from './registry/registry.js';

/** Options of {@link shutdown}. */
export interface ShutdownOptions {
  /** How long in-flight calls may take to finish, ms. Default 10000. */
  timeoutMs?: number;
}

/** What {@link shutdown} reports. */
export interface ShutdownResult {
  /** True when every in-flight call finished before the deadline. */
  drained: boolean;
  /** Calls still in flight at the deadline (0 when drained). */
  inFlight: number;
}

/**
 * Stops the runtime gracefully: readiness fails at once and new decorated calls are refused with
 * `ShuttingDownError`; calls in flight — with their dead-letter writes, which finish before their
 * caller sees the error — may finish until `timeoutMs`; then the policies release their idle timers
 * and the health monitor stops, so no timer is left behind. It never exits the process.
 */
export async function shutdown(options: ShutdownOptions = {}): Promise<ShutdownResult> {
  const { timeoutMs = 10_000 } = options;
  const { lifecycle, clock } = runtime;
  lifecycle.draining = true;
  let timer: unknown;
  const deadline = new Promise<false>((resolve) => {
    timer = clock.setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const drained = await Promise.race([lifecycle.idle().then(() => true as const), deadline]);
    return { drained, inFlight: lifecycle.inFlight };
  } finally {
    clock.clearTimeout(timer);
    registry.closePolicies();
    registry.stopMonitoring();
  }
}

/** Options of {@link installShutdownHandlers}. */
export interface ShutdownHandlerOptions extends ShutdownOptions {
  /** Signals to handle. Default `['SIGTERM', 'SIGINT']`. */
  signals?: NodeJS.Signals[];
  /** Called once draining has begun, e.g. to close the HTTP server: `() => new Promise((r) => server.close(() => r()))`. */
  close?: () => void | Promise<void>;
  /** Exit the process when done (code 0 if drained, 1 if not). Default false: the library never exits on its own. */
  exit?: boolean;
}

/**
 * Runs {@link shutdown} on SIGTERM and SIGINT. The handlers are removed once a signal arrives, so a
 * second signal has its default effect. Returns a function that removes them.
 */
export function installShutdownHandlers(options: ShutdownHandlerOptions = {}): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const remove = () => {
    for (const s of signals) process.off(s, onSignal);
  };
  const onSignal = () => {
    remove();
    // A `close` that throws synchronously must not crash the signal handler.
    const closing = Promise.resolve().then(() => options.close?.());
    void Promise.all([shutdown(options), closing]).then(
      ([result]) => {
        if (options.exit) process.exit(result.drained ? 0 : 1);
      },
      () => {
        if (options.exit) process.exit(1);
      },
    );
  };
  for (const s of signals) process.on(s, onSignal);
  return remove;
}
