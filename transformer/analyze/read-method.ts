import { ts } from 'ts-morph';
import { DIAGNOSTIC_CODES, TransformError } from '../diagnostics.js';
import type { ParameterPlan } from '../plan.js';
import { skipOuter, staticPropertyName } from './read-options.js';

/** How types are printed in the plan: in full, never cut short with `...`. */
const TYPE_FORMAT = ts.TypeFormatFlags.NoTruncation;

/**
 * Printed types, once per type object: printing is the costliest step of reading a method, and
 * the checker interns types, so `string` or `AbortSignal` is printed once per run. Weak, so a run's
 * types go with its checker.
 */
const printed = new WeakMap<ts.Type, string>();

function printType(type: ts.Type, checker: ts.TypeChecker): string {
  let text = printed.get(type);
  if (text === undefined) {
    text = checker.typeToString(type, undefined, TYPE_FORMAT);
    printed.set(type, text);
  }
  return text;
}

/** A method's parameters: their plans and, for checks, their types. */
export interface ReadParameters {
  plans: ParameterPlan[];
  types: ts.Type[];
}

/** What a method returns. */
export interface ReadReturn {
  type: ts.Type;
  text: string;
  /** Declared `async`, or returns a `Promise` or another thenable per the checker. */
  async: boolean;
}

/** Where a node starts, 1-based. */
export function positionOf(node: ts.Node): { line: number; column: number } {
  const sourceFile = node.getSourceFile();
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
  return { line: line + 1, column: character + 1 };
}

/** The description of a symbol created by `Symbol('d')`, `Symbol.for('d')`, or a well-known `Symbol.x`. */
function symbolDescription(node: ts.Expression): string | undefined {
  const e = skipOuter(node);
  if (ts.isCallExpression(e)) {
    const callee = skipOuter(e.expression);
    const isSymbolCall =
      (ts.isIdentifier(callee) && callee.text === 'Symbol') ||
      (ts.isPropertyAccessExpression(callee) && callee.name.text === 'for' && ts.isIdentifier(callee.expression) && callee.expression.text === 'Symbol');
    if (!isSymbolCall) return undefined;
    const arg = e.arguments[0];
    if (arg === undefined) return '';
    const inner = skipOuter(arg);
    return ts.isStringLiteral(inner) || ts.isNoSubstitutionTemplateLiteral(inner) ? inner.text : undefined;
  }
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Symbol') {
    return `Symbol.${e.name.text}`;
  }
  return undefined;
}

/** The initializer of the constant a computed key refers to, through imports. */
function initializerOf(node: ts.Expression, checker: ts.TypeChecker): ts.Expression | undefined {
  const e = skipOuter(node);
  const name = ts.isIdentifier(e) ? e : ts.isPropertyAccessExpression(e) ? e.name : undefined;
  if (!name) return undefined;
  let symbol = checker.getSymbolAtLocation(name);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const declaration = symbol?.valueDeclaration;
  if (declaration && (ts.isVariableDeclaration(declaration) || ts.isPropertyDeclaration(declaration))) return declaration.initializer;
  return undefined;
}

/** The name of a computed key: a literal, a symbol constant (`[description]`), or a literal-typed constant. */
function computedName(name: ts.ComputedPropertyName, checker: ts.TypeChecker): string | undefined {
  let expression: ts.Expression | undefined = name.expression;
  // Follows `const a = b; const b = Symbol('x')` a few steps; real code rarely chains further.
  for (let depth = 0; expression && depth < 4; depth++) {
    const description = symbolDescription(expression);
    if (description !== undefined) return `[${description}]`;
    expression = initializerOf(expression, checker);
  }
  const type = checker.getTypeAtLocation(name.expression);
  if (type.isStringLiteral()) return type.value;
  if (type.isNumberLiteral()) return String(type.value);
  return undefined;
}

/**
 * A method's name as the runtime names it in ids: its key, `#name` for a private method, and
 * `[description]` for a symbol key (src/method-site.ts). Throws a {@link TransformError} when the
 * key is computed from something only running the code can tell.
 */
export function readMethodName(method: ts.MethodDeclaration, className: string, checker: ts.TypeChecker): string {
  const { name } = method;
  if (ts.isPrivateIdentifier(name)) return name.text;
  const known = ts.isComputedPropertyName(name) ? computedName(name, checker) : staticPropertyName(name);
  if (known !== undefined) return known;
  throw new TransformError(
    DIAGNOSTIC_CODES.UNKNOWN_METHOD_NAME,
    `a method of ${className || 'an anonymous class'} carries resil decorators, but its name cannot be known before it runs; ` +
      `give it a literal name or a constant Symbol('…')`,
    name,
  );
}

/** Whether a type is the DOM/Node `AbortSignal`, alone or with `undefined`/`null`. */
function isAbortSignalType(type: ts.Type, checker: ts.TypeChecker): boolean {
  const t = checker.getNonNullableType(type);
  return !t.isUnion() && t.getSymbol()?.name === 'AbortSignal';
}

/** When lib types are missing the checker cannot resolve `AbortSignal`: the written name still says it. */
function namesAbortSignal(node: ts.TypeNode | undefined): boolean {
  if (!node) return false;
  if (ts.isTypeReferenceNode(node)) return ts.isIdentifier(node.typeName) && node.typeName.text === 'AbortSignal';
  if (ts.isUnionTypeNode(node)) {
    const rest = node.types.filter((t) => t.kind !== ts.SyntaxKind.UndefinedKeyword && !(ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword));
    return rest.length === 1 && namesAbortSignal(rest[0]);
  }
  return false;
}

/** The parameters of a method implementation, without a `this` parameter. */
export function readParameters(method: ts.MethodDeclaration, checker: ts.TypeChecker): ReadParameters {
  const plans: ParameterPlan[] = [];
  const types: ts.Type[] = [];
  for (const p of method.parameters) {
    if (ts.isIdentifier(p.name) && p.name.text === 'this') continue;
    const type = p.type ? checker.getTypeFromTypeNode(p.type) : checker.getTypeAtLocation(p);
    const unresolved = (type.flags & ts.TypeFlags.Any) !== 0;
    plans.push({
      name: ts.isIdentifier(p.name) ? p.name.text : '',
      type: printType(type, checker),
      optional: p.questionToken !== undefined || p.initializer !== undefined,
      rest: p.dotDotDotToken !== undefined,
      isAbortSignal: isAbortSignalType(type, checker) || (unresolved && namesAbortSignal(p.type)),
    });
    types.push(type);
  }
  return { plans, types };
}

/** Whether every constituent of a type has a `then`: a `Promise`, a `PromiseLike`, or any thenable. */
function isThenable(type: ts.Type, checker: ts.TypeChecker): boolean {
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((part) => {
    if (part.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.Never)) return false;
    return checker.getPropertyOfType(checker.getApparentType(part), 'then') !== undefined;
  });
}

/** What a method returns, and whether it is asynchronous (the `async` keyword, or a thenable return type). */
export function readReturn(method: ts.MethodDeclaration, checker: ts.TypeChecker): ReadReturn {
  const signature = checker.getSignatureFromDeclaration(method);
  const type = signature ? checker.getReturnTypeOfSignature(signature) : checker.getAnyType();
  const isAsyncKeyword = ts.getCombinedModifierFlags(method) & ts.ModifierFlags.Async;
  return {
    type,
    text: printType(type, checker),
    async: isAsyncKeyword !== 0 || isThenable(type, checker),
  };
}
