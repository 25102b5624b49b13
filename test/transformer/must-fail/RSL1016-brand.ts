// @ts-nocheck: a must-fail fixture of test/transformer/diagnostics.test.ts; its mistake is deliberate.
// expect RSL1016 at 8:8
import { Validated } from 'resil';

type UserId = string & { readonly __brand: 'UserId' };
export class Users {
  @Validated()
  find(id: UserId): void {}
}
