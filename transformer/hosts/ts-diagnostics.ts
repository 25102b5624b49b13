import { posix } from 'node:path';
import type { ts } from 'ts-morph';
import type { Diagnostic } from '../plan.js';

/**
 * tsc prints every diagnostic as `TS<code>`, so resil's codes are shown in a range of their own:
 * RSL1004 is `TS991004`, and the message starts with `resil RSL1004:`.
 */
export const TS_CODE_BASE = 990_000;

/** The numeric code tsc shows for an RSL code (`RSL1004` → 991004). */
export function tsCodeOf(code: string): number {
  return TS_CODE_BASE + Number(code.replace(/^RSL/, ''));
}

// A diagnostic points at the start of a node; underline its first word (a decorator, an option
// name, a literal), or one character.
const FIRST_WORD = /^@?[\p{L}\p{N}_$]+/u;

/**
 * A diagnostic of analysis as a TypeScript diagnostic on the program's own source file, so tsc
 * reports it with its usual `file(line,col)`, source line and underline. `rootDir` is the folder
 * the plan's paths are relative to; a file the program does not hold gives a diagnostic without
 * a file.
 */
export function toTsDiagnostic(tsi: typeof ts, program: ts.Program, rootDir: string, d: Diagnostic): ts.Diagnostic {
  const category = d.severity === 'error' ? tsi.DiagnosticCategory.Error : tsi.DiagnosticCategory.Warning;
  const base = { category, code: tsCodeOf(d.code), source: 'resil', messageText: `resil ${d.code}: ${d.message}` };
  const file = program.getSourceFile(posix.resolve(rootDir, d.file));
  if (file === undefined) {
    return { ...base, file: undefined, start: undefined, length: undefined, messageText: `${d.file}:${d.line}:${d.column}: ${base.messageText}` };
  }
  const start = tsi.getPositionOfLineAndCharacter(file, d.line - 1, d.column - 1);
  const length = FIRST_WORD.exec(file.text.slice(start, start + 200))?.[0].length ?? 1;
  return { ...base, file, start, length };
}
