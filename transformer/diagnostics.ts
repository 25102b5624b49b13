import { posix } from 'node:path';
import { ts } from 'ts-morph';
import type { Diagnostic, DiagnosticSeverity } from './plan.js';

/**
 * The coded diagnostics of analysis (SPEC §12). A user mistake is reported on the offending line
 * with its code, and the run goes on (STYLE.md practice 14).
 *
 * | code    | severity | meaning |
 * |---------|----------|---------|
 * | RSL1001 | error    | unknown decorator option (with a did-you-mean) |
 * | RSL1002 | error    | option value of the wrong type or out of range (literals checked against OPTION_SPECS); options that are not an object; `@Resilient` name that is not a string literal; a resil decorator used without a call (`@Retry` for `@Retry()`) |
 * | RSL1003 | error    | required option missing (`@RateLimit` without `limit`, `@Timeout` without `ms`) |
 * | RSL1004 | error    | waiting policy (`@Retry`, `@Timeout`, `@Bulkhead`, `@DeadLetter`, `@RateLimit` with `onLimit: 'wait'`) on a method that does not return a promise |
 * | RSL1005 | error    | a literal `key` whose first segment names no parameter |
 * | RSL1006 | error    | `@Fallback` method missing on the class, the method itself, not a method, or not callable with the method's arguments and the error |
 * | RSL1007 | error    | `@Cached` on a method returning nothing (`void`, `undefined`, `Promise<void>`) |
 * | RSL1008 | error    | the same resil decorator twice on one method |
 * | RSL1009 | error    | two classes with one name, both with decorated methods: their method ids would collide |
 * | RSL1010 | error    | a resil method decorator on something that is not a method implementation (property, accessor, class, abstract method), or `@Resilient` on a member |
 * | RSL1011 | warning  | `@Timeout` on a method with no `AbortSignal` parameter: the work is abandoned, not cancelled |
 * | RSL1012 | warning  | a literal `retryOn` naming `BrokenCircuitError` (or a base class of it) on a method that also has `@CircuitBreaker` |
 * | RSL1013 | warning  | `@Timeout` `ms` shorter than the first retry delay (`baseDelayMs`), both literals |
 * | RSL1014 | error    | a decorated method whose name cannot be known at build time (a computed key that is neither a literal nor a `Symbol('…')` constant) |
 * | RSL1015 | error    | an import from `resil` that does not resolve: its decorators could not be recognised, so nothing of that file would be checked |
 * | RSL1016 | error    | `@Validated` on a method with a parameter (or, with `returns: true`, a result) whose type cannot be checked: a function, a symbol, an un-instantiated type parameter, a type that does not resolve, … (named with the chain it was reached by) |
 * | RSL1017 | error    | a `@Validated` constraint tag (`@minimum`, `@format`, …) on a type of another kind, or with a bad value |
 */
export const DIAGNOSTIC_CODES = {
  UNKNOWN_OPTION: 'RSL1001',
  INVALID_OPTION: 'RSL1002',
  MISSING_OPTION: 'RSL1003',
  WAITING_ON_SYNC: 'RSL1004',
  UNKNOWN_KEY_PARAMETER: 'RSL1005',
  BAD_FALLBACK: 'RSL1006',
  CACHED_VOID: 'RSL1007',
  DUPLICATE_DECORATOR: 'RSL1008',
  DUPLICATE_CLASS_NAME: 'RSL1009',
  NOT_A_METHOD: 'RSL1010',
  TIMEOUT_WITHOUT_SIGNAL: 'RSL1011',
  RETRY_AROUND_BREAKER: 'RSL1012',
  TIMEOUT_BELOW_DELAY: 'RSL1013',
  UNKNOWN_METHOD_NAME: 'RSL1014',
  UNRESOLVED_RESIL: 'RSL1015',
  UNCHECKABLE_TYPE: 'RSL1016',
  BAD_CONSTRAINT: 'RSL1017',
} as const;

/** One of the codes of {@link DIAGNOSTIC_CODES}. */
export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[keyof typeof DIAGNOSTIC_CODES];

/**
 * A user mistake found inside analysis that stops the analysis of one method. Thrown where it is
 * found and caught only at the per-method boundary, which turns it into a {@link Diagnostic};
 * any other error is a bug in resil and propagates.
 */
export class TransformError extends Error {
  override readonly name = 'TransformError';

  constructor(
    readonly code: DiagnosticCode,
    message: string,
    /** The node the diagnostic points at. */
    readonly node: ts.Node,
    readonly severity: DiagnosticSeverity = 'error',
  ) {
    super(message);
  }

  /** The diagnostic this error reports, with its file relative to `rootDir`. */
  toDiagnostic(rootDir?: string): Diagnostic {
    return createDiagnostic(this.node, this.code, this.message, this.severity, rootDir);
  }
}

/** `file` relative to `rootDir`, with forward slashes. */
export function relativePath(rootDir: string, file: string): string {
  return posix.relative(rootDir.replace(/\\/g, '/'), file.replace(/\\/g, '/'));
}

/**
 * A diagnostic pointing at the start of `node` (after its leading trivia), 1-based.
 *
 * @param rootDir the project root (the tsconfig's directory); the file is given relative to it
 */
export function createDiagnostic(
  node: ts.Node,
  code: DiagnosticCode,
  message: string,
  severity: DiagnosticSeverity = 'error',
  rootDir = '/',
): Diagnostic {
  const sourceFile = node.getSourceFile();
  const start = node.getStart(sourceFile);
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(start);
  const lineStarts = sourceFile.getLineStarts();
  const lineEnd = lineStarts[line + 1] ?? sourceFile.text.length;
  const sourceLine = sourceFile.text.slice(lineStarts[line], lineEnd).replace(/\r?\n$/, '');
  return {
    code,
    severity,
    message,
    file: relativePath(rootDir, sourceFile.fileName),
    line: line + 1,
    column: character + 1,
    sourceLine,
  };
}

/**
 * A diagnostic as text, like tsc's pretty output without colours:
 *
 * ```text
 * src/shop.ts:4:11 - error RSL1001: @Retry on Shop.charge: unknown option 'maxAttempt' …
 *
 * 4   @Retry({ maxAttempt: 3 })
 *              ^
 * ```
 */
export function formatDiagnostic(d: Diagnostic): string {
  const gutter = String(d.line);
  // Tabs in the line stay tabs under it, so the caret lines up however the reader renders them.
  const pad = d.sourceLine.slice(0, d.column - 1).replace(/[^\t]/g, ' ');
  return [
    `${d.file}:${d.line}:${d.column} - ${d.severity} ${d.code}: ${d.message}`,
    '',
    `${gutter} | ${d.sourceLine}`,
    `${' '.repeat(gutter.length)} | ${pad}^`,
  ].join('\n');
}

/** Orders diagnostics by file, line, column, then code: the order `ProjectPlan.diagnostics` promises. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}
