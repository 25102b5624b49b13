// @ts-nocheck: a must-fail fixture of test/transformer/diagnostics.test.ts; its mistake is deliberate.
// expect RSL1017 at 11:9
import { Validated } from 'resil';

interface Order {
  /** @minimum 1 */
  sku: string;
}
export class Orders {
  @Validated()
  place(order: Order): void {}
}
