import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/clock.js';
import { EventHub, type ResilEvents } from '../../src/events.js';
import type { MethodInfo } from '../../src/policies/policy.js';
import { Lifecycle } from '../../src/lifecycle.js';
import type { Runtime } from '../../src/runtime.js';

/**
 * A runtime for unit tests: the system clock (drive it with `vi.useFakeTimers()`), a fixed random
 * source, a private event hub and a fresh dead-letter folder.
 */
export function testEnv(overrides: Partial<Runtime> = {}): Runtime {
  return {
    clock: systemClock,
    random: () => 0.5,
    events: new EventHub(),
    deadLetterDir: mkdtempSync(join(tmpdir(), 'resil-test-')),
    lifecycle: new Lifecycle(),
    ...overrides,
  };
}

/** Collects every event of the given types, in order, as `[type, payload]`. */
export function recordEvents(env: Runtime, ...types: (keyof ResilEvents)[]): [keyof ResilEvents, unknown][] {
  const seen: [keyof ResilEvents, unknown][] = [];
  for (const type of types) env.events.on(type, (e) => seen.push([type, e]));
  return seen;
}

/** A MethodInfo for policies tested on their own. */
export function methodInfo(overrides: Partial<MethodInfo> = {}): MethodInfo {
  return {
    id: 'Svc.call',
    className: 'Svc',
    methodName: 'call',
    paramNames: [],
    signalIndex: -1,
    async: true,
    ...overrides,
  };
}
