// @ts-nocheck: a must-fail fixture of test/transformer/diagnostics.test.ts; its mistake is deliberate.
// expect RSL1016 at 8:10
import { Validated } from 'resil';

interface Job { id: string; run: () => void }
export class Jobs {
  @Validated()
  submit(job: Job): void {}
}
