import { analyzeProject } from '../transformer/analyze/index.js';
import { formatDiagnostic } from '../transformer/diagnostics.js';
import type { Diagnostic, ProjectPlan } from '../transformer/plan.js';
import type { Output } from './output.js';
import { assertHasFiles, readProject, resolveTsconfig } from './project.js';

/** Options of `resil check`. */
export interface CheckOptions {
  /** A tsconfig file, or a folder holding `tsconfig.json`. */
  project: string;
  format: 'text' | 'json';
}

function summary(plan: ProjectPlan, diagnostics: Diagnostic[], ms: number): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(plan.files, 'file')} (${plural(plan.methods.length, 'decorated method')}, ${ms} ms)`;
}

/**
 * `resil check`: analyses the project and prints every diagnostic (`file:line:col`, the line, a
 * caret), then a one-line summary; with `--format json`, one JSON document instead. Returns the
 * exit code: 1 when there is an error, else 0.
 */
export function check(options: CheckOptions, out: Output, cwd = process.cwd()): number {
  const tsconfig = resolveTsconfig(options.project, cwd);
  const started = performance.now();
  const plan = readProject(tsconfig, cwd, () => analyzeProject({ tsconfig }));
  assertHasFiles(plan.files, tsconfig, cwd);
  const ms = Math.round(performance.now() - started);
  const { diagnostics } = plan;
  const failed = diagnostics.some((d) => d.severity === 'error');
  if (options.format === 'json') {
    out.stdout(`${JSON.stringify({ ok: !failed, files: plan.files, methods: plan.methods.length, diagnostics }, null, 2)}\n`);
  } else {
    for (const d of diagnostics) out.stdout(`${formatDiagnostic(d)}\n\n`);
    out.stdout(`${summary(plan, diagnostics, ms)}\n`);
  }
  return failed ? 1 : 0;
}
