// @ts-nocheck: a must-fail fixture of test/transformer/diagnostics.test.ts; its mistake is deliberate.
// expect RSL1011 at 6:3
import { Timeout } from 'resil';

export class Shop {
  @Timeout(2_000)
  async stock(sku: string): Promise<number> {
    return sku.length;
  }
}
