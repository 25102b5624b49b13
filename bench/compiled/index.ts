// The compiled fixtures' entry point: the generated module first, as an application imports it.
import './resil.generated.js';

export { CompiledGuarded, CompiledLayered } from './fixtures.js';
export { OrderService } from './order.js';
