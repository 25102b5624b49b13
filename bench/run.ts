// `npm run bench`: the per-call cost of resil's wrapper, runtime and compiled mode, with and
// without tracing and metrics, and against a hand-written wrapper, opossum and cockatiel; then the
// time `resil gen` takes on a synthetic project of 1,000 files.
// Runs every case of bench/cases.ts in a fresh process, ROUNDS times in turn, prints tables and
// writes bench/results.json. Ratios compare cases measured in the same run.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { SUITES } from './cases.js';
import { timeGen, type GenResults } from './gen.js';

/** Each case runs this many times, interleaved with the others; its figure is the median. */
const ROUNDS = 3;
const CHILD = fileURLToPath(new URL('./case.js', import.meta.url));

interface Row {
  suite: string;
  task: string;
  /** Calls per second (one call of the method, not one batch). */
  opsPerSec: number;
  /** Mean time of one call, ns (median of the rounds). */
  meanNs: number;
  /** ns this case adds to the bare method. */
  addedNs: number;
  /** This case's time over the bare method's. */
  ratio: number;
  /** This case's time over the decorated method's without any call observer, where the suite has one. */
  ratioToNoObserver?: number;
  /** This case's time over the compiled-mode case's, where the suite has one. */
  ratioToCompiled?: number;
  /** CPU time of one call, ns (median of the rounds): what other work on the machine disturbs least. */
  cpuNs: number;
  /** CPU ns this case adds to the bare method's. */
  cpuAddedNs: number;
  /** This case's CPU time over the bare method's. */
  cpuRatio: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Measured {
  meanNs: number;
  cpuNs: number;
}

function measure(suite: number, c: number): Measured {
  const out = execFileSync(process.execPath, [CHILD, String(suite), String(c)], { encoding: 'utf8' });
  return JSON.parse(out) as Measured;
}

function runSuite(index: number): Row[] {
  const suite = SUITES[index]!;
  const times: Measured[][] = suite.cases.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    // Rotating the order spreads drifts of the machine (other load, thermal) over every case.
    for (let i = 0; i < suite.cases.length; i++) {
      const c = (i + round) % suite.cases.length;
      times[c]!.push(measure(index, c));
    }
  }
  const ns = times.map((t) => median(t.map((m) => m.meanNs)));
  const cpu = times.map((t) => median(t.map((m) => m.cpuNs)));
  return suite.cases.map((c, i) => ({
    suite: suite.name,
    task: c.name,
    opsPerSec: Math.round(1e9 / ns[i]!),
    meanNs: round(ns[i]!, 1),
    addedNs: round(ns[i]! - ns[0]!, 1),
    ratio: round(ns[i]! / ns[0]!, 3),
    ...(suite.noObserver === undefined ? {} : { ratioToNoObserver: round(ns[i]! / ns[suite.noObserver]!, 3) }),
    ...(suite.compiled === undefined ? {} : { ratioToCompiled: round(ns[i]! / ns[suite.compiled]!, 3) }),
    cpuNs: round(cpu[i]!, 1),
    cpuAddedNs: round(cpu[i]! - cpu[0]!, 1),
    cpuRatio: round(cpu[i]! / cpu[0]!, 3),
  }));
}

function round(n: number, digits: number): number {
  return Math.round(n * 10 ** digits) / 10 ** digits;
}

/** One of issue 3's targets, against this run's figure. */
interface Target {
  target: string;
  measured: number;
  limit: number;
  unit: string;
  met: boolean;
}

function find(rows: Row[], suite: string, task: string): Row {
  const row = rows.find((r) => r.suite === suite && r.task.startsWith(task));
  if (!row) throw new Error(`bench: no row ${suite} / ${task}`);
  return row;
}

