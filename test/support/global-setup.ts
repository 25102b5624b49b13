import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DECORATOR_PAIRS_SOURCE } from './decorator-pairs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const compiled = join(root, 'test', '.compiled');

/** The two decorator modes every fixture is compiled in. */
const MODES = {
  standard: { experimentalDecorators: false, emitDecoratorMetadata: false },
  legacy: { experimentalDecorators: true, emitDecoratorMetadata: true },
} as const;

function run(args: string[]): void {
  try {
    execFileSync(process.execPath, [tsc, ...args], { cwd: root, stdio: 'pipe' });
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`tsc ${args.join(' ')} failed:\n${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`);
  }
}

/**
 * Builds the package (dist/, which spawned child processes import) and compiles the fixtures of
 * test/fixtures-src with the real tsc 6, once per decorator mode: vitest's own transform would
 * lower only legacy decorators, and Node 20 cannot parse standard decorator syntax.
 */
export async function setup(): Promise<void> {
  run(['-p', 'tsconfig.build.json']);
  const sources = join(compiled, 'src');
  mkdirSync(sources, { recursive: true });
  const fixtures = join(root, 'test', 'fixtures-src');
  for (const file of readdirSync(fixtures)) copyFileSync(join(fixtures, file), join(sources, file));
  writeFileSync(join(sources, 'pairs.ts'), DECORATOR_PAIRS_SOURCE);
  for (const [mode, flags] of Object.entries(MODES)) {
    const config = {
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        skipLibCheck: true,
        types: ['node'],
        rootDir: './src',
        outDir: `./${mode}`,
        ...flags,
      },
      include: ['src'],
      // Private methods can carry decorators only under standard decorators.
      ...(mode === 'legacy' ? { exclude: ['src/**/*.standard.ts'] } : {}),
    };
    writeFileSync(join(compiled, `tsconfig.${mode}.json`), JSON.stringify(config, null, 2));
    if (mode === 'standard') await generate(join(compiled, 'tsconfig.standard.json'), sources);
    run(['-p', join(compiled, `tsconfig.${mode}.json`)]);
  }
}

/**
 * Runs `resil gen`'s generator (from the fresh build) over the fixtures, so that the standard
 * compile also holds `resil.generated.js`: the differential tests import it to run every scenario
 * against the generated wrappers too. It fails the run when the fixtures have errors other than the deliberate ones.
 */
async function generate(tsconfig: string, sources: string): Promise<void> {
  const { ProjectGenerator, writeOutputs } = (await import(join(root, 'dist', 'transformer', 'generate.js'))) as typeof import('../../transformer/generate.js');
  const generation = new ProjectGenerator({ tsconfig, out: join(sources, 'resil.generated.ts') }).run();
  // type-checks.ts holds deliberate misuse (each line under @ts-expect-error): left out of the module, as gen does.
  const errors = generation.plan.diagnostics.filter((d) => d.severity === 'error' && d.file !== 'src/type-checks.ts');
  if (errors.length > 0) throw new Error(`resil gen on the test fixtures:\n${errors.map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`).join('\n')}`);
  writeOutputs(generation);
}
