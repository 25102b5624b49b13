// Compiled with standard decorators only: legacy decorators cannot decorate private methods.
import { Retry } from 'resil';

export function privateMethod() {
  class Vault {
    @Retry({ maxAttempts: 2, baseDelayMs: 0 })
    async #unlock(): Promise<string> {
      return 'opened';
    }
    open(): Promise<string> {
      return this.#unlock();
    }
  }
  return Vault;
}
