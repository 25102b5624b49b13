// @ts-nocheck: a must-fail fixture of test/transformer/diagnostics.test.ts; its mistake is deliberate.
// expect RSL1009 at 15:16
import { Cached } from 'resil';

export namespace Eu {
  export class Shop {
    @Cached()
    price(sku: string): number {
      return sku.length;
    }
  }
}

export namespace Us {
  export class Shop {
    @Cached()
    price(sku: string): number {
      return sku.length * 2;
    }
  }
}
