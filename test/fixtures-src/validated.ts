// Compiled by the global setup with tsc (standard decorators) and run with resil gen's generated module.
import { Cached, CircuitBreaker, RateLimit, Retry, Validated } from 'resil';

export interface OrderLine {
  /** @minLength 1 */
  sku: string;
  /** @integer @minimum 1 @maximum 1000 */
  qty: number;
}

export interface OrderRequest {
  id: string;
  lines: OrderLine[];
  note?: string;
}

export interface Receipt {
  id: string;
  /** @minimum 0 */
  total: number;
}

/** A method with every policy whose spending invalid input must not reach, and a result check. */
export function validatedOrders() {
  class ValidatedOrders {
    calls = 0;

    @Validated({ strict: true, returns: true })
    @Cached({ ttlMs: 60_000 })
    @Retry({ maxAttempts: 3, baseDelayMs: 0 })
    @CircuitBreaker({ failureThreshold: 1 })
    @RateLimit({ limit: 5 })
    async place(req: OrderRequest): Promise<Receipt> {
      this.calls++;
      const total = req.lines.reduce((sum, line) => sum + line.qty, 0);
      return { id: req.id, total: req.note === 'refund' ? -total : total };
    }
  }
  return ValidatedOrders;
}
