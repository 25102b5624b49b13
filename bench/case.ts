// Child process of bench/run.ts: `node bench/dist/case.js <suite> <case>` measures one case and
// prints `{ "meanNs": …, "cpuNs": … }`: the mean wall time of one call under tinybench, and the
// process's CPU time per call over a few more samples (the least of them).
import { Bench } from 'tinybench';
import { consumed, SUITES } from './cases.js';

/** CPU-time samples after tinybench, and how long each lasts. */
const CPU_SAMPLES = 7;
const CPU_SAMPLE_NS = 40e6;

const suite = SUITES[Number(process.argv[2])]!;
const c = suite.cases[Number(process.argv[3])]!;
c.setup?.();
const bench = new Bench({ time: 300, warmupTime: 150 });
bench.add(c.name, c.fn);
await bench.run();
const result = bench.tasks[0]!.result;
if (result.state !== 'completed') throw new Error(`${suite.name} / ${c.name}: ${result.state}`);
const meanNs = (result.latency.mean * 1e6) / suite.batch;

/**
 * CPU time (user + system) of this process per call: on a machine other work shares, wall time
 * counts the time the process waits for a core, CPU time does not. The least sample is kept, as
 * the one least disturbed (cache misses, frequency changes).
 */
async function cpuNsPerCall(): Promise<number> {
  const cpu = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) * 1000;
  };
  const iterations = Math.max(1, Math.round(CPU_SAMPLE_NS / (meanNs * suite.batch)));
  let least = Number.POSITIVE_INFINITY;
  for (let s = 0; s < CPU_SAMPLES; s++) {
    const started = cpu();
    for (let i = 0; i < iterations; i++) await c.fn();
    least = Math.min(least, (cpu() - started) / (iterations * suite.batch));
  }
  return least;
}

const cpuNs = await cpuNsPerCall();
process.stdout.write(JSON.stringify({ meanNs, cpuNs, sink: consumed() > 0 }));
