// @ts-nocheck: a must-fail fixture of test/transformer/diagnostics.test.ts; its mistake is deliberate.
// expect RSL1010 at 5:1
import { CircuitBreaker } from 'resil';

@CircuitBreaker()
export class Shop {
  price(sku: string): number {
    return sku.length;
  }
}
