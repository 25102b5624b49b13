// @ts-nocheck: a must-fail fixture of test/transformer/diagnostics.test.ts; its mistake is deliberate.
// expect RSL1013 at 7:12
import { Retry, Timeout } from 'resil';

export class Shop {
  @Retry({ maxAttempts: 3, baseDelayMs: 500 })
  @Timeout(100)
  async stock(sku: string, signal?: AbortSignal): Promise<number> {
    signal?.throwIfAborted();
    return sku.length;
  }
}
