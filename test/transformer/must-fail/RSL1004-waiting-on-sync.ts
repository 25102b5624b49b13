// @ts-nocheck: a must-fail fixture of test/transformer/diagnostics.test.ts; its mistake is deliberate.
// expect RSL1004 at 6:3
import { Retry } from 'resil';

export class Shop {
  @Retry({ maxAttempts: 2 })
  total(a: number, b: number): number {
    return a + b;
  }
}
