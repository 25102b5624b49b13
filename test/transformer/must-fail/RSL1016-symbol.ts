// @ts-nocheck: a must-fail fixture of test/transformer/diagnostics.test.ts; its mistake is deliberate.
// expect RSL1016 at 7:7
import { Validated } from 'resil';

export class Tags {
  @Validated()
  add(tag: symbol): void {}
}
