// @ts-nocheck: a must-fail fixture of test/transformer/diagnostics.test.ts; its mistake is deliberate.
// expect RSL1008 at 7:3
import { Retry } from 'resil';

export class Shop {
  @Retry()
  @Retry({ maxAttempts: 5 })
  async charge(): Promise<number> {
    return 1;
  }
}
