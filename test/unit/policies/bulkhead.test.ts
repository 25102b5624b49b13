import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BulkheadPolicy } from '../../../src/policies/bulkhead.js';
import type { Call } from '../../../src/policies/policy.js';
import { methodInfo, recordEvents, testEnv } from '../../support/env.js';

const newCall = (signal?: AbortSignal): Call => ({ self: undefined, args: [], signal, attempts: 1, firstFailedAt: undefined, fromFallback: false, scope: undefined });

function setup(options: { maxConcurrent?: number; maxQueue?: number; queueTimeoutMs?: number } = {}) {
  const env = testEnv();
  const policy = new BulkheadPolicy('Svc.call#bulkhead', methodInfo(), { maxConcurrent: 10, maxQueue: 0, ...options }, env);
  return { env, policy };
}

/** A call that finishes when told to. */
function gate() {
  let open!: (v: string) => void;
  let fail!: (e: unknown) => void;
  const promise = new Promise<string>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { next: () => promise, open, fail };
}

beforeEach(() => vi.useFakeTimers());

describe('BulkheadPolicy', () => {
  it('runs up to maxConcurrent calls and refuses the next with BulkheadFullError', async () => {
    const { policy } = setup({ maxConcurrent: 2 });
    const g = gate();
    void policy.execute(newCall(), g.next);
    void policy.execute(newCall(), g.next);
    await expect(policy.execute(newCall(), g.next)).rejects.toMatchObject({ code: 'BULKHEAD_FULL' });
    expect(policy.state()).toEqual({ active: 2, queued: 0 });
  });

  it('defaults to 10 concurrent calls and no queue', async () => {
    const { policy } = setup();
    const g = gate();
    for (let i = 0; i < 10; i++) void policy.execute(newCall(), g.next);
    await expect(policy.execute(newCall(), g.next)).rejects.toMatchObject({ code: 'BULKHEAD_FULL' });
  });

  it('queues up to maxQueue calls and runs them in order as slots free', async () => {
    const { policy } = setup({ maxConcurrent: 1, maxQueue: 2 });
    const order: string[] = [];
    const first = gate();
    const p1 = policy.execute(newCall(), first.next);
    const p2 = policy.execute(newCall(), async () => order.push('second'));
    const p3 = policy.execute(newCall(), async () => order.push('third'));
    await expect(policy.execute(newCall(), first.next)).rejects.toMatchObject({ code: 'BULKHEAD_FULL' });
    expect(policy.state()).toEqual({ active: 1, queued: 2 });
    first.open('first');
    await Promise.all([p1, p2, p3]);
    expect(order).toEqual(['second', 'third']);
    expect(policy.state()).toEqual({ active: 0, queued: 0 });
  });

  it('refuses a call that waited queueTimeoutMs in the queue', async () => {
    const { policy } = setup({ maxConcurrent: 1, maxQueue: 1, queueTimeoutMs: 50 });
    const g = gate();
    void policy.execute(newCall(), g.next);
    const queued = policy.execute(newCall(), g.next).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(50);
    expect(await queued).toMatchObject({ code: 'BULKHEAD_FULL', message: 'waited 50 ms in the bulkhead queue' });
    expect(policy.state()).toEqual({ active: 1, queued: 0 });
  });

  it('releases the slot when the method throws synchronously', async () => {
    const { policy } = setup({ maxConcurrent: 1 });
    await expect(policy.execute(newCall(), () => { throw new Error('sync'); })).rejects.toThrow('sync');
    expect(policy.state().active).toBe(0);
  });

  it('releases the slot when the method rejects', async () => {
    const { policy } = setup({ maxConcurrent: 1 });
    await expect(policy.execute(newCall(), () => Promise.reject(new Error('async')))).rejects.toThrow('async');
    expect(policy.state().active).toBe(0);
  });

  it('leaves the queue when the caller’s signal aborts', async () => {
    const { policy } = setup({ maxConcurrent: 1, maxQueue: 1 });
    const g = gate();
    void policy.execute(newCall(), g.next);
    const controller = new AbortController();
    const queued = policy.execute(newCall(controller.signal), g.next).catch((e: unknown) => e);
    controller.abort(new Error('gone'));
    expect(await queued).toMatchObject({ message: 'gone' });
    expect(policy.state()).toEqual({ active: 1, queued: 0 });
  });

  it('emits a rejection event when full', async () => {
    const { policy, env } = setup({ maxConcurrent: 1 });
    const events = recordEvents(env, 'rejection');
    void policy.execute(newCall(), gate().next);
    await policy.execute(newCall(), gate().next).catch(() => {});
    expect(events).toEqual([['rejection', { policy: 'Svc.call#bulkhead', kind: 'bulkhead', code: 'BULKHEAD_FULL' }]]);
    expect(policy.stats()).toMatchObject({ calls: 2, rejections: 1 });
  });
});
