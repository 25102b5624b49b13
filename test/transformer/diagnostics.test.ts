import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, formatDiagnostic } from '../../transformer/diagnostics.js';
import type { Diagnostic } from '../../transformer/plan.js';
import { analyze, ROOT, type Sources } from './support.js';

const MUST_FAIL = join(ROOT, 'test', 'transformer', 'must-fail');
const fixtures = readdirSync(MUST_FAIL)
  .filter((f) => f.endsWith('.ts'))
  .sort();
const WARNINGS: readonly string[] = [
  DIAGNOSTIC_CODES.TIMEOUT_WITHOUT_SIGNAL,
  DIAGNOSTIC_CODES.RETRY_AROUND_BREAKER,
  DIAGNOSTIC_CODES.TIMEOUT_BELOW_DELAY,
];

describe('must-fail fixtures: each gives exactly the code its file name names', () => {
  /** `file` is analysed in both decorator modes; its `// expect CODE at line:col` comment says where. */
  function doTest(file: string, expected: { code: string; line: number; column: number }) {
    const source = readFileSync(join(MUST_FAIL, file), 'utf8');
    const standard = analyze({ [`src/${file}`]: source }, { experimentalDecorators: false });
    const legacy = analyze({ [`src/${file}`]: source }, { experimentalDecorators: true });
    expect(legacy.diagnostics).toEqual(standard.diagnostics);
    expect(standard.diagnostics.map(({ code, line, column }) => ({ code, line, column }))).toEqual([expected]);
    const [d] = standard.diagnostics as [Diagnostic];
    expect(d.severity).toBe(WARNINGS.includes(d.code) ? 'warning' : 'error');
    const [header, blank, quoted, caret] = formatDiagnostic(d).split('\n');
    expect(header).toBe(`src/${file}:${expected.line}:${expected.column} - ${d.severity} ${d.code}: ${d.message}`);
    expect(blank).toBe('');
    expect(quoted).toBe(`${expected.line} | ${source.split('\n')[expected.line - 1]}`);
    expect(caret).toBe(`${' '.repeat(String(expected.line).length)} | ${' '.repeat(expected.column - 1)}^`);
  }

  it.each(fixtures)('%s', (file) => {
    const code = /^(RSL\d{4})-/.exec(file)?.[1];
    const at = /\/\/ expect (RSL\d{4}) at (\d+):(\d+)/.exec(readFileSync(join(MUST_FAIL, file), 'utf8'));
    expect(at?.[1]).toBe(code);
    doTest(file, { code: code!, line: Number(at![2]), column: Number(at![3]) });
  });

  it('every code has a fixture', () => {
    const covered = new Set(fixtures.map((f) => f.slice(0, 'RSL1000'.length)));
    expect(Object.values(DIAGNOSTIC_CODES).filter((code) => !covered.has(code))).toEqual([]);
  });
});

