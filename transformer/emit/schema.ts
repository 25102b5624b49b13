import { isTunable, OPTION_SPECS, WINDOW_SIZE_DEFAULTS, type OptionSpec } from '../../src/config/defaults.js';
import { POLICY_ORDER, type PolicyKind } from '../../src/policies/kinds.js';
import type { ProjectPlan } from '../plan.js';
import { generatedMethods } from './module.js';

type JsonSchema = { [key: string]: unknown };

/** The JSON Schema of one tunable option, from its definition in `OPTION_SPECS`. */
function optionSchema(kind: PolicyKind, key: string, spec: OptionSpec): JsonSchema | undefined {
  if (!isTunable(spec)) return undefined;
  const schema: JsonSchema =
    spec.type === 'enum' ? { enum: [...spec.values] } : { type: spec.type === 'boolean' ? 'boolean' : spec.type };
  if (spec.type === 'integer' || spec.type === 'number') {
    if (spec.minimum !== undefined) schema['minimum'] = spec.minimum;
    if (spec.exclusiveMinimum !== undefined) schema['exclusiveMinimum'] = spec.exclusiveMinimum;
    if (spec.maximum !== undefined) schema['maximum'] = spec.maximum;
  }
  if (spec.default !== undefined) schema['default'] = spec.default;
  let description = spec.description;
  if (kind === 'circuitBreaker' && key === 'windowSize') {
    description += ` Default ${WINDOW_SIZE_DEFAULTS['count-window']} calls (count-window) or ${WINDOW_SIZE_DEFAULTS['time-window']} ms (time-window).`;
  }
  schema['description'] = description;
  return schema;
}

/** The options of one kind that configuration can tune. */
function kindSchema(kind: PolicyKind): JsonSchema {
  const properties: JsonSchema = {};
  for (const [key, spec] of Object.entries(OPTION_SPECS[kind])) {
    const schema = optionSchema(kind, key, spec);
    if (schema) properties[key] = schema;
  }
  return { type: 'object', additionalProperties: false, properties };
}

const enabled = (description: string): JsonSchema => ({ type: 'boolean', default: true, description });

/**
 * `resil.schema.json`: the JSON Schema of `resil.config.json` (SPEC §7) for this project: every
 * method id, with the tunable options of exactly its policies (type, range, default, description).
 * Unknown ids and keys are errors (`additionalProperties: false`).
 */
export function emitSchema(plan: ProjectPlan): string {
  const $defs: JsonSchema = {};
  for (const kind of POLICY_ORDER) $defs[kind] = kindSchema(kind);
  const ref = (kind: PolicyKind) => ({ $ref: `#/$defs/${kind}` });
  const defaults: JsonSchema = {};
  for (const kind of POLICY_ORDER) defaults[kind] = ref(kind);
  const policies: JsonSchema = {};
  for (const method of generatedMethods(plan)) {
    const properties: JsonSchema = { enabled: enabled(`Turns ${method.id}'s policies on or off.`) };
    for (const kind of POLICY_ORDER) if (method.decorators.some((d) => d.kind === kind)) properties[kind] = ref(kind);
    policies[method.id] = { type: 'object', additionalProperties: false, properties };
  }
  const schema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'resil configuration (resil.config.json)',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      enabled: enabled('Turns every policy on or off; off, calls pass straight through.'),
      defaults: {
        type: 'object',
        additionalProperties: false,
        description: 'Options for every policy of a kind, filling what the decorator leaves unset.',
        properties: defaults,
      },
      policies: {
        type: 'object',
        additionalProperties: false,
        description: 'Options by method id; they override the decorator.',
        properties: policies,
      },
    },
    $defs,
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
