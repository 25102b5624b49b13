import type { LiteralValue, TypeDef, TypeIR } from '../type-ir.js';

/**
 * The pieces of generated validators that do not need a function of their own: what a node is
 * called in issues, the boolean test of a scalar node, and the property access and path texts.
 */

/** A JavaScript literal of a {@link LiteralValue}. */
export const literalText = (value: LiteralValue): string => (value === null ? 'null' : JSON.stringify(value));

/** `.name` for an identifier-like key, `["key"]` otherwise: how a property extends a path in issues. */
export function pathSegment(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

/** Whether a node is tested by an expression alone (no function of its own). */
export function isScalar(node: TypeIR): boolean {
  switch (node.kind) {
    case 'object':
    case 'array':
    case 'tuple':
    case 'ref':
    case 'intersection':
      return false;
    case 'union':
      return node.discriminant === undefined && node.members.every(isScalar);
    default:
      return true;
  }
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The base of a number's expectations: `integer` or `number`. */
export const numberBase = (node: Extract<TypeIR, { kind: 'number' }>): string => (node.integer ? 'integer' : 'number');

/** Every constraint of a node as the words of an issue, one per constraint (`integer <= 1000`). */
export function constraintWords(node: TypeIR): { test: string; words: string }[] {
  if (node.kind === 'number') {
    const base = numberBase(node);
    const out: { test: string; words: string }[] = [];
    if (node.minimum !== undefined) out.push({ test: `>= ${node.minimum}`, words: `${base} >= ${node.minimum}` });
    if (node.maximum !== undefined) out.push({ test: `<= ${node.maximum}`, words: `${base} <= ${node.maximum}` });
    if (node.exclusiveMinimum !== undefined) out.push({ test: `> ${node.exclusiveMinimum}`, words: `${base} > ${node.exclusiveMinimum}` });
    if (node.exclusiveMaximum !== undefined) out.push({ test: `< ${node.exclusiveMaximum}`, words: `${base} < ${node.exclusiveMaximum}` });
    return out;
  }
  return [];
}

/**
 * What a node is called in an issue's `expected`: `string`, `integer`, `"a" | "b"`, `Item`,
 * `array`, `Date`. Constraints are named by the issue of the constraint that failed, not here.
 */
export function describeType(node: TypeIR, defs: Readonly<Record<string, TypeDef>>): string {
  switch (node.kind) {
    case 'any':
      return 'any value';
    case 'never':
      return 'no value';
    case 'undefined':
      return 'undefined';
    case 'string':
      return node.format ? `string (${node.format})` : 'string';
    case 'number':
      return numberBase(node);
    case 'literal':
      return literalText(node.value);
    case 'bigintLiteral':
      return `${node.value}n`;
    case 'array':
      return 'array';
    case 'tuple':
      return `tuple of ${node.rest ? 'at least ' : ''}${plural(node.elements.filter((e) => !e.optional).length, 'element')}`;
    case 'object':
      return 'object';
    case 'union': {
      const text = node.members.map((m) => describeType(m, defs)).join(' | ');
      return text.length > 120 ? `${text.slice(0, 117)}...` : text;
    }
    case 'intersection':
      return node.members.map((m) => describeType(m, defs)).join(' & ');
    case 'date':
      return 'Date';
    case 'instance':
      return `instance of ${node.className}`;
    case 'ref':
      return defs[node.id]?.name ?? node.id;
    default:
      return node.kind;
  }
}

/** The words of a string's failed length limit. */
export const lengthWords = (limit: 'minLength' | 'maxLength', n: number): string =>
  `string of ${limit === 'minLength' ? 'at least' : 'at most'} ${plural(n, 'character')}`;

/** The words of an array's failed size limit. */
export const itemsWords = (limit: 'minItems' | 'maxItems', n: number): string =>
  `array of ${limit === 'minItems' ? 'at least' : 'at most'} ${plural(n, 'item')}`;
