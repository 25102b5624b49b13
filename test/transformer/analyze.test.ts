import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeProject } from '../../transformer/analyze/index.js';
import type { DecoratorPlan, MethodPlan, PlanValue } from '../../transformer/plan.js';
import { analyze, ROOT, type Sources } from './support.js';

/** Each method as `id: kinds`, the kinds in plan order. */
const summary = (methods: MethodPlan[]) => methods.map((m) => `${m.id}: ${m.decorators.map((d) => d.kind).join(', ')}`);

describe('recognising resil decorators by symbol', () => {
  function doTest(input: Sources, expected: string[]) {
    const plan = analyze(input);
    expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(summary(plan.methods)).toEqual(expected);
  }

  it('named imports', () => {
    doTest(`import { Retry, Cached } from 'resil';\nexport class Shop { @Retry() @Cached() async charge(): Promise<number> { return 1; } }`, [
      'Shop.charge: cache, retry',
    ]);
  });
  it('renamed imports', () => {
    doTest(`import { Retry as Again, Cached as Memo } from 'resil';\nclass Shop { @Memo() @Again() async charge() { return 1; } }`, [
      'Shop.charge: cache, retry',
    ]);
  });
  it('a namespace import', () => {
    doTest(`import * as r from 'resil';\nclass Shop { @r.Retry() @r.CircuitBreaker() async charge() { return 1; } }`, [
      'Shop.charge: retry, circuitBreaker',
    ]);
  });
  it('re-exports through the project’s own barrel files', () => {
    doTest(
      {
        'src/lib/resilience.ts': `export { Retry as WithRetry } from 'resil';\nexport * from 'resil';`,
        'src/lib/index.ts': `export * from './resilience.js';\nexport { WithRetry as R2 } from './resilience.js';`,
        'src/app.ts': `import { WithRetry, R2, Timeout } from './lib/index.js';\nclass A { @WithRetry() @Timeout(5) async a(signal?: AbortSignal) { return 1; } }\nclass B { @R2() async b() { return 1; } }`,
      },
      ['A.a: retry, timeout', 'B.b: retry'],
    );
  });
  it('a same-named decorator of another package, or of the project, is not one', () => {
    doTest(
      {
        '/node_modules/other/package.json': JSON.stringify({ name: 'other', type: 'module', types: './index.d.ts' }),
        '/node_modules/other/index.d.ts': `export declare function Retry(o?: object): (...args: any[]) => any;`,
        'src/local.ts': `export function Cached(o?: object): (...args: any[]) => any { return (m: unknown) => m; }`,
        'src/app.ts': `import { Retry } from 'other';\nimport { Cached } from './local.js';\nimport { Timeout } from 'resil';\nclass Shop { @Retry() @Cached() @Timeout(5) async charge(signal: AbortSignal) { return 1; } }`,
      },
      ['Shop.charge: timeout'],
    );
  });
  it('a class without resil decorators gives no plan', () => {
    doTest(`function log(o?: object) { return (m: any, c: any) => m; }\nclass Plain { @log() run() {} }`, []);
  });
});

describe('the same plan under both decorator modes', () => {
  function doTest(input: Sources, methods: number) {
    const standard = analyze(input, { experimentalDecorators: false });
    const legacy = analyze(input, { experimentalDecorators: true, emitDecoratorMetadata: true });
    expect(legacy).toEqual(standard);
    expect(standard.methods).toHaveLength(methods);
  }

  it('gives identical plans and diagnostics', () => {
    doTest(
      `import { Retry, CircuitBreaker, Timeout, Cached, Fallback, Validated, Resilient } from 'resil';
@Resilient({ name: 'Payments' })
export class PaymentService {
  @Validated() @Retry({ maxAttempts: 4, backoff: 'exponential', baseDelayMs: 200 })
  @CircuitBreaker({ failureThreshold: 5, resetTimeoutMs: 30_000 }) @Timeout(2_000)
  async charge(amount: number, signal?: AbortSignal): Promise<string> { return String(amount); }
  @Cached({ ttlMs: 1000 }) @Fallback('none') static rates(): number[] { return []; }
  static none(): number[] { return []; }
  @Timeout(10) async slow() { return 1; }
}`,
      3,
    );
  });
});

