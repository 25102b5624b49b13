// @ts-nocheck: a must-fail fixture of test/transformer/diagnostics.test.ts; its mistake is deliberate.
// expect RSL1003 at 6:3
import { RateLimit } from 'resil';

export class Shop {
  @RateLimit({ intervalMs: 500 })
  async checkout(userId: string): Promise<string> {
    return userId;
  }
}
