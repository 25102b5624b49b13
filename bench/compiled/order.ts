// The order DTO of bench/validate: resil gen writes its validators into resil.generated.ts.
import { Validated } from 'resil';

export interface OrderItem {
  sku: string;
  /** @integer @minimum 1 @maximum 1000 */
  qty: number;
  /** @minimum 0 */
  price: number;
}

export interface OrderDto {
  /** @format uuid */
  id: string;
  /** @format email */
  email: string;
  /** @minItems 1 @maxItems 100 */
  items: OrderItem[];
  /** @maxLength 500 */
  note?: string;
  priority: 'low' | 'normal' | 'high';
}

export class OrderService {
  @Validated()
  place(order: OrderDto): string {
    return order.id;
  }
}
