// @ts-nocheck: a must-fail fixture of test/transformer/diagnostics.test.ts; its mistake is deliberate.
// expect RSL1006 at 6:23
import { Fallback } from 'resil';

export class Shop {
  @Fallback({ method: 'listPrice' })
  async price(sku: string): Promise<number> {
    return sku.length;
  }

  listPrice(sku: string, error: unknown, currency: string): number {
    return 100 + sku.length + currency.length;
  }
}
