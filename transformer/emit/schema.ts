import { configSchema } from '../../src/config/config-schema.js';
import type { ProjectPlan } from '../plan.js';
import { generatedMethods } from './module.js';

/**
 * `resil.schema.json`: the JSON Schema of `resil.config.json` (SPEC §7) for this project: every
 * method id, with the tunable options of exactly its policies (type, range, default, description).
 * Unknown ids and keys are errors (`additionalProperties: false`). The runtime builds the same
 * schema from the generated module's entries to validate a configuration at load.
 */
export function emitSchema(plan: ProjectPlan): string {
  const methods = generatedMethods(plan).map((m) => ({ id: m.id, kinds: m.decorators.map((d) => d.kind) }));
  return `${JSON.stringify(configSchema(methods), null, 2)}\n`;
}
