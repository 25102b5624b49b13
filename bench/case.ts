// Child process of bench/run.ts: `node bench/dist/case.js <suite> <case>` measures one case and
// prints `{ "meanNs": … }`, the mean time of one call.
import { Bench } from 'tinybench';
import { consumed, SUITES } from './cases.js';

const suite = SUITES[Number(process.argv[2])]!;
const c = suite.cases[Number(process.argv[3])]!;
c.setup?.();
const bench = new Bench({ time: 300, warmupTime: 150 });
bench.add(c.name, c.fn);
await bench.run();
const result = bench.tasks[0]!.result;
if (result.state !== 'completed') throw new Error(`${suite.name} / ${c.name}: ${result.state}`);
process.stdout.write(JSON.stringify({ meanNs: (result.latency.mean * 1e6) / suite.batch, sink: consumed() > 0 }));
