// @ts-nocheck: a must-fail fixture of test/transformer/diagnostics.test.ts; its mistake is deliberate.
// expect RSL1014 at 9:3
import { Cached } from 'resil';

const names = ['price', 'stock'];

export class Shop {
  @Cached()
  [names[0]!](sku: string): number {
    return sku.length;
  }
}
