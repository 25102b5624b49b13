import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { BulkheadPolicy } from '../../../src/policies/bulkhead.js';
import type { Call } from '../../../src/policies/policy.js';
import { methodInfo, testEnv } from '../../support/env.js';

type Exit = 'resolve' | 'reject' | 'sync-throw';
type Action =
  | { type: 'call'; exit: Exit; abortable: boolean }
  | { type: 'settle'; index: number }
  | { type: 'abort'; index: number }
  | { type: 'tick'; ms: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ type: fc.constant('call' as const), exit: fc.constantFrom<Exit>('resolve', 'reject', 'sync-throw'), abortable: fc.boolean() }),
  fc.record({ type: fc.constant('settle' as const), index: fc.nat(20) }),
  fc.record({ type: fc.constant('abort' as const), index: fc.nat(20) }),
  fc.record({ type: fc.constant('tick' as const), ms: fc.integer({ min: 1, max: 40 }) }),
);

describe('BulkheadPolicy (model)', () => {
  it('never runs more than maxConcurrent calls and releases its permit on every exit path', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 4 }),
        fc.option(fc.integer({ min: 5, max: 60 }), { nil: undefined }),
        fc.array(action, { maxLength: 60 }),
        async (maxConcurrent, maxQueue, queueTimeoutMs, actions) => {
          vi.useFakeTimers();
          const policy = new BulkheadPolicy('M#bulkhead', methodInfo(), { maxConcurrent, maxQueue, queueTimeoutMs }, testEnv());
          let running = 0;
          let peak = 0;
          const settlers: (() => void)[] = [];
          const controllers: AbortController[] = [];
          const outcomes: Promise<unknown>[] = [];
          const check = () => {
            const { active, queued } = policy.state();
            expect(active).toBeLessThanOrEqual(maxConcurrent);
            expect(queued).toBeLessThanOrEqual(maxQueue);
            expect(running).toBeLessThanOrEqual(maxConcurrent);
          };
          for (const a of actions) {
            if (a.type === 'call') {
              const controller = a.abortable ? new AbortController() : undefined;
              if (controller) controllers.push(controller);
              const call: Call = { self: undefined, args: [], signal: controller?.signal, attempts: 1, firstFailedAt: undefined, fromFallback: false, scope: undefined };
              outcomes.push(
                policy
                  .execute(call, () => {
                    running++;
                    peak = Math.max(peak, running);
                    if (a.exit === 'sync-throw') {
                      running--;
                      throw new Error('sync');
                    }
                    return new Promise((resolve, reject) =>
                      settlers.push(() => {
                        running--;
                        if (a.exit === 'resolve') resolve('ok');
                        else reject(new Error('async'));
                      }),
                    );
                  })
                  .catch(() => {}),
              );
            } else if (a.type === 'settle' && settlers.length > 0) {
              settlers.splice(a.index % settlers.length, 1)[0]!();
            } else if (a.type === 'abort' && controllers.length > 0) {
              controllers[a.index % controllers.length]!.abort(new Error('aborted'));
            } else if (a.type === 'tick') {
              await vi.advanceTimersByTimeAsync(a.ms);
            }
            await vi.advanceTimersByTimeAsync(0);
            check();
          }
          // Drain: finish everything still running or queued.
          for (let guard = 0; guard < 1000 && (settlers.length > 0 || policy.state().queued > 0); guard++) {
            settlers.shift()?.();
            await vi.advanceTimersByTimeAsync(100);
            check();
          }
          await Promise.all(outcomes);
          expect(policy.state()).toEqual({ active: 0, queued: 0 });
          expect(peak).toBeLessThanOrEqual(maxConcurrent);
          expect(vi.getTimerCount()).toBe(0);
          vi.useRealTimers();
        },
      ),
      { numRuns: 200 },
    );
  });
});
