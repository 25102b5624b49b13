// @ts-nocheck: a must-fail fixture of test/transformer/diagnostics.test.ts; its mistake is deliberate.
// expect RSL1010 at 6:3
import { Cached } from 'resil';

export class Shop {
  @Cached()
  currency = 'EUR';
}
