import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ts } from 'ts-morph';
import type { ValidationIssue } from '../../src/errors.js';
import { emitValidatorSection } from '../../transformer/emit/method-validator.js';
import type { ProjectPlan } from '../../transformer/plan.js';
import { errorsOf } from '../transformer/emit-support.js';
import { analyze, ROOT } from '../transformer/support.js';

/** One generated validator: the issues of its argument, or undefined when it passes. */
export type Validate = (value: unknown) => ValidationIssue[] | undefined;

let counter = 0;

/**
 * Generates the validators of one type per entry (each the one parameter of a method `@Validated`
 * with `options`), as `resil gen` writes them, transpiles the text with TypeScript and imports it
 * from a file under test/.compiled: the generated code runs as a user's would, importing the
 * built runtime (dist/). Returns each validator and the plan it was emitted from.
 */
export async function loadValidators(
  declarations: string,
  types: Readonly<Record<string, string>>,
  options = '',
): Promise<{ validators: Record<string, Validate>; plan: ProjectPlan; text: string }> {
  const methods = Object.entries(types).map(([name, type]) => `  @Validated(${options})\n  ${name}(value: ${type}): void {}`);
  const source = `import { Validated } from 'resil';\n${declarations}\nexport class Corpus {\n${methods.join('\n')}\n}\n`;
  const plan = analyze(source);
  const errors = errorsOf(plan);
  if (errors.length > 0) throw new Error(`analysis failed:\n${errors.join('\n')}`);
  const names = new Map(plan.methods.map((m) => [m.id, `create${m.methodName}`]));
  const section = emitValidatorSection(plan.methods, names);
  const runtime = pathToFileURL(join(ROOT, 'dist', 'src', 'index.js')).href;
  const exports = Object.keys(types).map((name) => `  ${name}: (value: unknown) => validate${name}([value]),`);
  const text = [
    `import { ${[...section.helpers, 'type ValidationIssue'].join(', ')} } from '${runtime}';`,
    section.text,
    `export const validators = {\n${exports.join('\n')}\n};`,
  ].join('\n\n');
  const js = ts.transpileModule(text, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
  const dir = join(ROOT, 'test', '.compiled', 'validators');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `corpus-${process.pid}-${++counter}.mjs`);
  writeFileSync(file, js);
  const loaded = (await import(pathToFileURL(file).href)) as { validators: Record<string, Validate> };
  return { validators: loaded.validators, plan, text };
}
