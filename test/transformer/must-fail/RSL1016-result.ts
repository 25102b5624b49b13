// @ts-nocheck: a must-fail fixture of test/transformer/diagnostics.test.ts; its mistake is deliberate.
// expect RSL1016 at 7:29
import { Validated } from 'resil';

export class Factory {
  @Validated({ returns: true })
  async make(name: string): Promise<() => string> {
    return () => name;
  }
}
