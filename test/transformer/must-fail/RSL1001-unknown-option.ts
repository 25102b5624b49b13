// @ts-nocheck: a must-fail fixture of test/transformer/diagnostics.test.ts; its mistake is deliberate.
// expect RSL1001 at 6:12
import { Retry } from 'resil';

export class Shop {
  @Retry({ maxAttempt: 3 })
  async charge(): Promise<number> {
    return 1;
  }
}
