// Compiled by bench/tsconfig.json with standard decorators (Node 20 cannot parse decorator syntax).
import { CircuitBreaker } from 'resil';

/** The methods under test, each behind a default `@CircuitBreaker`. */
export class Guarded {
  @CircuitBreaker()
  async call(): Promise<number> {
    return 1;
  }

  @CircuitBreaker()
  read(): number {
    return 1;
  }
}

/** The same methods, undecorated: the baseline. */
export class Plain {
  async call(): Promise<number> {
    return 1;
  }

  read(): number {
    return 1;
  }
}
