import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { emitAll, emitManifest, emitModule, emitSchema } from '../../transformer/emit/index.js';
import type { ProjectPlan } from '../../transformer/plan.js';
import { errorsOf, expectGolden, moduleHashes } from './emit-support.js';
import { analyze, type Sources } from './support.js';

/**
 * The emitter as text in, text out (STYLE.md practice 17): a decorated source is analysed in
 * memory and its generated module compared, byte for byte, with a golden file under golden/.
 * `UPDATE_GOLDEN=1` rewrites the golden files; review their diff like code. typecheck-generated.test.ts
 * compiles every golden module with tsc 6 and tsc 7 under a strict tsconfig.
 */

describe('the generated module of one method', () => {
  function doTest(input: string, golden: string): string {
    const plan = analyze(input);
    expect(errorsOf(plan)).toEqual([]);
    const module = emitModule(plan);
    expectGolden(golden, module);
    return module;
  }

  it('async retry, breaker and timeout, with an AbortSignal parameter', () => {
    const module = doTest(
      `import { CircuitBreaker, Retry, Timeout } from 'resil';
export class PaymentService {
  @Retry({ maxAttempts: 4, backoff: 'exponential', baseDelayMs: 200 })
  @CircuitBreaker({ failureThreshold: 5, resetTimeoutMs: 30_000 })
  @Timeout(2_000)
  async charge(amount: number, signal?: AbortSignal): Promise<string> { return String(amount); }
}`,
      'retry-breaker-timeout.ts',
    );
    expect(module).toContain('signal: args[1] instanceof AbortSignal ? args[1] : undefined');
  });

  it('a sync method under a breaker alone stays sync, with no Call object', () => {
    const module = doTest(
      `import { CircuitBreaker } from 'resil';
export class PriceList {
  @CircuitBreaker({ failureThreshold: 3, resetTimeoutMs: 1_000 })
  price(sku: string): number { return sku.length; }
}`,
      'sync-breaker.ts',
    );
    expect(module).toContain('async: false,');
    expect(module).not.toMatch(/\basync \(|\bawait\b|Promise|\bCall\b/);
  });

  it('cache, fallback, bulkhead and retry: the delegated layers, each calling the segment below it', () => {
    doTest(
      `import { Bulkhead, Cached, Fallback, Retry } from 'resil';
export class Inventory {
  @Cached({ ttlMs: 5_000, maxEntries: 100 })
  @Fallback('lastKnownStock')
  @Bulkhead({ maxConcurrent: 2, maxQueue: 4 })
  @Retry({ maxAttempts: 2, baseDelayMs: 10 })
  async stock(sku: string): Promise<number> { return sku.length; }

  async lastKnownStock(sku: string, error: unknown): Promise<number> { return error ? 0 : sku.length; }
}`,
      'cache-fallback-bulkhead-retry.ts',
    );
  });

  it('retry on a result, under a dead letter', () => {
    const module = doTest(
      `import { DeadLetter, Retry } from 'resil';
interface Job { id: string; status: 'pending' | 'done' }
export class Jobs {
  @DeadLetter({ maxEntries: 500 })
  @Retry({ maxAttempts: 5, baseDelayMs: 50, retryOnResult: (job: Job) => job.status === 'pending' })
  async submit(id: string): Promise<Job> { return { id, status: 'done' }; }
}`,
      'deadletter-retry-on-result.ts',
    );
    expect(module).toContain('retry.afterResult(');
    expect(module).toContain('deadLetter.bindNext(method, belowDeadLetter);');
  });

  it('options as one non-literal expression, and non-literal option values', () => {
    doTest(
      `import { Retry, Timeout, type RetryOptions } from 'resil';
class HttpError extends Error { status = 503; }
const retryOptions: RetryOptions = { maxAttempts: 3, backoff: 'linear' };
const TIMEOUT_MS = 1_500;
export class Client {
  @Retry(retryOptions)
  async get(url: string): Promise<string> { return url; }

  @Retry({ maxAttempts: 2, retryOn: [HttpError], baseDelayMs: TIMEOUT_MS / 10 })
  @Timeout(TIMEOUT_MS)
  async post(url: string, signal: AbortSignal): Promise<string> { return signal.aborted ? '' : url; }
}`,
      'non-literal-options.ts',
    );
  });

  it('a static method, and a method of a class named by @Resilient({ name })', () => {
    const module = doTest(
      `import { CircuitBreaker, Resilient, Retry } from 'resil';
export class Health {
  @CircuitBreaker()
  static ping(): boolean { return true; }
}
@Resilient({ name: 'Billing' })
export class BillingServiceV2 {
  @Retry({ maxAttempts: 2 })
  async invoice(id: string): Promise<string> { return id; }
}`,
      'static-and-named-class.ts',
    );
    expect(module).toContain('"Billing.invoice": {');
    expect(module).toContain('"Health.ping": {');
  });

  it('a rate limit that waits, behind validation', () => {
    doTest(
      `import { RateLimit, Validated } from 'resil';
interface Order {
  id: string;
  /** @minimum 1 */
  qty: number;
}
export class Orders {
  @Validated()
  @RateLimit({ limit: 10, intervalMs: 1_000, onLimit: 'wait', maxWaitMs: 500, key: 'order.id' })
  async place(order: Order): Promise<string> { return order.id; }
}`,
      'ratelimit-wait-validated.ts',
    );
  });

  it('validators of two methods sharing their types: a discriminated union, a recursive type, strict objects, a result', () => {
    const module = doTest(
      `import { Validated } from 'resil';
type Shape = { kind: 'circle'; radius: number } | { kind: 'square'; side: number };
interface Folder {
  /** @minLength 1 @maxLength 64 */
  name: string;
  children: Folder[];
}
export class Drawings {
  @Validated({ strict: true, returns: true })
  async draw(shapes: Shape[], into: Folder, scale?: number): Promise<Shape> { return shapes[0]!; }

  @Validated({ strict: true })
  rename(folder: Folder, ...tags: string[]): void {}
}`,
      'validated-shared-types.ts',
    );
    // Folder is written once, for both methods.
    expect(module.match(/^function is\d+\(v: unknown, d: number\): boolean/gm)).toHaveLength(module.match(/^function check\d+\(/gm)!.length);
    expect(module.match(/\/\*\* Fast path \(Folder\)/g)).toHaveLength(1);
    expect(module).toContain('validate: { strict: true, args: validateDrawingsDraw, result: validateResultDrawingsDraw },');
  });

  it('a sync method with delegated layers above an inline breaker stays sync', () => {
    const module = doTest(
      `import { Cached, CircuitBreaker, Fallback, Validated } from 'resil';
export class Rates {
  @Validated()
  @Cached({ ttlMs: 60_000 })
  @Fallback({ value: 1 })
  @CircuitBreaker({ strategy: 'count-window', windowSize: 20 })
  rate(currency: string): number { return currency.length; }
}`,
      'sync-delegated-breaker.ts',
    );
    expect(module).not.toMatch(/\basync \(|\bawait\b|Promise/);
  });
});

const twoFiles = {
  'src/payments.ts': `import { CircuitBreaker, Retry, Timeout } from 'resil';
export class Payments {
  @Retry({ maxAttempts: 3 }) @Timeout(500)
  async charge(amount: number, signal?: AbortSignal): Promise<number> { return amount; }
  @CircuitBreaker() refund(amount: number): number { return amount; }
}`,
  'src/catalog.ts': `import { Cached } from 'resil';
export class Catalog {
  @Cached({ ttlMs: 1_000 }) async list(): Promise<string[]> { return []; }
}`,
};

describe('determinism', () => {
  function doTest(first: ProjectPlan, second: ProjectPlan) {
    expect(emitAll(second)).toEqual(emitAll(first));
  }

  it('the same plan emitted twice gives the same text', () => {
    const plan = analyze(twoFiles);
    doTest(plan, plan);
  });
  it('a plan whose methods come in another order gives the same text', () => {
    const plan = analyze(twoFiles);
    doTest(plan, { ...plan, methods: [...plan.methods].reverse() });
  });
  it('the same project with its files given in another order gives the same text', () => {
    const reversed = Object.fromEntries(Object.entries(twoFiles).reverse());
    doTest(analyze(twoFiles), analyze(reversed));
  });
});

describe('the content hash', () => {
  const edited = {
    ...twoFiles,
    'src/catalog.ts': twoFiles['src/catalog.ts'].replace('ttlMs: 1_000', 'ttlMs: 2_000'),
  };

  function doTest(before: Sources, after: Sources, same: boolean) {
    const [a, b] = [emitModule(analyze(before)), emitModule(analyze(after))];
    const [hashA, hashB] = [moduleHashes(a), moduleHashes(b)];
    expect(hashA.header).toMatch(/^[0-9a-f]{16}$/);
    expect(hashA.registered).toBe(hashA.header);
    expect(hashB.registered).toBe(hashB.header);
    expect(hashA.header === hashB.header).toBe(same);
  }

  it('is the same for the same project', () => doTest(twoFiles, twoFiles, true));
  it('changes when one option of one method changes', () => doTest(twoFiles, edited, false));
  it('changes when a method is added', () => {
    const added = { ...twoFiles, 'src/more.ts': `import { Cached } from 'resil';\nexport class More { @Cached() one(): number { return 1; } }` };
    doTest(twoFiles, added, false);
  });
});

describe('methods with errors are left out', () => {
  function doTest(input: Sources, left: string[], kept: string[]) {
    const plan = analyze(input);
    expect(plan.methodsWithErrors).toEqual(left);
    const { module, manifest, schema } = emitAll(plan);
    for (const id of left) {
      expect(module).not.toContain(JSON.stringify(id));
      expect(manifest).not.toContain(JSON.stringify(id.split('.')[1]));
      expect(schema).not.toContain(JSON.stringify(id));
    }
    for (const id of kept) {
      expect(module).toContain(`${JSON.stringify(id)}: {`);
      expect(schema).toContain(`${JSON.stringify(id)}: {`);
    }
    expect(module).toContain(`// ${kept.length} method${kept.length === 1 ? "" : "s"} from`);
  }

  it('a waiting policy on a sync method, beside a sound method', () => {
    doTest(
      `import { Cached, Retry } from 'resil';
export class Mixed {
  @Retry() broken(): number { return 1; }
  @Cached() sound(): number { return 2; }
}`,
      ['Mixed.broken'],
      ['Mixed.sound'],
    );
  });
  it('whatever the plan holds, a method named in methodsWithErrors is not emitted', () => {
    const plan = analyze(twoFiles);
    const module = emitModule({ ...plan, methodsWithErrors: ['Payments.charge'] });
    expect(module).not.toContain('Payments.charge');
    expect(module).toContain('"Payments.refund": {');
  });
});

const smallProject = `import { Cached, CircuitBreaker, Retry, Timeout } from 'resil';
export class PaymentService {
  @Retry({ maxAttempts: 4, baseDelayMs: 200 })
  @CircuitBreaker({ strategy: 'count-window', failureRateThreshold: 25 })
  @Timeout(2_000)
  async charge(amount: number, signal?: AbortSignal): Promise<string> { return String(amount); }

  @Cached({ ttlMs: 10_000 })
  rates(): number[] { return [1, 2]; }
}`;

describe('the manifest and the schema of a small project', () => {
  function doTest(emit: (plan: ProjectPlan) => string, golden: string): unknown {
    const plan = analyze(smallProject);
    expect(errorsOf(plan)).toEqual([]);
    const text = emit(plan);
    expectGolden(golden, text);
    return JSON.parse(text);
  }

  it('the manifest', () => {
    doTest(emitManifest, 'small-project.manifest.json');
  });

  it('the schema is valid JSON Schema 2020-12 that takes a sound config and refuses unknown ids and wrong types', () => {
    const schema = doTest(emitSchema, 'small-project.schema.json') as object;
    const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);
    const config = (policies: object, defaults: object = { retry: { maxAttempts: 3 } }) => ({
      $schema: './resil.schema.json',
      enabled: true,
      defaults,
      policies,
    });
    const accepts = (value: object) => expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
    const refuses = (value: object) => expect(validate(value)).toBe(false);

    accepts(config({ 'PaymentService.charge': { enabled: true, retry: { maxAttempts: 5 }, timeout: { ms: 1_000 } } }));
    accepts(config({ 'PaymentService.rates': { cache: { ttlMs: 1 } } }));
    refuses(config({ 'PaymentService.refund': { enabled: true } }));
    refuses(config({ 'PaymentService.charge': { retry: { maxAttempts: 'five' } } }));
    refuses(config({ 'PaymentService.charge': { retry: { maxAtempts: 5 } } }));
    refuses(config({ 'PaymentService.rates': { retry: { maxAttempts: 5 } } }));
    refuses(config({}, { retry: { backoff: 'quadratic' } }));
    refuses({ ...config({}), enabled: 'yes' });
  });
});
