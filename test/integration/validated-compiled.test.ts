import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { compiledMethods } from '../../src/generated.js';
import { registry } from '../../src/index.js';
import { loadGenerated } from '../support/generated.js';

type Fixture = typeof import('../fixtures-src/validated.js');
type Orders = InstanceType<ReturnType<Fixture['validatedOrders']>>;

/**
 * `@Validated` in compiled mode, on the tsc-compiled fixture run with its generated module: the
 * validators generated from the declared types run before every other policy, so invalid input
 * spends no retry attempt, no rate-limit token, no breaker failure and no cache entry.
 */

let unload: (() => void) | undefined;
let fixture: Fixture;
beforeAll(async () => {
  unload = await loadGenerated();
  fixture = (await import('../.compiled/standard/validated.js' as string)) as Fixture;
});
afterAll(() => unload?.());

const ID = 'ValidatedOrders.place';
const valid = { id: 'o-1', lines: [{ sku: 'tea', qty: 2 }] };

function fresh(): Orders {
  registry.clear();
  return new (fixture.validatedOrders())();
}

async function rejection(promise: Promise<unknown>): Promise<ValidationError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('@Validated in compiled mode', () => {
  it('runs the generated validators and gives no runtime-mode notice', async () => {
    const orders = fresh();
    await orders.place(valid);
    expect(compiledMethods()).toContain(ID);
    expect(registry.get(`${ID}#validated`)!.state()).toMatchObject({ mode: 'compiled' });
    expect(registry.notices().filter((n) => n.method === ID)).toEqual([]);
  });

  it('rejects with every issue of the declared type, undeclared properties included (strict)', async () => {
    const orders = fresh();
    const error = await rejection(orders.place({ id: 'o-1', lines: [{ sku: 'a', qty: 1 }, { sku: '', qty: 1001 }], extra: true } as never));
    expect(error.issues).toEqual([
      { path: 'req.lines[1].sku', expected: 'string of at least 1 character', received: 'string ""' },
      { path: 'req.lines[1].qty', expected: 'integer <= 1000', received: 'number 1001' },
      { path: 'req.extra', expected: 'no property', received: 'boolean true' },
    ]);
  });

  it('invalid input spends no retry attempt, no rate-limit token, no breaker failure and no cache entry', async () => {
    const orders = fresh();
    for (let i = 0; i < 10; i++) await rejection(orders.place({ id: 'o-1', lines: [{ sku: 'tea', qty: 0 }] }));
    expect(orders.calls).toBe(0);
    for (const kind of ['cache', 'retry', 'circuitBreaker', 'rateLimit']) {
      expect(registry.get(`${ID}#${kind}`)!.stats().calls, kind).toBe(0);
    }
    expect(registry.get(`${ID}#circuitBreaker`)!.state()).toMatchObject({ state: 'closed' });
    expect(registry.get(`${ID}#cache`)!.state()).toMatchObject({ size: 0, misses: 0 });
    expect(registry.get(`${ID}#validated`)!.stats()).toMatchObject({ calls: 10, rejections: 10 });
    // Ten refusals, and the limiter (5 per second) still has every token for valid calls.
    for (let i = 0; i < 5; i++) await expect(orders.place({ id: `o-${i}`, lines: [{ sku: 'tea', qty: 1 }] })).resolves.toEqual({ id: `o-${i}`, total: 1 });
  });

  it('returns: true checks the resolved result', async () => {
    const orders = fresh();
    const error = await rejection(orders.place({ ...valid, note: 'refund' }));
    expect(error.issues).toEqual([{ path: 'result.total', expected: 'number >= 0', received: 'number -2' }]);
  });
});
