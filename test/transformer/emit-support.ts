import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { ProjectPlan } from '../../transformer/plan.js';

/** Where the golden files of the emitter live. */
export const GOLDEN_DIR = fileURLToPath(new URL('./golden/', import.meta.url));

/** `UPDATE_GOLDEN=1 npx vitest run test/transformer/emit.test.ts` rewrites the golden files instead of comparing. */
export const UPDATING_GOLDENS = process.env['UPDATE_GOLDEN'] === '1';

/**
 * Compares `actual` with the golden file `name`, exactly (every byte, the last newline too), or
 * rewrites the file when {@link UPDATING_GOLDENS}. A missing golden file is a failure, never a pass.
 */
export function expectGolden(name: string, actual: string): void {
  const path = join(GOLDEN_DIR, name);
  if (UPDATING_GOLDENS) {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden file ${name} is missing: run UPDATE_GOLDEN=1 npx vitest run test/transformer/emit.test.ts`);
  expect(actual, `differs from golden file ${name} (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(path, 'utf8'));
}

/** The golden generated modules (`*.ts`), by file name, sorted. */
export function goldenModules(): Map<string, string> {
  const modules = new Map<string, string>();
  for (const name of readdirSync(GOLDEN_DIR).filter((n) => n.endsWith('.ts')).sort()) {
    modules.set(name, readFileSync(join(GOLDEN_DIR, name), 'utf8'));
  }
  return modules;
}

/** The error diagnostics of a plan, as `code file:line:col message` lines (warnings are allowed). */
export const errorsOf = (plan: ProjectPlan): string[] =>
  plan.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.file}:${d.line}:${d.column} ${d.message}`);

/** The content hash a generated module names in its header and registers with `defineGenerated`. */
export function moduleHashes(module: string): { header: string | undefined; registered: string | undefined } {
  return {
    header: /^\/\/ .*content hash ([0-9a-f]{16})\.$/m.exec(module)?.[1],
    registered: /^defineGenerated\('([0-9a-f]{16})', entries\);$/m.exec(module)?.[1],
  };
}
