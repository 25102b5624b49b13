// Compiled by bench/tsconfig.json with standard decorators (Node 20 cannot parse decorator syntax).
import { CircuitBreaker, Retry, Timeout } from 'resil';

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

/** The async method behind retry, circuit breaker and timeout, as issue 3's benchmark states them. */
export class Layered {
  @Retry({ maxAttempts: 3 })
  @CircuitBreaker()
  @Timeout(1000)
  async call(): Promise<number> {
    return 1;
  }
}
