import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Cached, CircuitBreaker, configure, DeadLetter, Fallback, registry, Retry, shutdown, Timeout, type DeadLetterHandle } from '../../src/index.js';
import type { CallObserver, CallScope } from '../../src/lifecycle.js';
import { runtime } from '../../src/runtime.js';

let removeObserver: (() => void) | undefined;

/** The prototype of the event-loop delay histogram, to see it disabled. */
function monitorPrototype(): { disable(): boolean } {
  return Object.getPrototypeOf(monitorEventLoopDelay()) as { disable(): boolean };
}
afterEach(() => removeObserver?.());

/** An observer that writes down what every scope is told. */
function recordingObserver() {
  const log: string[] = [];
  const observer: CallObserver = {
    start(method, policies) {
      log.push(`start ${method.id} [${policies.join(' ')}]`);
      const scope: CallScope = {
        attempt: (n) => log.push(`attempt ${n}`),
        event: (name) => log.push(`event ${name}`),
        setAttribute: (key, value) => log.push(`${key}=${String(value)}`),
        end: (error) => log.push(error ? `end ${(error as Error).message}` : 'end'),
      };
      return scope;
    },
  };
  removeObserver = runtime.lifecycle.observe(observer);
  return log;
}

describe('call lifecycle', () => {
  it('counts calls in flight until they settle', async () => {
    class Slow {
      @CircuitBreaker()
      async call(release: Promise<void>): Promise<void> {
        await release;
      }
    }
    let open!: () => void;
    const release = new Promise<void>((r) => (open = r));
    const pending = new Slow().call(release);
    expect(runtime.lifecycle.inFlight).toBe(1);
    open();
    await pending;
    expect(runtime.lifecycle.inFlight).toBe(0);
  });

  it('tells observers about attempts, retries, the circuit state, fallbacks and the end', async () => {
    vi.useFakeTimers();
    const log = recordingObserver();
    class Flaky {
      n = 0;
      @Fallback({ value: 'fb' })
      @Retry({ maxAttempts: 2, baseDelayMs: 1 })
      @CircuitBreaker()
      async call(): Promise<string> {
        this.n++;
        throw new Error(`boom ${this.n}`);
      }
    }
    const outcome = new Flaky().call();
    await vi.runAllTimersAsync();
    await expect(outcome).resolves.toBe('fb');
    expect(log).toEqual([
      'start Flaky.call [Flaky.call#fallback Flaky.call#retry Flaky.call#circuitBreaker]',
      'attempt 1',
      'resil.circuit.state=closed',
      'event retry',
      'attempt 2',
      'resil.circuit.state=closed',
      'event fallback',
      'end',
    ]);
  });

  it('ends the scope with the error the caller sees, for sync methods too', () => {
    const log = recordingObserver();
    class Calc {
      @CircuitBreaker()
      div(a: number, b: number): number {
        if (b === 0) throw new RangeError('division by zero');
        return a / b;
      }
    }
    expect(() => new Calc().div(1, 0)).toThrow('division by zero');
    expect(log.at(-1)).toBe('end division by zero');
    expect(runtime.lifecycle.inFlight).toBe(0);
  });

  it('refuses new calls while draining, as a rejection for async methods and a throw for sync ones', async () => {
    class Both {
      @CircuitBreaker()
      async later(): Promise<string> {
        return 'later';
      }
      @CircuitBreaker()
      now(): string {
        return 'now';
      }
    }
    const both = new Both();
    await expect(shutdown({ timeoutMs: 10 })).resolves.toEqual({ drained: true, inFlight: 0 });
    const refused = both.later();
    expect(refused).toBeInstanceOf(Promise);
    await expect(refused).rejects.toMatchObject({ code: 'SHUTTING_DOWN', message: 'Both.later refused: the process is shutting down' });
    expect(() => both.now()).toThrow('Both.now refused: the process is shutting down');
  });

  it('shutdown waits for calls in flight, up to its deadline, and leaves no timer', async () => {
    vi.useFakeTimers();
    class Slow {
      @CircuitBreaker()
      async call(ms: number): Promise<number> {
        await new Promise((r) => setTimeout(r, ms));
        return ms;
      }
    }
    const slow = new Slow();
    const quick = slow.call(100);
    const done = shutdown({ timeoutMs: 1000 });
    await vi.advanceTimersByTimeAsync(100);
    await expect(quick).resolves.toBe(100);
    await expect(done).resolves.toEqual({ drained: true, inFlight: 0 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('shutdown clears the idle timer of a @Timeout', async () => {
    vi.useFakeTimers();
    class Quick {
      @Timeout(60_000)
      async call(): Promise<string> {
        return 'ok';
      }
    }
    await new Quick().call();
    expect(vi.getTimerCount()).toBe(1);
    await shutdown({ timeoutMs: 10 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('shutdown stops the event-loop monitor that health started', async () => {
    const disable = vi.spyOn(monitorPrototype(), 'disable');
    await registry.health();
    await shutdown({ timeoutMs: 10 });
    expect(disable).toHaveBeenCalled();
  });

  it('refuses a dead-letter replay while draining', async () => {
    configure({ deadLetterDir: mkdtempSync(join(tmpdir(), 'resil-lifecycle-')) });
    class Mailer {
      ok = false;
      @DeadLetter()
      async send(to: string): Promise<string> {
        if (!this.ok) throw new Error(`cannot reach ${to}`);
        return `sent ${to}`;
      }
    }
    const m = new Mailer();
    await expect(m.send('x')).rejects.toThrow();
    const dlq = registry.get('Mailer.send#deadLetter') as unknown as DeadLetterHandle;
    const [entry] = await dlq.list();
    m.ok = true;
    await shutdown({ timeoutMs: 10 });
    await expect(dlq.replay(entry!.id, m)).rejects.toMatchObject({ code: 'SHUTTING_DOWN' });
    configure({ deadLetterDir: '.resil' });
  });

  it('counts a stale-while-revalidate refresh in flight, so shutdown waits for it', async () => {
    vi.useFakeTimers();
    class Prices {
      n = 0;
      @Cached({ ttlMs: 100, staleWhileRevalidateMs: 10_000 })
      async price(): Promise<number> {
        const n = ++this.n;
        if (n > 1) await new Promise((r) => setTimeout(r, 500));
        return n;
      }
    }
    const p = new Prices();
    await p.price();
    vi.advanceTimersByTime(200);
    await expect(p.price()).resolves.toBe(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(runtime.lifecycle.inFlight).toBe(1);
    const done = shutdown({ timeoutMs: 1000 });
    await vi.advanceTimersByTimeAsync(500);
    await expect(done).resolves.toEqual({ drained: true, inFlight: 0 });
  });

  it('shutdown gives up at its deadline and says how many calls are still in flight', async () => {
    vi.useFakeTimers();
    runtime.lifecycle.draining = false;
    class Slow {
      @CircuitBreaker()
      async call(ms: number): Promise<number> {
        await new Promise((r) => setTimeout(r, ms));
        return ms;
      }
    }
    const long = new Slow().call(5000);
    const done = shutdown({ timeoutMs: 1000 });
    await vi.advanceTimersByTimeAsync(1000);
    await expect(done).resolves.toEqual({ drained: false, inFlight: 1 });
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(4000);
    await expect(long).resolves.toBe(5000);
  });
});
