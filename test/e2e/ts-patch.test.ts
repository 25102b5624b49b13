import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeProject } from '../../transformer/analyze/index.js';
import { emitModule } from '../../transformer/emit/index.js';
import resilTransformer from '../../transformer/hosts/ts-patch.js';
import { EXPECTED_REPORT, errorsFixture, fixture, linkResil, node, outDir, removeOut, root, runReport, snapshotSources } from './hosts-fixture.js';

const tspc = join(root, 'node_modules', 'ts-patch', 'bin', 'tspc.js');
const outs: string[] = [];

/** Builds a project with the real `tspc` (ts-patch's live-patched tsc 6) into a fresh folder. */
function build(project: string, ...flags: string[]) {
  const out = outDir('ts-patch');
  outs.push(out);
  return { out, ...node([tspc, '-p', project, '--outDir', out, '--pretty', 'false', ...flags]) };
}

/** A tsconfig in a fresh folder that extends fixtures/check-errors and adds the transformer with `options`. */
function errorsProject(options: Record<string, unknown> = {}): string {
  const dir = outDir('ts-patch-errors');
  outs.push(dir);
  const plugins = [{ transform: 'resil/transformer', transformProgram: true, ...options }];
  const compilerOptions = { rootDir: errorsFixture, plugins };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: join(errorsFixture, 'tsconfig.json'), compilerOptions }));
  return join(dir, 'tsconfig.json');
}

beforeAll(linkResil);
afterAll(() => outs.forEach(removeOut));

describe('resil/transformer (ts-patch program transformer)', () => {
  it.each([
    ['legacy decorators', []],
    ['standard decorators', ['--experimentalDecorators', 'false']],
  ])('builds the fixture with tspc so that every decorated method runs its generated wrapper (%s)', (_, flags) => {
    const before = snapshotSources(fixture);
    const { out, code, stdout, stderr } = build(join(fixture, 'tsconfig.json'), ...flags);
    expect(stdout + stderr).toBe('');
    expect(code).toBe(0);

    expect(runReport(join(out, 'main.js'))).toEqual(EXPECTED_REPORT);
    expect(existsSync(join(out, 'resil.generated.js'))).toBe(true);
    // The import comes first, with the path from each file; a file without resil gets none.
    const firstImport = (file: string) => /^import .*$/m.exec(readFileSync(join(out, file), 'utf8'))?.[0];
    expect(firstImport('main.js')).toBe('import "./resil.generated.js";');
    expect(firstImport('orders.js')).toBe('import "./resil.generated.js";');
    expect(firstImport('pricing/prices.js')).toBe('import "../resil.generated.js";');
    expect(readFileSync(join(out, 'describe.js'), 'utf8')).not.toContain('resil.generated');
    expect(snapshotSources(fixture)).toEqual(before);
  });

  it('adds the module that emitModule writes for the same project', () => {
    const tsconfig = join(fixture, 'tsconfig.json');
    const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
    const host = ts.createCompilerHost(parsed.options);
    const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host });
    // resil types the transformer with ts-morph's TypeScript; tsc hands over its own, of the same version.
    const transformed = resilTransformer(program as never, host as never, {}, { ts: ts as never }) as unknown as ts.Program;
    const generated = transformed.getSourceFile(join(fixture, 'src', 'resil.generated.ts'));
    expect(generated?.text).toBe(emitModule(analyzeProject({ tsconfig })));
    expect(transformed.getRootFileNames()).toContain(generated!.fileName);
    expect(ts.getPreEmitDiagnostics(transformed)).toEqual([]);
  });

  it('reports analysis errors as tsc diagnostics on the offending line, and exits 2', () => {
    const { code, stdout } = build(errorsProject());
    expect(code).toBe(2);
    const lines = stdout.trim().split('\n');
    expect(lines.map((l) => /^(.+)\((\d+),(\d+)\): (error|warning) TS(\d+): resil (RSL\d+): /.exec(l)?.slice(1))).toEqual([
      ['fixtures/check-errors/src/orders.ts', '6', '3', 'error', '991004', 'RSL1004'],
      ['fixtures/check-errors/src/orders.ts', '13', '12', 'error', '991001', 'RSL1001'],
      ['fixtures/check-errors/src/orders.ts', '19', '18', 'error', '991005', 'RSL1005'],
      ['fixtures/check-errors/src/orders.ts', '25', '13', 'error', '991006', 'RSL1006'],
    ]);
    expect(stdout).toContain("did you mean 'maxAttempts'?");
  });

  it('reports warnings too with reportWarnings', () => {
    const { code, stdout } = build(errorsProject({ reportWarnings: true }));
    expect(code).toBe(2);
    expect(stdout).toMatch(/^fixtures\/check-errors\/src\/orders\.ts\(26,3\): warning TS991011: resil RSL1011: @Timeout on Orders\.ship/m);
  });
});
