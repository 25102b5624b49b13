// @ts-nocheck: a must-fail fixture of test/transformer/diagnostics.test.ts; its mistake is deliberate.
// expect RSL1015 at 4:23
// A subpath resil does not export: nothing imported from it resolves, so nothing here could be checked.
import { Retry } from 'resil/nothing-here';

export class Orders {
  @Retry({ maxAttempts: 3 })
  async place(): Promise<void> {}
}
