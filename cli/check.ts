import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { analyzeProject } from '../transformer/analyze/index.js';
import { formatDiagnostic } from '../transformer/diagnostics.js';
import type { Diagnostic, ProjectPlan } from '../transformer/plan.js';
import { UsageError, type Output } from './output.js';

/** Options of `resil check`. */
export interface CheckOptions {
  /** A tsconfig file, or a folder holding `tsconfig.json`. */
  project: string;
  format: 'text' | 'json';
}

/** The tsconfig `--project` names; a missing one is a usage error. */
export function resolveTsconfig(project: string, cwd: string): string {
  const path = resolve(cwd, project);
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'tsconfig.json') : path;
  if (!existsSync(file)) throw new UsageError(`no tsconfig at ${relative(cwd, file) || file} (give one with --project)`);
  return file;
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
  let plan: ProjectPlan;
  try {
    plan = analyzeProject({ tsconfig });
  } catch (error) {
    // ts-morph throws on a tsconfig it cannot read or parse: a usage problem, said in one line.
    const first = (error instanceof Error ? error.message : String(error)).split('\n').find((l) => l.trim()) ?? 'unreadable';
    throw new UsageError(`cannot read ${relative(cwd, tsconfig) || tsconfig}: ${first.trim()}`);
  }
  if (plan.files === 0) {
    throw new UsageError(
      `${relative(cwd, tsconfig) || tsconfig} includes no TypeScript source files (a solution tsconfig with only references? give --project one of the referenced projects)`,
    );
  }
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
