import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import resil from '../../transformer/hosts/esbuild.js';
import { EXPECTED_REPORT, errorsFixture, fixture, linkResil, outDir, removeOut, runReport, runScript, snapshotSources } from './hosts-fixture.js';

const outs: string[] = [];

// Bundles everything, resil included: the generated module's `import … from 'resil'` must resolve
// to the copy the application's own imports reach, or its entries would go unused.
const BUILD = `
import { build } from 'esbuild';
import resil from 'resil/esbuild';
const [fixture, out] = process.argv.slice(2);
const result = await build({
  absWorkingDir: fixture, entryPoints: ['src/main.ts'], outdir: out, bundle: true,
  platform: 'node', format: 'esm', target: 'node20', logLevel: 'silent', plugins: [resil()],
});
process.stdout.write(JSON.stringify({ errors: result.errors.length, warnings: result.warnings.length }));
`;

beforeAll(linkResil);
afterAll(() => outs.forEach(removeOut));

describe('resil/esbuild', () => {
  it('bundles the fixture so that every decorated method runs its generated wrapper', () => {
    const before = snapshotSources(fixture);
    const out = outDir('esbuild');
    outs.push(out);
    const { code, stdout, stderr } = runScript(out, BUILD, [fixture, out]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ errors: 0, warnings: 0 });

    expect(runReport(join(out, 'main.js'))).toEqual(EXPECTED_REPORT);
    const bundle = readFileSync(join(out, 'main.js'), 'utf8');
    expect(bundle.match(/defineGenerated\(["'][0-9a-f]{16}["'], entries\)/g)).toHaveLength(1);
    expect(snapshotSources(fixture)).toEqual(before);
  });

  it('fails the build with every analysis error, and passes warnings on', async () => {
    const failed = build({
      absWorkingDir: errorsFixture,
      entryPoints: ['src/orders.ts'],
      bundle: true,
      write: false,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      logLevel: 'silent',
      plugins: [resil()],
    });
    const error = (await failed.then(() => undefined, (e: unknown) => e)) as { errors: { text: string }[]; warnings: { text: string }[] };
    expect(error.errors).toHaveLength(1);
    const text = error.errors[0]!.text;
    expect(text).toMatch(/^resil: 4 errors in decorated methods/);
    expect([...text.matchAll(/ - error (RSL\d{4})/g)].map((m) => m[1])).toEqual(['RSL1004', 'RSL1001', 'RSL1005', 'RSL1006']);
    expect(text).toContain("src/orders.ts:19:18 - error RSL1005: @Cached on Orders.find: key 'customer' names no parameter");
    expect(error.warnings.map((w) => w.text)).toEqual([expect.stringMatching(/^resil: src\/orders\.ts:26:3 - warning RSL1011: /)]);
  });
});
