// @ts-nocheck: a must-fail fixture of test/transformer/diagnostics.test.ts; its mistake is deliberate.
// expect RSL1002 at 6:25
import { Retry } from 'resil';

export class Shop {
  @Retry({ maxAttempts: 0 })
  async charge(): Promise<number> {
    return 1;
  }
}
