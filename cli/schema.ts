import { relative, resolve } from 'node:path';
import { analyzeProject } from '../transformer/analyze/index.js';
import { formatDiagnostic } from '../transformer/diagnostics.js';
import { emitSchema } from '../transformer/emit/index.js';
import { writeAtomically } from '../transformer/generate.js';
import type { Output } from './output.js';
import { assertHasFiles, readProject, resolveTsconfig } from './project.js';

/** Options of `resil schema`. */
export interface SchemaOptions {
  project: string;
  /** Write the schema here instead of printing it. */
  out?: string;
}

/**
 * `resil schema`: the JSON Schema of the project's `resil.config.json` (the one `resil gen` writes
 * as `resil.schema.json`), printed on standard output or written with `--out`. Errors in the
 * decorators go to standard error, their methods are left out, and the exit code is 1.
 */
export function schema(options: SchemaOptions, out: Output, cwd = process.cwd()): number {
  const tsconfig = resolveTsconfig(options.project, cwd);
  const plan = readProject(tsconfig, cwd, () => analyzeProject({ tsconfig }));
  assertHasFiles(plan.files, tsconfig, cwd);
  const errors = plan.diagnostics.filter((d) => d.severity === 'error');
  for (const d of errors) out.stderr(`${formatDiagnostic(d)}\n\n`);
  const text = emitSchema(plan);
  if (options.out === undefined) out.stdout(text);
  else {
    const path = resolve(cwd, options.out);
    writeAtomically(path, text);
    out.stdout(`resil schema: wrote ${relative(cwd, path)} (${plan.methods.length - (plan.methodsWithErrors?.length ?? 0)} methods)\n`);
  }
  return errors.length > 0 ? 1 : 0;
}
