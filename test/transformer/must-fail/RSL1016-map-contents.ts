// @ts-nocheck: a must-fail fixture of test/transformer/diagnostics.test.ts; its mistake is deliberate.
// expect RSL1016 at 7:10
import { Validated } from 'resil';

export class Prices {
  @Validated()
  update(prices: Map<string, number>): void {}
}
