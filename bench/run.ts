// `npm run bench`: the per-call cost of resil's wrapper, with and without tracing and metrics, and
// against a hand-written wrapper, opossum and cockatiel.
// Runs every case of bench/cases.ts in a fresh process, ROUNDS times in turn, prints a table and
// writes bench/results.json. Ratios compare cases measured in the same run.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { SUITES } from './cases.js';

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
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function measure(suite: number, c: number): number {
  const out = execFileSync(process.execPath, [CHILD, String(suite), String(c)], { encoding: 'utf8' });
  return (JSON.parse(out) as { meanNs: number }).meanNs;
}

function runSuite(index: number): Row[] {
  const suite = SUITES[index]!;
  const times: number[][] = suite.cases.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    // Rotating the order spreads drifts of the machine (other load, thermal) over every case.
    for (let i = 0; i < suite.cases.length; i++) {
      const c = (i + round) % suite.cases.length;
      times[c]!.push(measure(index, c));
    }
  }
  const ns = times.map(median);
  return suite.cases.map((c, i) => ({
    suite: suite.name,
    task: c.name,
    opsPerSec: Math.round(1e9 / ns[i]!),
    meanNs: round(ns[i]!, 1),
    addedNs: round(ns[i]! - ns[0]!, 1),
    ratio: round(ns[i]! / ns[0]!, 3),
    ...(suite.noObserver === undefined ? {} : { ratioToNoObserver: round(ns[i]! / ns[suite.noObserver]!, 3) }),
  }));
}

function round(n: number, digits: number): number {
  return Math.round(n * 10 ** digits) / 10 ** digits;
}

function main(): void {
  const machine = {
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
  };
  const results = SUITES.flatMap((_, i) => runSuite(i));
  const fmt = (n: number, digits: number) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  console.log(`node ${machine.node} · ${machine.cpu} × ${machine.cores} · ${machine.os} · ${machine.date}`);
  console.table(
    results.map((r) => ({
      suite: r.suite,
      task: r.task,
      'ops/s': fmt(r.opsPerSec, 0),
      'mean ns': fmt(r.meanNs, 1),
      'added ns': fmt(r.addedNs, 1),
      'vs bare': fmt(r.ratio, 3),
      'vs no observer': r.ratioToNoObserver === undefined ? '—' : fmt(r.ratioToNoObserver, 3),
    })),
  );
  for (const suite of SUITES) if (suite.note) console.log(`${suite.name}: ${suite.note}`);
  const notes = Object.fromEntries(SUITES.flatMap((s) => (s.note ? [[s.name, s.note]] : [])));
  writeFileSync(new URL('../results.json', import.meta.url), `${JSON.stringify({ machine, results, notes }, null, 2)}\n`);
}

main();
