// @ts-nocheck: a must-fail fixture of test/transformer/diagnostics.test.ts; its mistake is deliberate.
// expect RSL1016 at 7:23
import { Validated } from 'resil';

export class Store {
  @Validated()
  put<T>(key: string, value: T): void {}
}
