import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED_REPORT, fixture, linkResil, outDir, removeOut, runReport, runScript, snapshotSources } from './hosts-fixture.js';

const outs: string[] = [];

// Rollup compiles no TypeScript: the project brings a plugin for its own files, here one over
// esbuild's transform that also maps the `.js` specifiers of NodeNext to the `.ts` sources.
// resil stays external, so the generated module and the application import the same copy.
const BUILD = `
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { transform } from 'esbuild';
import { rollup } from 'rollup';
import resil from 'resil/rollup';
const [fixture, out] = process.argv.slice(2);
const typescript = {
  name: 'typescript',
  resolveId(id, importer) {
    const ts = importer && id.startsWith('.') ? resolve(dirname(importer), id.replace(/\\.js$/, '.ts')) : undefined;
    return ts && existsSync(ts) ? ts : null;
  },
  async transform(code, id) {
    if (!id.endsWith('.ts')) return null;
    const tsconfigRaw = { compilerOptions: { experimentalDecorators: true } };
    const result = await transform(code, { loader: 'ts', format: 'esm', target: 'node20', sourcefile: id, tsconfigRaw });
    return { code: result.code, map: null };
  },
};
const bundle = await rollup({
  input: resolve(fixture, 'src/main.ts'), external: (id) => id === 'resil' || id.startsWith('node:'),
  plugins: [resil({ tsconfig: resolve(fixture, 'tsconfig.json') }), typescript],
  onwarn: (warning) => { throw new Error(warning.message); },
});
await bundle.write({ dir: out, format: 'es' });
await bundle.close();
`;

beforeAll(linkResil);
afterAll(() => outs.forEach(removeOut));

describe('resil/rollup', () => {
  it('bundles the fixture so that every decorated method runs its generated wrapper', () => {
    const before = snapshotSources(fixture);
    const out = outDir('rollup');
    outs.push(out);
    const { code, stderr } = runScript(out, BUILD, [fixture, out]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(runReport(join(out, 'main.js'))).toEqual(EXPECTED_REPORT);
    expect(snapshotSources(fixture)).toEqual(before);
  });
});
