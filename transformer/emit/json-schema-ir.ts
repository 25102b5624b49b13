import type { TypeDef, TypeIR } from '../type-ir.js';

/** A JSON Schema (2020-12) object. */
export type JsonSchema = { [key: string]: unknown };

/**
 * The JSON Schema 2020-12 of a type of the IR, the same IR the validators are written from.
 * Values JSON cannot hold are marked with the keyword `x-resil-type` (`undefined`, `bigint`,
 * `date`, `instance`, with `x-resil-class` naming the class) and no JSON type, so a schema
 * validator that does not know the keyword rejects every JSON value for them rather than
 * accepting one: a `Date` is not its ISO string. Named types go to `$defs`, referenced by `$ref`.
 */
export function typeSchema(root: TypeIR, defs: Readonly<Record<string, TypeDef>>, strict: boolean): JsonSchema {
  const names = new Map<string, string>();
  const used = new Set<string>();
  const out: Record<string, JsonSchema> = {};
  const pending: string[] = [];
  const refName = (id: string): string => {
    let name = names.get(id);
    if (name === undefined) {
      const base = defs[id]!.name.replace(/[^\w$.-]+/g, '_');
      name = base;
      for (let n = 2; used.has(name); n++) name = `${base}_${n}`;
      used.add(name);
      names.set(id, name);
      pending.push(id);
    }
    return name;
  };
  const convert = (node: TypeIR): JsonSchema => schemaOf(node, strict, refName);
  const schema: JsonSchema = { $schema: 'https://json-schema.org/draft/2020-12/schema', ...convert(root) };
  while (pending.length > 0) {
    const id = pending.shift()!;
    out[names.get(id)!] = convert(defs[id]!.type);
  }
  if (Object.keys(out).length > 0) schema['$defs'] = Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
  return schema;
}

const marker = (type: string, extra: JsonSchema = {}): JsonSchema => ({ 'x-resil-type': type, not: {}, ...extra });

function schemaOf(node: TypeIR, strict: boolean, refName: (id: string) => string): JsonSchema {
  const convert = (n: TypeIR): JsonSchema => schemaOf(n, strict, refName);
  switch (node.kind) {
    case 'any':
      return {};
    case 'never':
      return { not: {} };
    case 'undefined':
      return marker('undefined');
    case 'boolean':
      return { type: 'boolean' };
    case 'bigint':
    case 'bigintLiteral':
      return marker('bigint', node.kind === 'bigintLiteral' ? { 'x-resil-value': node.value } : {});
    case 'date':
      return marker('date');
    case 'instance':
      return marker('instance', { 'x-resil-class': node.className });
    case 'literal':
      return { const: node.value };
    case 'string': {
      const { kind: _, ...rest } = node;
      return { type: 'string', ...rest };
    }
    case 'number': {
      const { kind: _, integer, ...rest } = node;
      return { type: integer ? 'integer' : 'number', ...rest };
    }
    case 'array': {
      const { kind: _, items, ...rest } = node;
      return { type: 'array', items: convert(items), ...rest };
    }
    case 'tuple': {
      const required = node.elements.filter((e) => !e.optional).length;
      const schema: JsonSchema = { type: 'array', prefixItems: node.elements.map((e) => convert(e.type)), minItems: required };
      if (node.rest) schema['items'] = convert(node.rest);
      else Object.assign(schema, { items: false, maxItems: node.elements.length });
      return schema;
    }
    case 'object': {
      const schema: JsonSchema = {
        type: 'object',
        properties: Object.fromEntries(node.properties.map((p) => [p.name, convert(p.type)])),
        required: node.properties.filter((p) => !p.optional).map((p) => p.name),
      };
      if (node.index) schema['additionalProperties'] = convert(node.index);
      else if (strict) schema['additionalProperties'] = false;
      return schema;
    }
    case 'union':
      return { anyOf: node.members.map(convert) };
    case 'intersection':
      return { allOf: node.members.map(convert) };
    case 'ref':
      return { $ref: `#/$defs/${refName(node.id)}` };
  }
}