/** Issue 3's targets for compiled mode and for `resil gen`. */
function targets(rows: Row[], gen: GenResults): Target[] {
  const layered = 'retry + breaker + timeout, happy path (async)';
  const compiled = find(rows, layered, 'resil compiled');
  const runtime = find(rows, layered, 'resil runtime mode');
  const sync = find(rows, 'sync method', '@CircuitBreaker compiled');
  const t = (target: string, measured: number, limit: number, unit: string): Target => ({ target, measured, limit, unit, met: measured <= limit });
  return [
    t('compiled @Retry @CircuitBreaker @Timeout, happy path, over the bare async call', compiled.ratio, 4, '×'),
    t('runtime mode over compiled mode, same decorators', runtime.ratioToCompiled!, 2, '×'),
    t('compiled sync @CircuitBreaker, ns added to the bare sync call', sync.addedNs, 5, 'ns'),
    t(`resil gen cold (new ProjectGenerator + run), ${gen.project.files} files, ${gen.project.methods} methods`, gen.cold.medianMs, 5000, 'ms'),
    t('resil gen update([file]) after editing one file (--watch), median', gen.leafUpdate.medianMs, 300, 'ms'),
  ];
}

function main(): void {
  const machine = {
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
    /** 1, 5 and 15 minute load averages when the run started and ended: other work on the machine shows here. */
    loadAverage: { start: os.loadavg().map((l) => round(l, 2)), end: [] as number[] },
  };
  const results = SUITES.flatMap((_, i) => runSuite(i));
  const gen = timeGen(ROUNDS);
  machine.loadAverage.end = os.loadavg().map((l) => round(l, 2));
  const fmt = (n: number, digits: number) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  console.log(`node ${machine.node} · ${machine.cpu} × ${machine.cores} · ${machine.os} · ${machine.date}`);
  console.log(`load average (1, 5, 15 min): ${machine.loadAverage.start.join(', ')} at the start, ${machine.loadAverage.end.join(', ')} at the end`);
  console.table(
    results.map((r) => ({
      suite: r.suite,
      task: r.task,
      'ops/s': fmt(r.opsPerSec, 0),
      'mean ns': fmt(r.meanNs, 1),
      'added ns': fmt(r.addedNs, 1),
      'vs bare': fmt(r.ratio, 3),
      'vs no observer': r.ratioToNoObserver === undefined ? '—' : fmt(r.ratioToNoObserver, 3),
      'vs compiled': r.ratioToCompiled === undefined ? '—' : fmt(r.ratioToCompiled, 3),
      'cpu ns': fmt(r.cpuNs, 1),
      'cpu added': fmt(r.cpuAddedNs, 1),
      'cpu vs bare': fmt(r.cpuRatio, 3),
    })),
  );
  for (const suite of SUITES) if (suite.note) console.log(`${suite.name}: ${suite.note}`);
  const p = gen.project;
  console.log(
    `resil gen on a synthetic project: ${p.files} files, ${p.methods} decorated methods, ${p.policies} policies, ${p.warnings} diagnostics; ` +
      `${gen.rounds} fresh processes, median and every run`,
  );
  const spreadRow = (step: string, s: { medianMs: number; runsMs: number[] }) => ({ step, 'median ms': fmt(s.medianMs, 0), 'runs ms': s.runsMs.join(', ') });
  console.table([
    spreadRow('load the generator (ts-morph, TypeScript)', gen.load),
    spreadRow('new ProjectGenerator({ tsconfig })', gen.construct),
    spreadRow('first run()', gen.run),
    spreadRow('cold: construct + run', gen.cold),
    spreadRow('update([leaf file]) after an edit, first', gen.leafUpdateFirst),
    spreadRow('update([leaf file]) after an edit, later ones', gen.leafUpdate),
    spreadRow(`update([settings.ts]), imported by ${p.sharedImporters} files`, gen.sharedUpdate),
    { step: 'node dist/cli/index.js gen -p … (wall, once)', 'median ms': fmt(gen.cli.wallMs, 0), 'runs ms': `summary says ${gen.cli.reportedMs}` },
  ]);
  const checked = targets(results, gen);
  console.table(checked.map((c) => ({ target: c.target, measured: `${fmt(c.measured, c.unit === 'ms' ? 0 : 2)} ${c.unit}`, limit: `${c.limit} ${c.unit}`, met: c.met ? 'yes' : 'no' })));
  const notes = Object.fromEntries(SUITES.flatMap((s) => (s.note ? [[s.name, s.note]] : [])));
  const json = { machine, results, notes, gen, targets: checked };
  writeFileSync(new URL('../results.json', import.meta.url), `${JSON.stringify(json, null, 2)}\n`);
}

main();