describe('which methods are planned, and their ids', () => {
  type Site = Pick<MethodPlan, 'id' | 'className' | 'methodName' | 'file' | 'line' | 'column' | 'isStatic'>;
  function doTest(input: Sources, expected: Site[]) {
    const plan = analyze(input);
    expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(plan.methods.map(({ id, className, methodName, file, line, column, isStatic }) => ({ id, className, methodName, file, line, column, isStatic }))).toEqual(expected);
  }
  const site = (id: string, line: number, column: number, isStatic = false, file = 'src/app.ts'): Site => {
    const dot = id.indexOf('.');
    return { id, className: id.slice(0, dot), methodName: id.slice(dot + 1), file, line, column, isStatic };
  };

  it('methods of exported and non-exported classes, static methods', () => {
    doTest(
      `import { Cached } from 'resil';
export class A { @Cached() get1() { return 1; } }
class B { @Cached() static get2() { return 2; } }`,
      [site('A.get1', 2, 28), site('B.get2', 3, 28, true)],
    );
  });
  it('an overloaded method: the implementation is planned once', () => {
    doTest(
      `import { Cached } from 'resil';
class A {
  find(id: string): string;
  find(id: number): string;
  @Cached() find(id: string | number): string { return String(id); }
}`,
      [site('A.find', 5, 13)],
    );
  });
  it('methods of an abstract class', () => {
    doTest(
      `import { Retry } from 'resil';
export abstract class Base {
  abstract fetch(): Promise<number>;
  @Retry() async load(): Promise<number> { return this.fetch(); }
}`,
      [site('Base.load', 4, 18)],
    );
  });
  it('classes in namespaces, in functions, and class expressions named by their variable', () => {
    doTest(
      `import { Cached } from 'resil';
namespace Outer { export namespace Inner { export class N { @Cached() n() { return 1; } } } }
function make() { return class Made { @Cached() m() { return 1; } }; }
const Expr = class { @Cached() e() { return 1; } };
const Named = class Own { @Cached() o() { return 1; } };`,
      [site('Expr.e', 4, 32), site('Made.m', 3, 49), site('N.n', 2, 71), site('Own.o', 5, 37)],
    );
  });
  it('private and symbol-keyed methods, named as the runtime names them', () => {
    doTest(
      `import { Cached } from 'resil';
const key = Symbol('lookup');
const alias = key;
class S {
  @Cached() #secret() { return 1; }
  @Cached() [key]() { return 2; }
  @Cached() [alias]() { return 2; }
  @Cached() [Symbol.for('shared')]() { return 3; }
  @Cached() [Symbol.iterator]() { return 4; }
  @Cached() ['quoted name']() { return 5; }
  @Cached() 42() { return 6; }
}`,
      [
        site('S.#secret', 5, 13),
        site('S.42', 11, 13),
        site('S.[Symbol.iterator]', 9, 13),
        site('S.[lookup]', 6, 13),
        site('S.[lookup]', 7, 13),
        site('S.[shared]', 8, 13),
        site('S.quoted name', 10, 13),
      ],
    );
  });
  it('@Resilient({ name }) names the class in ids', () => {
    doTest(
      {
        'src/a/shop.ts': `import { Cached, Resilient } from 'resil';\n@Resilient({ name: 'ShopA' })\nexport class Shop { @Cached() list() { return 1; } }`,
        'src/b/shop.ts': `import { Cached, Resilient } from 'resil';\n@Resilient()\nexport class Shop { @Cached() list() { return 1; } }`,
      },
      [
        { ...site('Shop.list', 3, 31, false, 'src/b/shop.ts') },
        { ...site('ShopA.list', 3, 31, false, 'src/a/shop.ts') },
      ],
    );
  });
});

