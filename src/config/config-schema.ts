import { POLICY_ORDER, type PolicyKind } from '../policies/kinds.js';
import { isTunable, OPTION_SPECS, WINDOW_SIZE_DEFAULTS, type OptionSpec } from './defaults.js';

/** A JSON Schema object. */
export type JsonSchema = { [key: string]: unknown };

/** A decorated method as the configuration schema lists it: its id and the kinds of its policies. */
export interface SchemaMethod {
  readonly id: string;
  readonly kinds: readonly PolicyKind[];
}

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
const ref = (kind: PolicyKind): JsonSchema => ({ $ref: `#/$defs/${kind}` });

/** The schema of one method's entry under `policies`: `enabled` and the options of the given kinds. */
function methodSchema(id: string | undefined, kinds: readonly PolicyKind[]): JsonSchema {
  const properties: JsonSchema = {
    enabled: enabled(id === undefined ? "Turns the method's policies on or off." : `Turns ${id}'s policies on or off.`),
  };
  for (const kind of POLICY_ORDER) if (kinds.includes(kind)) properties[kind] = ref(kind);
  return { type: 'object', additionalProperties: false, properties };
}

/**
 * The JSON Schema of `resil.config.json` (SPEC §7): every tunable option of every policy kind (type,
 * range, default, description, all from `OPTION_SPECS`, the definitions decorator options are
 * validated against, so the two cannot drift), `enabled` globally and per method, and `defaults`.
 *
 * Given the project's methods (what `resil gen` knows, or a generated module registered), it lists
 * every method id with the options of exactly its policies, and other ids are errors. Without them
 * (runtime mode, where methods become known one class at a time) any id is accepted with the
 * options of every kind, and ids and kinds are checked as each class is defined.
 */
export function configSchema(methods?: readonly SchemaMethod[]): JsonSchema {
  const $defs: JsonSchema = {};
  for (const kind of POLICY_ORDER) $defs[kind] = kindSchema(kind);
  const defaults: JsonSchema = {};
  for (const kind of POLICY_ORDER) defaults[kind] = ref(kind);
  const description = 'Options by method id; they override the decorator.';
  let policies: JsonSchema;
  if (methods) {
    const properties: JsonSchema = {};
    for (const method of [...methods].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
      properties[method.id] = methodSchema(method.id, method.kinds);
    }
    policies = { type: 'object', additionalProperties: false, description, properties };
  } else {
    policies = { type: 'object', additionalProperties: methodSchema(undefined, POLICY_ORDER), description };
  }
  return {
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
      policies,
    },
    $defs,
  };
}
