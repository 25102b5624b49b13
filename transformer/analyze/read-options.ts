import { ts } from 'ts-morph';
import type { PolicyKind } from '../../src/policies/kinds.js';
import type { PlanExpression, PlanValue } from '../plan.js';

/** Where one option is written, for diagnostics. */
export interface OptionSite {
  /** The property's name, or the whole argument of a shorthand (`@Timeout(2000)`). */
  key: ts.Node;
  /** Its value expression. */
  value: ts.Expression;
}

/** A decorator's options as read from its argument. */
export interface ReadOptions {
  /** As in `DecoratorPlan.options`: undefined when no argument was given. */
  options: Record<string, PlanValue> | undefined;
  /** Each option's site, by key; empty when the argument is not an object literal. */
  sites: Map<string, OptionSite>;
  /**
   * The argument, when it is neither an object literal nor a shorthand: kept whole as
   * `{ $options: { $expr } }`.
   */
  opaque: ts.Expression | undefined;
}

/** The synthetic key under which a non-object argument is kept whole. */
export const OPAQUE_KEY = '$options';

const expr = (node: ts.Node): PlanExpression => ({ $expr: node.getText() });

/** Whether a plan value is a non-literal expression. */
export function isExpression(value: PlanValue | undefined): value is PlanExpression {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof value.$expr === 'string';
}

/** Whether a plan value is literal all the way down (no expression inside). */
export function isLiteral(value: PlanValue): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(isLiteral);
  if (isExpression(value)) return false;
  return Object.values(value).every(isLiteral);
}

/** Strips what does not change a value: parentheses, `as`, `satisfies`, `!`, `<T>x`. */
export function skipOuter(node: ts.Expression): ts.Expression {
  let e = node;
  while (
    ts.isParenthesizedExpression(e) ||
    ts.isAsExpression(e) ||
    ts.isSatisfiesExpression(e) ||
    ts.isNonNullExpression(e) ||
    ts.isTypeAssertionExpression(e)
  ) {
    e = e.expression;
  }
  return e;
}

function numberOf(literal: ts.NumericLiteral): number {
  // The scanner keeps numeric separators and radix prefixes in `text` for some forms.
  return Number(literal.text.replace(/_/g, ''));
}

/** A property name known without evaluating anything, or undefined for a computed one. */
export function staticPropertyName(name: ts.PropertyName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isNumericLiteral(name)) return String(numberOf(name));
  if (ts.isComputedPropertyName(name)) {
    const inner = skipOuter(name.expression);
    if (ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner)) return inner.text;
    if (ts.isNumericLiteral(inner)) return String(numberOf(inner));
  }
  return undefined;
}

/** An object literal's properties, or undefined when one of them cannot be read without running code. */
function readObject(node: ts.ObjectLiteralExpression, sites?: Map<string, OptionSite>): Record<string, PlanValue> | undefined {
  const out: Record<string, PlanValue> = {};
  for (const property of node.properties) {
    if (ts.isPropertyAssignment(property)) {
      const key = staticPropertyName(property.name);
      if (key === undefined) return undefined;
      out[key] = readValue(property.initializer);
      sites?.set(key, { key: property.name, value: property.initializer });
    } else if (ts.isShorthandPropertyAssignment(property)) {
      out[property.name.text] = expr(property.name);
      sites?.set(property.name.text, { key: property.name, value: property.name });
    } else {
      // Spreads, methods and accessors: the object is one expression, evaluated at class definition.
      return undefined;
    }
  }
  return out;
}

/**
 * A value as written: literals (objects, arrays, strings, numbers, booleans, null) as values, any
 * other expression as `{ $expr }` with its source text. An array keeps its literal elements and
 * wraps the others; an array with a spread, or an object with a spread, method or computed key,
 * is one expression.
 */
export function readValue(node: ts.Expression): PlanValue {
  const e = skipOuter(node);
  switch (e.kind) {
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
      return (e as ts.StringLiteral).text;
    case ts.SyntaxKind.NumericLiteral:
      return numberOf(e as ts.NumericLiteral);
    case ts.SyntaxKind.TrueKeyword:
      return true;
    case ts.SyntaxKind.FalseKeyword:
      return false;
    case ts.SyntaxKind.NullKeyword:
      return null;
    case ts.SyntaxKind.PrefixUnaryExpression: {
      const { operator, operand } = e as ts.PrefixUnaryExpression;
      const inner = skipOuter(operand);
      if (ts.isNumericLiteral(inner) && operator === ts.SyntaxKind.MinusToken) return -numberOf(inner);
      if (ts.isNumericLiteral(inner) && operator === ts.SyntaxKind.PlusToken) return numberOf(inner);
      return expr(node);
    }
    case ts.SyntaxKind.ArrayLiteralExpression: {
      const { elements } = e as ts.ArrayLiteralExpression;
      if (elements.some((el) => ts.isSpreadElement(el) || ts.isOmittedExpression(el))) return expr(node);
      return elements.map(readValue);
    }
    case ts.SyntaxKind.ObjectLiteralExpression:
      return readObject(e as ts.ObjectLiteralExpression) ?? expr(node);
    default:
      return expr(node);
  }
}

/** Whether the checker types `node` as a number (or a string), for the shorthand forms of two decorators. */
function typeIs(checker: ts.TypeChecker, node: ts.Expression, flags: ts.TypeFlags): boolean {
  const type = checker.getTypeAtLocation(node);
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((t) => (t.flags & flags) !== 0);
}

/**
 * The shorthand forms `@Timeout(ms)` and `@Fallback('method')`, normalised to `{ ms }` and
 * `{ method }`; also when the argument is an expression the checker types as a number or string.
 */
function readShorthand(kind: PolicyKind, arg: ts.Expression, checker: ts.TypeChecker): Record<string, PlanValue> | undefined {
  const value = readValue(arg);
  if (kind === 'timeout' && (typeof value === 'number' || (isExpression(value) && typeIs(checker, arg, ts.TypeFlags.NumberLike)))) {
    return { ms: value };
  }
  if (kind === 'fallback' && (typeof value === 'string' || (isExpression(value) && typeIs(checker, arg, ts.TypeFlags.StringLike)))) {
    return { method: value };
  }
  return undefined;
}

/** Reads the options of a resil method decorator from its call. */
export function readDecoratorOptions(kind: PolicyKind, call: ts.CallExpression, checker: ts.TypeChecker): ReadOptions {
  const sites = new Map<string, OptionSite>();
  const arg = call.arguments[0];
  if (arg === undefined) return { options: undefined, sites, opaque: undefined };
  const inner = skipOuter(arg);
  if (ts.isObjectLiteralExpression(inner)) {
    const options = readObject(inner, sites);
    if (options) return { options, sites, opaque: undefined };
    sites.clear();
  } else {
    const shorthand = readShorthand(kind, arg, checker);
    if (shorthand) {
      sites.set(Object.keys(shorthand)[0]!, { key: arg, value: arg });
      return { options: shorthand, sites, opaque: undefined };
    }
  }
  return { options: { [OPAQUE_KEY]: expr(arg) }, sites, opaque: arg };
}