describe('parameters, return type and async', () => {
  type Signature = Pick<MethodPlan, 'parameters' | 'signalIndex' | 'returnType' | 'async'>;
  /** With the DOM lib, whose `AbortSignal` is the one users meet (Node's types declare the same). */
  function doTest(method: string, expected: Signature) {
    const source = `import { Cached, CircuitBreaker } from 'resil';\ninterface Req { id: string }\nclass C {\n  ${method}\n}`;
    const plan = analyze(source, { lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'] });
    const [m] = plan.methods;
    expect(m && { parameters: m.parameters, signalIndex: m.signalIndex, returnType: m.returnType, async: m.async }).toEqual(expected);
  }
  const param = (name: string, type: string, more: Partial<MethodPlan['parameters'][number]> = {}) => ({
    name,
    type,
    optional: false,
    rest: false,
    isAbortSignal: false,
    ...more,
  });

  it('an async method with an optional AbortSignal', () => {
    doTest(`@CircuitBreaker() async charge(req: Req, signal?: AbortSignal): Promise<string> { return req.id; }`, {
      parameters: [param('req', 'Req'), param('signal', 'AbortSignal', { optional: true, isAbortSignal: true })],
      signalIndex: 1,
      returnType: 'Promise<string>',
      async: true,
    });
  });
  it('a signal in the middle, a default value, a rest parameter, a destructured one', () => {
    doTest(`@CircuitBreaker() async run(s: AbortSignal | undefined, n = 3, { id }: Req, ...more: string[]) { return n; }`, {
      parameters: [
        param('s', 'AbortSignal | undefined', { isAbortSignal: true }),
        param('n', 'number', { optional: true }),
        param('', 'Req'),
        param('more', 'string[]', { rest: true }),
      ],
      signalIndex: 0,
      returnType: 'Promise<number>',
      async: true,
    });
  });
  it('a method without `async` that returns a Promise is async', () => {
    doTest(`@CircuitBreaker() fetch(id: string) { return Promise.resolve(id.length); }`, {
      parameters: [param('id', 'string')],
      signalIndex: -1,
      returnType: 'Promise<number>',
      async: true,
    });
  });
  it('a PromiseLike return type is async; a `this` parameter is not a parameter', () => {
    doTest(`@CircuitBreaker() fetch(this: C, id: string): PromiseLike<string> { return Promise.resolve(id); }`, {
      parameters: [param('id', 'string')],
      signalIndex: -1,
      returnType: 'PromiseLike<string>',
      async: true,
    });
  });
  it('a sync method stays sync', () => {
    doTest(`@Cached() total(a: number, b?: number): number { return a + (b ?? 0); }`, {
      parameters: [param('a', 'number'), param('b', 'number', { optional: true })],
      signalIndex: -1,
      returnType: 'number',
      async: false,
    });
  });
});

describe('decorator options', () => {
  function doTest(decorators: string, expected: Array<Pick<DecoratorPlan, 'kind' | 'options'>>, preamble = '') {
    const source = `import * as resil from 'resil';\nimport { Retry, CircuitBreaker, Timeout, RateLimit, Cached, Bulkhead, Fallback, DeadLetter, Validated } from 'resil';
class TransientError extends Error {}\nconst LIMIT = 5;\nconst base = { maxAttempts: 2 };\n${preamble}
class C {\n  ${decorators}\n  async m(userId: string, signal?: AbortSignal): Promise<number> { return 1; }\n  fallback(): number { return 0; }\n}`;
    const [m] = analyze(source).methods;
    expect(m?.decorators.map(({ kind, options }) => ({ kind, options }))).toEqual(expected);
  }
  const e = ($expr: string): PlanValue => ({ $expr });

  it('literals: strings, numbers, negatives, separators, booleans, null, templates, nested objects and arrays', () => {
    doTest(`@Retry({ maxAttempts: 4, backoff: 'linear', baseDelayMs: 1_000, multiplier: -1.5, jitter: \`none\` })
  @CircuitBreaker({ critical: true, name: "pay", windowSize: 0x10 }) @Fallback({ value: { list: [1, 'a', null, false] } })`, [
      { kind: 'fallback', options: { value: { list: [1, 'a', null, false] } } },
      { kind: 'retry', options: { maxAttempts: 4, backoff: 'linear', baseDelayMs: 1000, multiplier: -1.5, jitter: 'none' } },
      { kind: 'circuitBreaker', options: { critical: true, name: 'pay', windowSize: 16 } },
    ]);
  });
  it('expressions as their source text: identifiers, arrows, classes, calls, template literals with substitutions', () => {
    doTest(`@Retry({ maxAttempts: LIMIT, retryOn: [TransientError, 'x', 3], retryOnResult: (r) => r === undefined, onRetry })
  @RateLimit({ limit: Math.max(1, LIMIT), key: (id: string) => id, name: \`rl-\${LIMIT}\` })`, [
      {
        kind: 'retry',
        options: {
          maxAttempts: e('LIMIT'),
          retryOn: [e('TransientError'), 'x', 3],
          retryOnResult: e('(r) => r === undefined'),
          onRetry: e('onRetry'),
        },
      },
      { kind: 'rateLimit', options: { limit: e('Math.max(1, LIMIT)'), key: e('(id: string) => id'), name: e('`rl-${LIMIT}`') } },
    ], 'const onRetry = () => {};');
  });
  it('spreads and methods make the whole object one expression; a non-object argument is kept as $options', () => {
    doTest(`@Retry({ ...base, baseDelayMs: 5 }) @Bulkhead(resil.Bulkhead.length > 0 ? { maxConcurrent: 2 } : {})
  @CircuitBreaker({ recordOn: [...errors] }) @DeadLetter(undefined)`, [
      { kind: 'deadLetter', options: { $options: e('undefined') } },
      { kind: 'retry', options: { $options: e('{ ...base, baseDelayMs: 5 }') } },
      { kind: 'circuitBreaker', options: { recordOn: e('[...errors]') } },
      { kind: 'bulkhead', options: { $options: e('resil.Bulkhead.length > 0 ? { maxConcurrent: 2 } : {}') } },
    ], 'const errors = [TransientError];');
  });
  it('@Timeout(ms) and @Fallback(name) are normalised to objects, literal or typed expression', () => {
    doTest(`@Timeout(2_000) @Fallback('fallback') @Validated()`, [
      { kind: 'validated', options: undefined },
      { kind: 'fallback', options: { method: 'fallback' } },
      { kind: 'timeout', options: { ms: 2000 } },
    ]);
    doTest(`@Timeout(LIMIT * 100) @Fallback(NAME) @Cached(undefined as never)`, [
      { kind: 'cache', options: { $options: e('undefined as never') } },
      { kind: 'fallback', options: { method: e('NAME') } },
      { kind: 'timeout', options: { ms: e('LIMIT * 100') } },
    ], `const NAME: string = 'fallback';`);
    doTest(`@Timeout({ ms: 50 }) @Fallback({ method: 'fallback', on: [TransientError] })`, [
      { kind: 'fallback', options: { method: 'fallback', on: [e('TransientError')] } },
      { kind: 'timeout', options: { ms: 50 } },
    ]);
  });
});

describe('decorator order and positions', () => {
  function doTest(input: string, expected: Array<Pick<DecoratorPlan, 'kind' | 'importedAs' | 'line' | 'column'>>) {
    const [m] = analyze(input).methods;
    expect(m?.decorators.map(({ kind, importedAs, line, column }) => ({ kind, importedAs, line, column }))).toEqual(expected);
  }

  it('sorts decorators into SPEC §2 order, whatever order they were written in', () => {
    doTest(
      `import * as r from 'resil';\nimport { Bulkhead as B, Validated } from 'resil';
class C {
  @B() @r.Timeout(5) @r.RateLimit({ limit: 1 }) @r.CircuitBreaker() @r.Retry()
  @r.DeadLetter() @r.Fallback({ value: 0 }) @r.Cached() @Validated()
  async m(signal: AbortSignal) { return 1; }
}`,
      [
        { kind: 'validated', importedAs: 'Validated', line: 5, column: 57 },
        { kind: 'cache', importedAs: 'r.Cached', line: 5, column: 45 },
        { kind: 'fallback', importedAs: 'r.Fallback', line: 5, column: 19 },
        { kind: 'deadLetter', importedAs: 'r.DeadLetter', line: 5, column: 3 },
        { kind: 'retry', importedAs: 'r.Retry', line: 4, column: 69 },
        { kind: 'circuitBreaker', importedAs: 'r.CircuitBreaker', line: 4, column: 49 },
        { kind: 'rateLimit', importedAs: 'r.RateLimit', line: 4, column: 22 },
        { kind: 'timeout', importedAs: 'r.Timeout', line: 4, column: 8 },
        { kind: 'bulkhead', importedAs: 'B', line: 4, column: 3 },
      ],
    );
  });
});

describe('analyzeProject on a tsconfig on disk', () => {
  function doTest(tsconfig: string, expected: string[]) {
    const plan = analyzeProject({ tsconfig: join(ROOT, tsconfig) });
    expect(plan.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(summary(plan.methods)).toEqual(expected);
    expect(plan.methods.every((m) => m.file === 'src/shop.ts' && m.async)).toBe(true);
    expect(plan.files).toBe(4);
    // Plain data: what emitters and the manifest get survives JSON unchanged.
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  }

  it('plans the five methods of the bundled example', () => {
    doTest('fixtures/shop/tsconfig.json', [
      'ShopService.catalog: cache',
      'ShopService.checkout: rateLimit',
      'ShopService.price: fallback, circuitBreaker',
      'ShopService.ship: deadLetter, retry',
      'ShopService.stock: retry, timeout',
    ]);
  });
});
