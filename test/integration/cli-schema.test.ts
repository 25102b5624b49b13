import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url));

/** Runs the real `resil` binary (built by the test setup) in the repository root. */
function resil(...args: string[]) {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('resil schema', { timeout: 60_000 }, () => {
  it('prints the schema resil gen writes, which takes a sound config and refuses a typo', () => {
    const { code, stdout, stderr } = resil('schema', '-p', 'fixtures/shop');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(readFileSync(join(root, 'fixtures/shop/resil.schema.json'), 'utf8'));
    const validate = new Ajv2020({ strict: true }).compile(JSON.parse(stdout) as object);
    expect(validate({ enabled: true, defaults: { retry: { maxAttempts: 3 } }, policies: { 'ShopService.stock': { retry: { maxAttempts: 5 }, enabled: true } } })).toBe(true);
    expect(validate({ policies: { 'ShopService.stock': { retry: { maxAttempt: 5 } } } })).toBe(false);
    expect(validate({ policies: { 'ShopService.stok': {} } })).toBe(false);
  });

  it('writes it with --out', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'resil-schema-')), 'nested', 'schema.json');
    const { code, stdout } = resil('schema', '-p', 'fixtures/shop', '--out', out);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^resil schema: wrote .*nested\/schema\.json \(5 methods\)$/m);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(root, 'fixtures/shop/resil.schema.json'), 'utf8'));
  });

  it('exits 1 with the errors on standard error, leaving their methods out', () => {
    const { code, stdout, stderr } = resil('schema', '-p', 'fixtures/check-errors');
    expect(code).toBe(1);
    expect(stderr).toContain('error RSL1005');
    expect(JSON.parse(stdout)).toHaveProperty('properties.policies.properties');
  });

  it('exits 2 with one line for a missing tsconfig', () => {
    const { code, stderr } = resil('schema', '-p', 'no/such/project');
    expect(code).toBe(2);
    expect(stderr).toBe('resil: no tsconfig at no/such/project (give one with --project)\n');
  });
});
