// Child process of test/integration/shutdown.test.ts, compiled in both decorator modes and run on
// dist (it imports 'resil'). It never calls process.exit: each mode must end by itself.
//
//   node shutdown-child.js drain <callMs> <timeoutMs>  3 calls in flight, then shutdown({ timeoutMs });
//                                                      prints {"shutdown":…} and {"finished":…}
//   node shutdown-child.js signal <callMs>             serves HTTP on 127.0.0.1:0 with shutdown
//                                                      handlers, prints "ready", waits for SIGTERM
import { createServer } from 'node:http';
import { installShutdownHandlers, registry, shutdown, Timeout } from 'resil';

class Worker {
  pending = 0;

  @Timeout(5000)
  async work(i: number, ms: number): Promise<string> {
    this.pending++;
    try {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return `done ${i}`;
    } finally {
      this.pending--;
    }
  }
}

const worker = new Worker();
const startedAt = Date.now();
const say = (value: unknown) => process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`);
const elapsed = () => Date.now() - startedAt;
const outcome = (p: Promise<unknown>): Promise<string> => p.then(() => 'resolved', (e: { code?: string }) => e.code ?? String(e));
const startCalls = (ms: number) => [0, 1, 2].map((i) => worker.work(i, ms));

async function drain(callMs: number, timeoutMs: number): Promise<void> {
  const calls = startCalls(callMs);
  const stopping = shutdown({ timeoutMs }).then((result) => say({ shutdown: result, at: elapsed() }));
  const refused = await outcome(worker.work(9, 0));
  const finished = await Promise.all(calls);
  say({ finished, refused, readiness: registry.readiness().status, at: elapsed() });
  await stopping;
}

async function signal(callMs: number): Promise<void> {
  const server = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Starts the event-loop delay monitor, which shutdown() must stop for the process to end.
  await registry.health();
  let closed!: () => void;
  const serverClosed = new Promise<void>((resolve) => (closed = resolve));
  installShutdownHandlers({ timeoutMs: 2000, close: () => new Promise<void>((resolve) => server.close(() => (closed(), resolve()))) });
  const calls = startCalls(callMs);
  let atSignal: { pending: number; refused: Promise<string> } | undefined;
  // Added after the library's handler, so it runs once draining has begun.
  process.once('SIGTERM', () => (atSignal = { pending: worker.pending, refused: outcome(worker.work(9, 0)) }));
  say('ready');
  const finished = await Promise.all(calls);
  await serverClosed;
  say({
    finished,
    pendingAtSignal: atSignal?.pending,
    refused: await atSignal?.refused,
    listening: server.listening,
    readiness: registry.readiness().status,
  });
}

const [mode, a = '200', b = '2000'] = process.argv.slice(2);
if (mode === 'drain') await drain(Number(a), Number(b));
else if (mode === 'signal') await signal(Number(a));
else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exitCode = 2;
}
