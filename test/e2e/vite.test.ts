import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED_REPORT, fixture, linkResil, outDir, removeOut, runReport, runScript, snapshotSources } from './hosts-fixture.js';

const outs: string[] = [];

// An SSR build for Node with everything bundled, resil included. Vite 8 compiles TypeScript with
// Oxc, which lowers legacy decorators only: the fixture's tsconfig has experimentalDecorators.
const BUILD = `
import { build } from 'vite';
import resil from 'resil/vite';
const [fixture, out] = process.argv.slice(2);
await build({
  root: fixture, configFile: false, logLevel: 'silent', plugins: [resil()],
  ssr: { noExternal: true },
  build: { ssr: 'src/main.ts', outDir: out, target: 'node20', minify: false },
});
`;

beforeAll(linkResil);
afterAll(() => outs.forEach(removeOut));

describe('resil/vite', () => {
  it('builds the fixture so that every decorated method runs its generated wrapper', () => {
    const before = snapshotSources(fixture);
    const out = outDir('vite');
    outs.push(out);
    const { code, stderr } = runScript(out, BUILD, [fixture, out]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(runReport(join(out, 'main.js'))).toEqual(EXPECTED_REPORT);
    expect(snapshotSources(fixture)).toEqual(before);
  });
});