describe('messages', () => {
  /** Each diagnostic as `line:col code message`. */
  function doTest(input: Sources, expected: string[]) {
    const plan = analyze(input);
    expect(plan.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual(expected);
  }
  const shop = (members: string, imports = 'Retry, Timeout, Cached, Fallback, CircuitBreaker, RateLimit, Resilient') =>
    `import { ${imports} } from 'resil';\nexport class Shop {\n${members}\n}`;

  it('say what the runtime says at class definition', () => {
    doTest(shop(`@Retry({ maxAttempts: 2.5, backoff: 'exponental', budgetMs: 0 }) async a() { return 1; }`), [
      '3:23 RSL1002 @Retry on Shop.a: maxAttempts must be an integer >= 1, got 2.5',
      "3:37 RSL1002 @Retry on Shop.a: backoff must be one of 'exponential', 'linear', 'fixed', 'fibonacci', 'decorrelated', got \"exponental\"",
      '3:61 RSL1002 @Retry on Shop.a: budgetMs must be an integer >= 1, got 0',
    ]);
  });
  it('cross-option rules use literals and defaults, never guesses about expressions', () => {
    doTest(
      shop(`@Retry({ baseDelayMs: 40_000 }) async a() { return 1; }
@Retry({ baseDelayMs: 40_000, maxDelayMs: MAX }) async b() { return 1; }
@Fallback({ method: 'c', value: 1 }) c() { return 1; }
@Fallback({ on: [Error] }) d() { return 1; }`) + '\nconst MAX = 60_000;',
      [
        '3:23 RSL1002 @Retry on Shop.a: baseDelayMs must be <= maxDelayMs (30000), got 40000',
        '5:1 RSL1002 @Fallback on Shop.c: give exactly one of method or value',
        '5:21 RSL1006 @Fallback on Shop.c: the fallback method cannot be the method itself',
        '6:1 RSL1003 @Fallback on Shop.d: give exactly one of method or value',
      ],
    );
  });
  it('options that are not an object, decorators not called, @Resilient names that are not literals', () => {
    doTest(
      `import { Retry, Cached, Resilient } from 'resil';\nconst NAME = 'Store';\n@Resilient({ name: NAME })\nexport class Shop {\n` +
        `@Retry(3) async a() { return 1; }\n@Cached async b() { return 1; }\n@Resilient() async c() { return 1; }\n}`,
      [
        "3:20 RSL1002 @Resilient: name must be a string literal, so that resil gen knows the ids of the class's methods",
        '5:8 RSL1002 @Retry on Shop.a: options must be an object, got 3',
        '6:1 RSL1002 @Cached on Shop.b must be called: write @Cached(…)',
        '7:1 RSL1010 @Resilient decorates classes, not the method Shop.c',
      ],
    );
  });
  it('decorators on members that are not method implementations', () => {
    doTest(
      `import { Cached, Retry } from 'resil';\nexport abstract class Shop {\n@Retry() abstract a(): Promise<number>;\n` +
        `@Cached() get b() { return 1; }\n@Cached() accessor c = 1;\n}`,
      [
        '3:1 RSL1010 @Retry decorates method implementations, not a method without a body (abstract, or an overload signature)',
        '4:1 RSL1010 @Cached decorates method implementations, not an accessor',
        '5:1 RSL1010 @Cached decorates method implementations, not a property',
      ],
    );
  });
  it('fallbacks: inherited and static ones are found; incompatible parameter types are not callable', () => {
    doTest(
      `import { Fallback } from 'resil';
class Base { protected backup(id: string, error: unknown) { return 0; } static backupAll() { return []; } }
export class Shop extends Base {
@Fallback('backup') a(id: string) { return 1; }
@Fallback('backupAll') static b(): number[] { return [1]; }
@Fallback('backup') c(id: number) { return 1; }
@Fallback('backupAll') d() { return [1]; }
@Fallback('field') e() { return 1; }
field = 3;
}`,
      [
        "6:11 RSL1006 @Fallback on Shop.c: 'backup' (id: string, error: unknown): number cannot be called with the arguments of c (number) and the error",
        "7:11 RSL1006 @Fallback on Shop.d: no method 'backupAll' on Shop",
        "8:11 RSL1006 @Fallback on Shop.e: 'field' on Shop is not a method",
      ],
    );
  });
  it('retryOn naming a base class of BrokenCircuitError; an expression key is not checked', () => {
    doTest(
      `import { CircuitBreaker, Retry, RateLimit, ResilError } from 'resil';\nexport class Shop {
@Retry({ retryOn: [Error] }) @CircuitBreaker() async a(signal?: AbortSignal) { return 1; }
@Retry({ retryOn: ResilError }) @CircuitBreaker() async b() { return 1; }
@RateLimit({ limit: 1, key: (id: string) => id }) async c(id: string) { return 1; }
}`,
      [
        '3:20 RSL1012 @Retry on Shop.a: retryOn names Error, which BrokenCircuitError extends, so calls refused by the open @CircuitBreaker are retried, each one refused again at once',
        '4:19 RSL1012 @Retry on Shop.b: retryOn names ResilError, which BrokenCircuitError extends, so calls refused by the open @CircuitBreaker are retried, each one refused again at once',
      ],
    );
  });
});

describe('analysis goes on after each mistake', () => {
  function doTest(input: Sources, expected: { methods: string[]; methodsWithErrors: string[]; codes: string[] }) {
    const plan = analyze(input);
    expect({
      methods: plan.methods.map((m) => m.id),
      methodsWithErrors: plan.methodsWithErrors,
      codes: plan.diagnostics.map((d) => d.code),
    }).toEqual(expected);
  }

  it('plans methods with errors, names them, and reports every problem in file order', () => {
    doTest(
      {
        'src/a.ts': `import { Retry, Cached } from 'resil';\nexport class A {\n@Retry({ maxAttempts: 0, tries: 2 }) sync() { return 1; }\n@Cached() fine() { return 2; }\n}`,
        'src/b.ts': `import { Cached, Timeout } from 'resil';\nexport class B {\n@Cached({ key: 'nope' }) @Cached() x(id: string) { return id; }\n@Timeout(5) async y() {}\n}`,
      },
      {
        methods: ['A.fine', 'A.sync', 'B.x', 'B.y'],
        methodsWithErrors: ['A.sync', 'B.x'],
        codes: ['RSL1004', 'RSL1002', 'RSL1001', 'RSL1005', 'RSL1008', 'RSL1011'],
      },
    );
  });
});

describe('formatDiagnostic', () => {
  function doTest(input: Diagnostic, expected: string) {
    expect(formatDiagnostic(input)).toBe(expected);
  }
  const at = (line: number, column: number, sourceLine: string): Diagnostic => ({
    code: 'RSL1001',
    severity: 'error',
    message: 'bad',
    file: 'src/a.ts',
    line,
    column,
    sourceLine,
  });

  it('quotes the line with its number and puts a caret under the column', () => {
    doTest(at(12, 5, '  @Retry({ x: 1 })'), ['src/a.ts:12:5 - error RSL1001: bad', '', '12 |   @Retry({ x: 1 })', '   |     ^'].join('\n'));
  });
  it('keeps tabs under tabs so the caret lines up', () => {
    doTest(at(3, 3, '\t\t@Retry()'), ['src/a.ts:3:3 - error RSL1001: bad', '', '3 | \t\t@Retry()', '  | \t\t^'].join('\n'));
  });
});
