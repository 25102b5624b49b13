import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Every stdout line, JSON ones parsed. */
  lines: unknown[];
  stderr: string;
  /** Ms from spawn to exit. */
  tookMs: number;
}

/** The longest a child may live; one that is still running then has been kept alive by something. */
const LIMIT_MS = 10_000;

/**
 * Runs the compiled shutdown fixture and resolves when it exits by itself (or is killed at
 * {@link LIMIT_MS}, which the assertions then catch). `onLine` sees each stdout line as it comes.
 */
function runChild(mode: string, args: string[], onLine: (line: string, send: (s: NodeJS.Signals) => void) => void = () => {}): Promise<Exit> {
  const script = fileURLToPath(new URL(`../.compiled/${mode}/shutdown-child.js`, import.meta.url));
  const startedAt = Date.now();
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const killer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS);
  const lines: unknown[] = [];
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    let nl: number;
    while ((nl = stdout.indexOf('\n')) >= 0) {
      const line = stdout.slice(0, nl);
      stdout = stdout.slice(nl + 1);
      lines.push(line.startsWith('{') ? JSON.parse(line) : line);
      onLine(line, (s) => child.kill(s));
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, lines, stderr, tookMs: Date.now() - startedAt });
    });
  });
}

const find = <T>(lines: unknown[], key: string): T => lines.find((l) => typeof l === 'object' && l !== null && key in l) as T;

describe.each(['standard', 'legacy'])('shutdown in a child process (%s decorators)', (mode) => {
  it('lets in-flight calls finish, refuses new ones, and the process exits by itself', async () => {
    const exit = await runChild(mode, ['drain', '200', '2000']);
    expect(exit.stderr).toBe('');
    expect(exit.signal).toBeNull();
    expect(exit.code).toBe(0);
    expect(find(exit.lines, 'shutdown')).toMatchObject({ shutdown: { drained: true, inFlight: 0 } });
    expect(find(exit.lines, 'finished')).toMatchObject({
      finished: ['done 0', 'done 1', 'done 2'],
      refused: 'SHUTTING_DOWN',
      readiness: 'fail',
    });
  });

  it('reports the calls still in flight at the deadline, and still exits once they end', async () => {
    const exit = await runChild(mode, ['drain', '1000', '100']);
    expect(exit.stderr).toBe('');
    expect(exit.signal).toBeNull();
    expect(exit.code).toBe(0);
    const stopped = find<{ shutdown: unknown; at: number }>(exit.lines, 'shutdown');
    const finished = find<{ finished: string[]; at: number }>(exit.lines, 'finished');
    expect(stopped.shutdown).toEqual({ drained: false, inFlight: 3 });
    expect(finished).toMatchObject({ finished: ['done 0', 'done 1', 'done 2'], refused: 'SHUTTING_DOWN' });
    // shutdown() gave up at its deadline, well before the calls ended; nothing held the process after.
    expect(stopped.at).toBeLessThan(finished.at);
    expect(exit.lines.indexOf(stopped)).toBeLessThan(exit.lines.indexOf(finished));
  });

  it('installShutdownHandlers drains on SIGTERM, closes the server, and the process exits by itself', async () => {
    const exit = await runChild(mode, ['signal', '1000'], (line, send) => {
      if (line === 'ready') send('SIGTERM');
    });
    expect(exit.stderr).toBe('');
    expect(exit.signal).toBeNull();
    expect(exit.code).toBe(0);
    expect(exit.lines[0]).toBe('ready');
    expect(find(exit.lines, 'finished')).toEqual({
      finished: ['done 0', 'done 1', 'done 2'],
      pendingAtSignal: 3,
      refused: 'SHUTTING_DOWN',
      listening: false,
      readiness: 'fail',
    });
  });
});
