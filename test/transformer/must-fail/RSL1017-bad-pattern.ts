// @ts-nocheck: a must-fail fixture of test/transformer/diagnostics.test.ts; its mistake is deliberate.
// expect RSL1017 at 11:9
import { Validated } from 'resil';

interface Query {
  /** @pattern ([a-z]+ */
  term: string;
}
export class Search {
  @Validated()
  query(q: Query): void {}
}
