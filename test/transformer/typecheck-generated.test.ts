import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeProject } from '../../transformer/analyze/index.js';
import { emitModule } from '../../transformer/emit/index.js';
import { goldenModules } from './emit-support.js';
import { ROOT } from './support.js';

/**
 * SPEC §6: the generated module compiles under TypeScript 6 and 7, esbuild and tsx alike. Every
 * golden module and the module of fixtures/shop are put in a throwaway project with the strictest
 * tsconfig a user is likely to have, whose `resil` is this repository (its dist/, built by the
 * global setup), and compiled by the repository's tsc 6 and by TypeScript 7's native tsc.
 */

const require = createRequire(import.meta.url);

/** A package's directory, or undefined when it is not installed. */
function packageDir(name: string): string | undefined {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/** The `tsc` of the repository's `typescript` (6) and of `typescript7` (npm:typescript@7, native). */
const TSC = {
  6: join(packageDir('typescript')!, 'bin', 'tsc'),
  7: join(packageDir('typescript7')!, 'bin', 'tsc'),
};

/** What a user's strict project compiles the generated module with. */
const STRICT_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    types: ['node'],
    strict: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    noImplicitReturns: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    isolatedModules: true,
    // The generated module is what is checked; the declarations of resil and Node under these
    // options took tsc 6 another 2.5 s (and passed).
    skipLibCheck: true,
    noEmit: true,
  },
  include: ['src'],
};

/** tsc 6 takes a few seconds alone, more beside the rest of the suite on two cores. */
const TSC_TIMEOUT_MS = 60_000;

interface Run {
  status: number | null;
  output: string;
}

/** Runs a Node script; resolves with its exit status and everything it printed. */
function runNode(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ status, output: `${stdout}${stderr}` });
    });
  });
}

/**
 * A project in a temporary folder: package.json (ESM), the strict tsconfig, `node_modules/resil`
 * linked to this repository and `@types/node` to its own, and `modules` under src/.
 */
function writeProject(modules: ReadonlyMap<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'resil-typecheck-'));
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'resil'), 'dir');
  symlinkSync(join(ROOT, 'node_modules', '@types', 'node'), join(dir, 'node_modules', '@types', 'node'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'typecheck-generated', private: true, type: 'module' }));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(STRICT_TSCONFIG, null, 2));
  for (const [name, text] of modules) writeFileSync(join(dir, 'src', name), text);
  return dir;
}

/** The generated modules under test: every golden module, and the module of fixtures/shop. */
function generatedModules(): Map<string, string> {
  const modules = goldenModules();
  const shop = analyzeProject({ tsconfig: join(ROOT, 'fixtures', 'shop', 'tsconfig.json') });
  modules.set('shop.generated.ts', emitModule(shop));
  return modules;
}

describe('the generated modules compile', () => {
  let modules: Map<string, string>;
  let project: string;
  let empty: string;
  /** Both compilers on both projects, started together in beforeAll (tsc 6 takes seconds). */
  let checks: Promise<Record<'project' | 'empty', { tsc6: Run; tsc7: Run }>>;

  const typecheck = async (dir: string) => {
    const args = ['--noEmit', '--pretty', 'false', '-p', join(dir, 'tsconfig.json')];
    const [tsc6, tsc7] = await Promise.all([runNode([TSC[6], ...args], dir), runNode([TSC[7], ...args], dir)]);
    return { tsc6, tsc7 };
  };

  beforeAll(() => {
    modules = generatedModules();
    project = writeProject(modules);
    empty = writeProject(new Map([['resil.generated.ts', emitModule({ methods: [], diagnostics: [], files: 1, methodsWithErrors: [] })]]));
    checks = Promise.all([typecheck(project), typecheck(empty)]).then(([p, e]) => ({ project: p, empty: e }));
    // Awaited by the tests; a rejection is theirs to report.
    checks.catch(() => {});
  });
  afterAll(async () => {
    await checks?.catch(() => {});
    for (const dir of [project, empty]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the compilers are TypeScript 6 and TypeScript 7', () => {
    const version = (name: string) => (JSON.parse(readFileSync(join(packageDir(name)!, 'package.json'), 'utf8')) as { version: string }).version;
    expect(version('typescript')).toMatch(/^6\./);
    expect(version('typescript7')).toMatch(/^7\./);
  });

  it('every golden module and the module of fixtures/shop, with tsc 6 and tsc 7 under a strict tsconfig', async () => {
    expect([...modules.keys()]).toContain('shop.generated.ts');
    expect(modules.size).toBeGreaterThanOrEqual(9);
    expect((await checks).project).toEqual({ tsc6: { status: 0, output: '' }, tsc7: { status: 0, output: '' } });
  }, TSC_TIMEOUT_MS);

  // A project with no decorated method yet, or whose methods all have errors: the module imports
  // only what it uses, or noUnusedLocals would refuse it (TS6133).
  it('an empty module (no methods) too', async () => {
    expect((await checks).empty).toEqual({ tsc6: { status: 0, output: '' }, tsc7: { status: 0, output: '' } });
  }, TSC_TIMEOUT_MS);

  const esbuildDir = packageDir('esbuild');
  it.skipIf(esbuildDir === undefined)('with esbuild (loader ts), and the output loads under Node', async () => {
    type Esbuild = { transform(code: string, options: object): Promise<{ code: string; warnings: unknown[] }> };
    // Imported by path, so this file compiles (and skips) where esbuild is not installed.
    const loaded = (await import(pathToFileURL(require.resolve('esbuild')).href)) as Esbuild & { default?: Esbuild };
    const esbuild = loaded.default ?? loaded;
    const out = join(project, 'esbuild');
    mkdirSync(out);
    const entry: string[] = [];
    for (const [name, text] of modules) {
      // verbatimModuleSyntax: esbuild keeps every import not marked `type`, as Node will see it.
      const result = await esbuild.transform(text, {
        loader: 'ts',
        format: 'esm',
        target: 'node20',
        sourcefile: name,
        tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
      });
      expect(result.warnings, name).toEqual([]);
      // Type-only imports are gone; the values a validator calls (Issues, format checkers) stay.
      expect(result.code, name).toMatch(/^import \{ defineGenerated, ShuttingDownError(, [A-Za-z]+)* \} from "resil";$/m);
      const file = name.replace(/\.ts$/, '.js');
      writeFileSync(join(out, file), result.code);
      entry.push(`import './${file}';`);
    }
    writeFileSync(join(out, 'all.js'), `${entry.join('\n')}\n`);
    expect(await runNode([join(out, 'all.js')], project)).toEqual({ status: 0, output: '' });
  });

  const tsxDir = packageDir('tsx');
  it.skipIf(tsxDir === undefined)('with tsx', async () => {
    const { bin } = JSON.parse(readFileSync(join(tsxDir!, 'package.json'), 'utf8')) as { bin: string | Record<string, string> };
    const cli = join(tsxDir!, typeof bin === 'string' ? bin : bin['tsx']!);
    const entry = join(project, 'tsx-entry.ts');
    writeFileSync(entry, [...modules.keys()].map((name) => `import './src/${name.replace(/\.ts$/, '.js')}';`).join('\n'));
    expect(existsSync(cli)).toBe(true);
    expect(await runNode([cli, entry], project)).toEqual({ status: 0, output: '' });
  });
});
