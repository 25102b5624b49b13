// @ts-nocheck: a must-fail fixture of test/transformer/diagnostics.test.ts; its mistake is deliberate.
// expect RSL1002 at 6:31
import { CircuitBreaker } from 'resil';

export class Shop {
  @CircuitBreaker({ strategy: 'sliding', failureThreshold: 3 })
  price(sku: string): number {
    return sku.length;
  }
}
