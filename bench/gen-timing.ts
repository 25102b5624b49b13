// Child process of bench/run.ts: `node bench/dist/gen-timing.js <tsconfig> <leaf> <shared> <methods>`
// times resil's generator on a project (bench/synthetic.ts writes it) in a fresh process: loading
// it, a cold `new ProjectGenerator()` + `run()`, then `update([file])` after editing one file, as
// `resil gen --watch` does on each save. Prints the figures as JSON.
import { readFileSync, writeFileSync } from 'node:fs';

type GenerateModule = typeof import('../dist/transformer/generate.js');

/** Updates timed after each kind of edit; the first is also reported on its own (the JIT is cold). */
const UPDATES = 5;

/** A numeric decorator option, whose edit changes the generated outputs. */
const NUMERIC_OPTION = /\b(maxAttempts|limit|ttlMs|failureThreshold|baseDelayMs|maxEntries|fastMs): (\d+)/;

/** Output of this process. */
export interface GenTiming {
  /** Importing the generator (ts-morph and TypeScript with it), ms. */
  loadMs: number;
  /** `new ProjectGenerator({ tsconfig })`: reading the tsconfig and adding its files, ms. */
  constructMs: number;
  /** The first `run()`: program, analysis of every file, emission, ms. */
  runMs: number;
  files: number;
  methods: number;
  policies: number;
  warnings: number;
  /** `update([leaf])` after each edit of a file no other file imports, ms. */
  leafUpdatesMs: number[];
  /** `update([shared])` after each edit of the settings file, ms. */
  sharedUpdatesMs: number[];
}

const [tsconfig, leaf, shared, expected] = process.argv.slice(2) as [string, string, string, string];

const started = performance.now();
// resil's generator is not among the package's exports: loaded from the dist/ that `npm run build` wrote.
const { ProjectGenerator } = (await import(new URL('../../dist/transformer/generate.js', import.meta.url).href)) as GenerateModule;
const loaded = performance.now();
const generator = new ProjectGenerator({ tsconfig });
const constructed = performance.now();
const first = generator.run();
const ran = performance.now();

const errors = first.plan.diagnostics.filter((d) => d.severity === 'error');
if (errors.length > 0) throw new Error(`bench: the synthetic project has ${errors.length} errors, first: ${errors[0]!.code} ${errors[0]!.message}`);
if (first.plan.methods.length !== Number(expected)) {
  throw new Error(`bench: resil gen found ${first.plan.methods.length} decorated methods in the synthetic project, not ${expected}`);
}

/** Edits a numeric option of `file` (up by one, then back), updates, and times the update. */
function timeUpdates(file: string, mustChange: boolean): number[] {
  const original = readFileSync(file, 'utf8');
  const match = NUMERIC_OPTION.exec(original);
  if (!match) throw new Error(`bench: ${file} has no numeric decorator option to edit`);
  let previous = first.outputs.module;
  const times: number[] = [];
  for (let i = 0; i < UPDATES; i++) {
    const value = Number(match[2]) + (i % 2 === 0 ? 1 : 0);
    writeFileSync(file, original.replace(NUMERIC_OPTION, `${match[1]}: ${value}`));
    const before = performance.now();
    const g = generator.update([file]);
    times.push(performance.now() - before);
    if (!g) throw new Error(`bench: update([${file}]) found no project file`);
    if (mustChange && g.outputs.module === previous) throw new Error(`bench: editing ${file} did not change the generated module`);
    previous = g.outputs.module;
  }
  writeFileSync(file, original);
  return times;
}

const leafUpdatesMs = timeUpdates(leaf, true);
const sharedUpdatesMs = timeUpdates(shared, false);

const result: GenTiming = {
  loadMs: loaded - started,
  constructMs: constructed - loaded,
  runMs: ran - constructed,
  files: first.plan.files,
  methods: first.plan.methods.length,
  policies: first.plan.methods.reduce((n, m) => n + m.decorators.length, 0),
  warnings: first.plan.diagnostics.length,
  leafUpdatesMs,
  sharedUpdatesMs,
};
process.stdout.write(JSON.stringify(result));
