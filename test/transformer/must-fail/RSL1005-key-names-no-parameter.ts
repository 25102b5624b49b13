// @ts-nocheck: a must-fail fixture of test/transformer/diagnostics.test.ts; its mistake is deliberate.
// expect RSL1005 at 6:31
import { RateLimit } from 'resil';

export class Shop {
  @RateLimit({ limit: 3, key: 'user.id' })
  async checkout(userId: string, sku: string): Promise<string> {
    return userId + sku;
  }
}
