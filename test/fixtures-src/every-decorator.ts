// Run as a child process by test/integration/open-handles.test.ts: it uses every decorator, prints
// what happened, and then awaits nothing. It must exit by itself: no timer or handle left behind.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bulkhead, Cached, CircuitBreaker, configure, DeadLetter, Fallback, RateLimit, registry, Retry, Timeout, Validated } from 'resil';

configure({ deadLetterDir: mkdtempSync(join(tmpdir(), 'resil-handles-')) });

class Everything {
  attempts = 0;

  @Validated()
  @Cached({ ttlMs: 60_000, staleWhileRevalidateMs: 60_000 })
  @Fallback('backup')
  @DeadLetter()
  @Retry({ maxAttempts: 3, baseDelayMs: 5 })
  @CircuitBreaker({ failureThreshold: 10, resetTimeoutMs: 60_000 })
  @RateLimit({ limit: 100, intervalMs: 60_000, onLimit: 'wait' })
  @Timeout(60_000)
  @Bulkhead({ maxConcurrent: 2, maxQueue: 10, queueTimeoutMs: 60_000 })
  async work(id: string, signal?: AbortSignal): Promise<string> {
    this.attempts++;
    if (id === 'fail') throw new Error(`failed attempt ${this.attempts}`);
    return `${id} done${signal ? ' with signal' : ''}`;
  }

  backup(id: string): string {
    return `${id} from backup`;
  }

  @DeadLetter()
  @Timeout(60_000)
  async lost(): Promise<void> {
    throw new Error('lost');
  }
}

const svc = new Everything();
void Promise.all([svc.work('a'), svc.work('a'), svc.work('b'), svc.work('fail'), svc.lost().catch((e: Error) => e.message)]).then(
  (results) => {
    process.stdout.write(`${JSON.stringify(results)}\n`);
    process.stdout.write(`${registry.policies().length} policies\n`);
  },
);
