// The classes of bench/fixtures.ts under other names, in a project of their own
// (bench/compiled/tsconfig.json) that `npm run bench` runs `resil gen` on: they run the wrappers
// generated into bench/compiled/resil.generated.ts (compiled mode), and the classes of
// bench/fixtures.ts, which that module does not cover, stay in runtime mode.
import { CircuitBreaker, Retry, Timeout } from 'resil';

/** `Guarded` of bench/fixtures.ts, compiled. */
export class CompiledGuarded {
  @CircuitBreaker()
  async call(): Promise<number> {
    return 1;
  }

  @CircuitBreaker()
  read(): number {
    return 1;
  }
}

/** `Layered` of bench/fixtures.ts, compiled. */
export class CompiledLayered {
  @Retry({ maxAttempts: 3 })
  @CircuitBreaker()
  @Timeout(1000)
  async call(): Promise<number> {
    return 1;
  }
}
