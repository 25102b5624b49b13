import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the `resil` package, built into dist/ by the test setup. */
export const root = fileURLToPath(new URL('../..', import.meta.url));

/** The sample project every host builds (fixtures/hosts): two decorated classes and a main.ts. */
export const fixture = join(root, 'fixtures', 'hosts');

/** A project with resil mistakes (RSL1004, RSL1001, RSL1005, RSL1006 and the warning RSL1011). */
export const errorsFixture = join(root, 'fixtures', 'check-errors');

/** Where builds go: inside the package, so built files resolve `resil` by self-reference. */
export const outRoot = join(root, 'test', '.e2e-out');

/** What fixtures/hosts/src/main.ts prints, in whichever host it was built. */
export interface FixtureReport {
  placed: string;
  attempts: number;
  lookups: string[];
  lookupCalls: number;
  timeout: string;
  prices: number[];
  breaker: string;
  compiled: string[];
}

/** The report of a build whose generated wrappers ran for every decorated method. */
export const EXPECTED_REPORT: FixtureReport = {
  placed: 'kettle placed after 3 attempts',
  attempts: 3,
  lookups: ['order 7', 'order 7'],
  lookupCalls: 1,
  timeout: 'TIMEOUT',
  prices: [30, -1, -1, -1],
  breaker: 'open',
  compiled: ['OrderService.lookup', 'OrderService.place', 'OrderService.wait', 'PriceList.price'],
};

/**
 * Links `node_modules/resil` to this repository in the fixture and in the output folder, as
 * installing resil would: ts-patch and bundlers resolve `resil/transformer` and `resil` from the
 * project's node_modules (self-reference reaches only files inside the package folder).
 */
export function linkResil(): void {
  for (const dir of [fixture, outRoot]) {
    const link = join(dir, 'node_modules', 'resil');
    if (existsSync(link)) continue;
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    try {
      symlinkSync(relative(join(dir, 'node_modules'), root), link, 'dir');
    } catch (error) {
      // Another test file linked it meanwhile.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** A fresh output folder under test/.e2e-out. */
export function outDir(name: string): string {
  mkdirSync(outRoot, { recursive: true });
  return mkdtempSync(join(outRoot, `${name}-`));
}

/** Removes an output folder. */
export function removeOut(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** SHA-256 of every file of a project (its node_modules aside), by path: to show that a build wrote nothing there. */
export function snapshotSources(dir: string): Map<string, string> {
  const hashes = new Map<string, string>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else hashes.set(relative(dir, path), createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(dir);
  return hashes;
}

/** Runs a built main.js with node and parses the one JSON line it prints. */
export function runReport(mainJs: string): FixtureReport {
  const stdout = execFileSync(process.execPath, [mainJs], { cwd: root, encoding: 'utf8', timeout: 15_000 });
  return JSON.parse(stdout.trim()) as FixtureReport;
}

/** The outcome of a child process. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node args…` in the repository root. */
export function node(args: string[], cwd = root): Run {
  const run = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/**
 * Runs an ES module script with node from a file in `dir` (an output folder, inside the package:
 * there `resil/esbuild` and the other hosts resolve to this repository's dist by self-reference).
 * `args` reach it as `process.argv.slice(2)`.
 */
export function runScript(dir: string, source: string, args: string[] = []): Run {
  const script = join(dir, 'build.mjs');
  writeFileSync(script, source);
  return node([script, ...args]);
}
