import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url));

/** Runs the real `resil` binary (built by the test setup) in the repository root. */
function resil(...args: string[]) {
  const run = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('resil check', () => {
  it('passes a project without errors, printing warnings and a summary', () => {
    const { code, stdout, stderr } = resil('check', '--project', 'fixtures/shop');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^src\/shop\.ts:10:3 - warning RSL1011: @Timeout on ShopService\.stock/m);
    expect(stdout).toMatch(/^0 errors, 1 warning in 4 files \(5 decorated methods, \d+ ms\)$/m);
  });

  it('exits 1 on errors, each with file:line:col, the line and a caret', () => {
    const { code, stdout } = resil('check', '-p', 'fixtures/check-errors/tsconfig.json');
    expect(code).toBe(1);
    expect(stdout).toContain(
      [
        "src/orders.ts:19:18 - error RSL1005: @Cached on Orders.find: key 'customer' names no parameter; parameters are orderId",
        '',
        "19 |   @Cached({ key: 'customer' })",
        '   |                  ^',
      ].join('\n'),
    );
    const codes = [...stdout.matchAll(/ - (?:error|warning) (RSL\d{4})/g)].map((m) => m[1]);
    expect(codes).toEqual(['RSL1004', 'RSL1001', 'RSL1005', 'RSL1006', 'RSL1011']);
    expect(stdout).toContain("did you mean 'maxAttempts'?");
    expect(stdout).toMatch(/^4 errors, 1 warning in 1 file \(4 decorated methods, \d+ ms\)$/m);
  });

  it('gives one JSON document with --format json', () => {
    const { code, stdout } = resil('check', '-p', 'fixtures/check-errors', '--format', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as { ok: boolean; files: number; methods: number; diagnostics: { code: string; line: number; column: number }[] };
    expect(report).toMatchObject({ ok: false, files: 1, methods: 4 });
    expect(report.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([
      ['RSL1004', 6, 3],
      ['RSL1001', 13, 12],
      ['RSL1005', 19, 18],
      ['RSL1006', 25, 13],
      ['RSL1011', 26, 3],
    ]);
  });

  it('exits 2 with one clear line when the tsconfig is missing', () => {
    const { code, stdout, stderr } = resil('check', '-p', 'no/such/project');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('resil: no tsconfig at no/such/project (give one with --project)\n');
  });

  it('exits 2 with one line for a tsconfig it cannot parse', () => {
    const dir = mkdtempSync(join(tmpdir(), 'resil-cli-'));
    writeFileSync(join(dir, 'tsconfig.json'), '{ "compilerOptions": { "strict": true, } ');
    const { code, stdout, stderr } = resil('check', '-p', dir);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^resil: cannot read .*tsconfig\.json: /);
  });

  it('exits 2 for a solution tsconfig that includes no files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'resil-cli-'));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ files: [], references: [{ path: './app' }] }));
    const { code, stderr } = resil('check', '-p', dir);
    expect(code).toBe(2);
    expect(stderr).toContain('includes no TypeScript source files (a solution tsconfig with only references?');
  });

  it('exits 1 when resil cannot be resolved, instead of checking nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'resil-cli-'));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext' }, include: ['*.ts'] }));
    writeFileSync(join(dir, 'a.ts'), "import { Retry } from 'resil';\nexport class A {\n  @Retry({ maxAttempt: 3 })\n  async m(): Promise<void> {}\n}\n");
    const { code, stdout } = resil('check', '-p', dir);
    expect(code).toBe(1);
    expect(stdout).toContain("a.ts:1:23 - error RSL1015: cannot resolve 'resil'");
  });

  it('exits 2 for an unknown command, suggesting the right one', () => {
    const { code, stderr } = resil('chek');
    expect(code).toBe(2);
    expect(stderr).toBe("error: unknown command 'chek'\n(Did you mean check?)\n");
  });

  it('exits 2 for a bad option value, naming the allowed ones', () => {
    const { code, stderr } = resil('check', '--format', 'xml');
    expect(code).toBe(2);
    expect(stderr).toContain("error: option '--format <format>' argument 'xml' is invalid. Allowed choices are text, json.");
  });

  it('shows help for the command and exits 0', () => {
    const { code, stdout } = resil('check', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: resil check [options]');
    expect(stdout).toContain('--format <format>');
  });
});
