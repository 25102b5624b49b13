// The `resil gen` timing of `npm run bench`: writes the synthetic project (bench/synthetic.ts),
// times the generator on it in fresh processes (bench/gen-timing.ts), then the real CLI once.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { GenTiming } from './gen-timing.js';
import { writeSyntheticProject, type SyntheticOptions } from './synthetic.js';

/** The project issue 3's timing names: 1,000 files, 2,000 decorated methods. */
export const SYNTHETIC: SyntheticOptions = { files: 1000, methods: 2000, filesPerDomain: 20 };

const DIR = fileURLToPath(new URL('../.synthetic/', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./gen-timing.js', import.meta.url));
const CLI = fileURLToPath(new URL('../../dist/cli/index.js', import.meta.url));

/** Milliseconds of several runs: the median, and every run as measured. */
export interface Spread {
  medianMs: number;
  runsMs: number[];
}

/** The `gen` section of bench/results.json. */
export interface GenResults {
  project: { files: number; methods: number; policies: number; warnings: number; filesPerDomain: number; sharedImporters: number };
  /** Fresh processes timed, each giving one cold run and the updates after it. */
  rounds: number;
  /** Importing the generator: ts-morph and TypeScript. */
  load: Spread;
  /** `new ProjectGenerator({ tsconfig })`. */
  construct: Spread;
  /** Its first `run()`. */
  run: Spread;
  /** `new ProjectGenerator()` + `run()`, the cold figure. */
  cold: Spread;
  /** `update([file])` after editing a service no other file imports: the first one of each round. */
  leafUpdateFirst: Spread;
  /** The same, every update of every round but the first ones. */
  leafUpdate: Spread;
  /** `update([settings.ts])`, imported by `sharedImporters` services: every update of every round. */
  sharedUpdate: Spread;
  /** `node dist/cli/index.js gen -p …` once: wall time of the process, and the time its summary line reports. */
  cli: { wallMs: number; reportedMs: number; summary: string };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number) => Math.round(n);
const spread = (xs: number[]): Spread => ({ medianMs: ms(median(xs)), runsMs: xs.map(ms) });

/** Writes the synthetic project, times the generator `rounds` times and the CLI once. */
export function timeGen(rounds: number): GenResults {
  const project = writeSyntheticProject(DIR, REPO, SYNTHETIC);
  const runs: GenTiming[] = [];
  for (let i = 0; i < rounds; i++) {
    const out = execFileSync(process.execPath, [CHILD, project.tsconfig, project.leaf, project.shared, String(project.methods)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    runs.push(JSON.parse(out) as GenTiming);
  }
  // Last: the CLI writes resil.generated.ts into the project, which the runs above must not find.
  const started = performance.now();
  const stdout = execFileSync(process.execPath, [CLI, 'gen', '-p', project.tsconfig], { encoding: 'utf8' });
  const wallMs = performance.now() - started;
  const summary = stdout.trim().split('\n').at(-1) ?? '';
  const reported = /in (\d+) ms/.exec(summary);
  if (!reported) throw new Error(`bench: no time in resil gen's summary: ${summary}`);
  const first = runs[0]!;
  return {
    project: {
      files: first.files,
      methods: first.methods,
      policies: first.policies,
      warnings: first.warnings,
      filesPerDomain: SYNTHETIC.filesPerDomain,
      sharedImporters: project.sharedImporters,
    },
    rounds,
    load: spread(runs.map((r) => r.loadMs)),
    construct: spread(runs.map((r) => r.constructMs)),
    run: spread(runs.map((r) => r.runMs)),
    cold: spread(runs.map((r) => r.constructMs + r.runMs)),
    leafUpdateFirst: spread(runs.map((r) => r.leafUpdatesMs[0]!)),
    leafUpdate: spread(runs.flatMap((r) => r.leafUpdatesMs.slice(1))),
    sharedUpdate: spread(runs.flatMap((r) => r.sharedUpdatesMs)),
    cli: { wallMs: ms(wallMs), reportedMs: Number(reported[1]), summary },
  };
}
