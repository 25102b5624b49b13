import { ts } from 'ts-morph';
import { FORMATS, type Format, type TypeIR } from '../type-ir.js';

/** The JSDoc tags of SPEC §1 and the kind of type each constrains. */
const TAG_TARGET = {
  minimum: 'number',
  maximum: 'number',
  exclusiveMinimum: 'number',
  exclusiveMaximum: 'number',
  multipleOf: 'number',
  integer: 'number',
  minLength: 'string',
  maxLength: 'string',
  pattern: 'string',
  format: 'string',
  minItems: 'array',
  maxItems: 'array',
  uniqueItems: 'array',
} as const;

type TagName = keyof typeof TAG_TARGET;

/** One constraint tag as written: its name and its text. */
export interface ConstraintTag {
  name: TagName;
  text: string;
}

const isTagName = (name: string): name is TagName => Object.prototype.hasOwnProperty.call(TAG_TARGET, name);

/** The constraint tags among a symbol's JSDoc tags (other tags are documentation and ignored). */
export function constraintTags(symbol: ts.Symbol | undefined, checker: ts.TypeChecker): ConstraintTag[] {
  if (!symbol) return [];
  const tags: ConstraintTag[] = [];
  for (const tag of symbol.getJsDocTags(checker)) {
    if (isTagName(tag.name)) tags.push({ name: tag.name, text: ts.displayPartsToString(tag.text ?? []).trim() });
  }
  return tags;
}

/**
 * The constraint tags of the type aliases a type node names: `/** @format uuid *\/ type Uuid = string`
 * used as `id: Uuid`. Primitive types keep no alias in the checker, so the written node is read.
 * Aliases of aliases are followed (outermost tags win on conflicts, being applied last).
 */
export function aliasTags(node: ts.TypeNode | undefined, checker: ts.TypeChecker): ConstraintTag[] {
  const tags: ConstraintTag[] = [];
  for (let depth = 0; node && ts.isTypeReferenceNode(node) && depth < 8; depth++) {
    let symbol = checker.getSymbolAtLocation(node.typeName);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const declaration = symbol?.declarations?.find(ts.isTypeAliasDeclaration);
    if (!declaration) break;
    tags.unshift(...constraintTags(symbol, checker));
    node = declaration.type;
  }
  return tags;
}

/** The tag's value as a number, or a problem. */
function numberOf(tag: ConstraintTag, problems: string[], nonNegativeInteger: boolean): number | undefined {
  const value = tag.text === '' ? Number.NaN : Number(tag.text);
  const ok = Number.isFinite(value) && (!nonNegativeInteger || (Number.isInteger(value) && value >= 0));
  if (ok) return value;
  problems.push(`@${tag.name} needs ${nonNegativeInteger ? 'a non-negative integer' : 'a finite number'}, got '${tag.text}'`);
  return undefined;
}

/** The nodes of `type` a tag of `target` kind applies to: the type itself, union members, or array items for a scalar tag. */
function targetsOf(type: TypeIR, target: 'number' | 'string' | 'array'): TypeIR[] {
  if (type.kind === target) return [type];
  if (type.kind === 'union') return type.members.flatMap((m) => targetsOf(m, target));
  if (type.kind === 'array' && target !== 'array') return targetsOf(type.items, target);
  return [];
}

/** Puts one tag's value on a node of its kind; a problem when the value is bad. */
function applyTag(node: TypeIR, tag: ConstraintTag, problems: string[]): void {
  const into = node as Record<string, unknown>;
  switch (tag.name) {
    case 'integer':
    case 'uniqueItems':
      if (tag.text !== '' && tag.text !== 'true') problems.push(`@${tag.name} takes no value, got '${tag.text}'`);
      into[tag.name] = true;
      return;
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems': {
      const value = numberOf(tag, problems, true);
      if (value !== undefined) into[tag.name] = value;
      return;
    }
    case 'multipleOf': {
      const value = numberOf(tag, problems, false);
      if (value !== undefined && value <= 0) problems.push(`@multipleOf needs a number > 0, got '${tag.text}'`);
      else if (value !== undefined) into[tag.name] = value;
      return;
    }
    case 'pattern':
      try {
        // Analysis checks the pattern compiles; the generated code holds it as a string literal.
        new RegExp(tag.text, 'u');
        into['pattern'] = tag.text;
      } catch (error) {
        problems.push(`@pattern '${tag.text}' is not a valid regular expression (${(error as Error).message})`);
      }
      return;
    case 'format':
      if ((FORMATS as readonly string[]).includes(tag.text)) into['format'] = tag.text as Format;
      else problems.push(`@format '${tag.text}' is not one of ${FORMATS.join(', ')}`);
      return;
    default: {
      const value = numberOf(tag, problems, false);
      if (value !== undefined) into[tag.name] = value;
    }
  }
}

/**
 * Applies constraint tags to a type read from the checker (a copy of the nodes it changes is the
 * caller's business: `type` must not be shared). Returns the problems: a tag on a type of another
 * kind (`@minimum` on a string), or a bad value.
 */
export function applyConstraints(type: TypeIR, tags: readonly ConstraintTag[], typeText: string): string[] {
  const problems: string[] = [];
  for (const tag of tags) {
    const targets = targetsOf(type, TAG_TARGET[tag.name]);
    if (targets.length === 0) {
      problems.push(`@${tag.name} applies to ${TAG_TARGET[tag.name]}s, but the type is ${typeText}`);
      continue;
    }
    for (const node of targets) applyTag(node, tag, problems);
  }
  return [...new Set(problems)];
}
