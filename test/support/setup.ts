import { afterEach, beforeEach, vi } from 'vitest';
import { configuration } from '../../src/config/configuration.js';
import { registry } from '../../src/registry/registry.js';
import { runtime } from '../../src/runtime.js';

// The library never logs (STYLE.md practice 18): any console output in a test is a failure.
const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
beforeEach(() => {
  registry.clear();
  configuration.reset();
  runtime.lifecycle.draining = false;
  for (const m of methods) {
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
      throw new Error(`console.${m} called in a test: ${args.map(String).join(' ')}`);
    });
  }
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});
