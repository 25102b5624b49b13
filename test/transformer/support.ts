import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ts } from 'ts-morph';
import { analyzeFiles } from '../../transformer/analyze/index.js';
import type { ProjectPlan } from '../../transformer/plan.js';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let resilPackage: Record<string, string> | undefined;

function declarations(dir: string, into: Record<string, string>): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) declarations(path, into);
    else if (entry.name.endsWith('.d.ts')) into[`/node_modules/resil/${relative(ROOT, path).replace(/\\/g, '/')}`] = readFileSync(path, 'utf8');
  }
}

/**
 * The `resil` package as an in-memory project sees it: its package.json and the real declarations
 * of dist/src (built by the global setup before any test runs), read from disk once.
 */
export function resilPackageFiles(): Record<string, string> {
  if (!resilPackage) {
    resilPackage = {
      '/node_modules/resil/package.json': JSON.stringify({ name: 'resil', type: 'module', types: './dist/src/index.d.ts' }),
    };
    declarations(join(ROOT, 'dist', 'src'), resilPackage);
  }
  return resilPackage;
}

/** A single source is the project's `src/app.ts`. */
export type Sources = string | Record<string, string>;

/**
 * The global `AbortSignal`, as Node's types and the DOM lib declare it, without the DOM lib: the
 * DOM lib takes most of the time of each in-memory analysis. Tests of signal detection against the
 * real lib ask for it.
 */
const ABORT_SIGNAL = 'interface AbortSignal { readonly aborted: boolean; throwIfAborted(): void }\n';

/** The files of an in-memory ESM project holding `sources`, with `resil` installed. */
export function projectFiles(sources: Sources): Record<string, string> {
  const own = typeof sources === 'string' ? { 'src/app.ts': sources } : sources;
  return {
    '/package.json': JSON.stringify({ name: 'app', type: 'module' }),
    '/types/abort-signal.d.ts': ABORT_SIGNAL,
    ...resilPackageFiles(),
    ...own,
  };
}

/** The compiler options of in-memory tests: ES2023 without the DOM lib, standard decorators. */
const TEST_OPTIONS: ts.CompilerOptions = { lib: ['lib.es2023.d.ts'] };

/** Analyses `sources` in memory, with standard decorators unless `compilerOptions` say otherwise. */
export function analyze(sources: Sources, compilerOptions: ts.CompilerOptions = {}): ProjectPlan {
  return analyzeFiles(projectFiles(sources), { compilerOptions: { ...TEST_OPTIONS, ...compilerOptions } });
}
