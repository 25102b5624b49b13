import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED_REPORT, fixture, linkResil, outDir, removeOut, runReport, runScript, snapshotSources } from './hosts-fixture.js';

const outs: string[] = [];

// The project's own TypeScript loader, over esbuild's transform; `cjs` compiles the modules to
// CommonJS (where the plugin adds a require instead of an import), all but main.ts, whose
// top-level await needs an ES module.
const LOADER = `
import { transform } from 'esbuild';
export default function typescript(source) {
  const done = this.async();
  const format = this.getOptions().format === 'cjs' && !this.resourcePath.endsWith('main.ts') ? 'cjs' : 'esm';
  const tsconfigRaw = { compilerOptions: { experimentalDecorators: true } };
  transform(source, { loader: 'ts', format, target: 'node20', sourcefile: this.resourcePath, tsconfigRaw })
    .then((result) => done(null, result.code), done);
}
`;

// An ES module bundle for Node; resil stays external, so the generated module and the
// application import the same copy.
const BUILD = `
import webpack from 'webpack';
import resil from 'resil/webpack';
const [fixture, out, loader, format] = process.argv.slice(2);
const compiler = webpack({
  context: fixture, mode: 'production', target: 'node20', entry: './src/main.ts', optimization: { minimize: false },
  experiments: { outputModule: true },
  output: { path: out, filename: 'main.js', module: true, chunkFormat: 'module', library: { type: 'module' } },
  externalsType: 'module', externals: ['resil'],
  resolve: { extensions: ['.ts', '.js'], extensionAlias: { '.js': ['.ts', '.js'] } },
  module: { rules: [{ test: /\\.ts$/, loader, options: { format } }] },
  plugins: [resil()],
});
compiler.run((error, stats) => {
  if (error || stats.hasErrors() || stats.hasWarnings()) {
    process.stderr.write(String(error ?? stats.toString({ all: false, errors: true, warnings: true })));
    process.exitCode = 1;
  }
  compiler.close(() => undefined);
});
`;

beforeAll(linkResil);
afterAll(() => outs.forEach(removeOut));

describe('resil/webpack', () => {
  it.each(['esm', 'cjs'])('bundles the fixture so that every decorated method runs its generated wrapper (loader output: %s)', (format) => {
    const before = snapshotSources(fixture);
    const out = outDir('webpack');
    outs.push(out);
    writeFileSync(join(out, 'loader.mjs'), LOADER);
    const { code, stderr } = runScript(out, BUILD, [fixture, out, join(out, 'loader.mjs'), format]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(runReport(join(out, 'main.js'))).toEqual(EXPECTED_REPORT);
    expect(snapshotSources(fixture)).toEqual(before);
  });
});
