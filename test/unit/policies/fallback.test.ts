import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../../src/config/validate-options.js';
import type { FallbackOptions } from '../../../src/options.js';
import { FallbackPolicy } from '../../../src/policies/fallback.js';
import type { Call } from '../../../src/policies/policy.js';
import { methodInfo, recordEvents, testEnv } from '../../support/env.js';

const newCall = (self: unknown = undefined, args: unknown[] = []): Call => ({ self, args, signal: undefined, attempts: 1, firstFailedAt: undefined, fromFallback: false, scope: undefined });

function setup(options: FallbackOptions) {
  const env = testEnv();
  return { env, policy: new FallbackPolicy('Svc.call#fallback', methodInfo(), resolveOptions('fallback', options, 'Svc.call'), env) };
}

describe('FallbackPolicy', () => {
  it('answers a rejection with the value', async () => {
    const { policy } = setup({ value: 'cached answer' });
    await expect(policy.execute(newCall(), () => Promise.reject(new Error('down')))).resolves.toBe('cached answer');
  });

  it('answers with a method of the instance, given the arguments and the error last', async () => {
    const { policy } = setup({ method: 'backup' });
    const self = { backup: (id: string, error: Error) => `backup ${id}: ${error.message}` };
    await expect(policy.execute(newCall(self, ['a']), () => Promise.reject(new Error('down')))).resolves.toBe('backup a: down');
  });

  it('stays synchronous for a synchronous method', () => {
    const { policy } = setup({ value: 0 });
    const result = policy.execute(newCall(), () => {
      throw new Error('sync');
    });
    expect(result).toBe(0);
  });

  it('passes results through untouched', () => {
    const { policy } = setup({ value: 0 });
    expect(policy.execute(newCall(), () => 42)).toBe(42);
  });

  it('handles only the errors `on` names; others pass through unchanged', async () => {
    const { policy } = setup({ value: 'fb', on: [RangeError] });
    const other = new TypeError('type');
    await expect(policy.execute(newCall(), () => Promise.reject(other))).rejects.toBe(other);
    await expect(policy.execute(newCall(), () => Promise.reject(new RangeError('range')))).resolves.toBe('fb');
  });

  it('marks the call as answered by the fallback and emits an event', async () => {
    const { policy, env } = setup({ value: 'fb' });
    const events = recordEvents(env, 'fallback');
    const call = newCall();
    const error = new Error('down');
    await policy.execute(call, () => Promise.reject(error));
    expect(call.fromFallback).toBe(true);
    expect(events).toEqual([['fallback', { policy: 'Svc.call#fallback', method: 'Svc.call', error }]]);
    expect(policy.stats()).toMatchObject({ calls: 1, fallbacks: 1 });
  });

  it('needs exactly one of method or value', () => {
    expect(() => resolveOptions('fallback', {}, 'Svc.call')).toThrow('give exactly one of method or value');
    expect(() => resolveOptions('fallback', { method: 'x', value: 1 }, 'Svc.call')).toThrow('give exactly one of method or value');
  });

  it('accepts undefined as a fallback value', async () => {
    const { policy } = setup({ value: undefined });
    await expect(policy.execute(newCall(), () => Promise.reject(new Error('x')))).resolves.toBeUndefined();
  });
});
