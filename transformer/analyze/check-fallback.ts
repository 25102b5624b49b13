import { ts } from 'ts-morph';
import { DIAGNOSTIC_CODES } from '../diagnostics.js';
import type { CheckContext, DecoratorSite, MethodSite } from './context.js';

/** Parameters a signature cannot be called without. */
function requiredCount(signature: ts.Signature): number {
  let count = 0;
  signature.getParameters().forEach((symbol, index) => {
    const declaration = symbol.valueDeclaration;
    const optional =
      declaration !== undefined &&
      ts.isParameter(declaration) &&
      (declaration.questionToken !== undefined || declaration.initializer !== undefined || declaration.dotDotDotToken !== undefined);
    if (!optional) count = index + 1;
  });
  return count;
}

/**
 * Whether the fallback can be called as the runtime calls it: with the method's arguments and the
 * error last. Rough on purpose: the required count must fit, and each of the method's parameter
 * types (nullish parts aside) must be assignable to the fallback's parameter in its place.
 */
function acceptsCall(signature: ts.Signature, method: MethodSite, checker: ts.TypeChecker, at: ts.Node): boolean {
  const params = method.plan.parameters;
  const hasRest = params.some((p) => p.rest);
  if (!hasRest && requiredCount(signature) > params.length + 1) return false;
  const targets = signature.getParameters();
  for (let i = 0; i < params.length && i < targets.length; i++) {
    const declaration = targets[i]!.valueDeclaration;
    if (params[i]!.rest || (declaration && ts.isParameter(declaration) && declaration.dotDotDotToken)) break;
    const source = checker.getNonNullableType(method.parameterTypes[i]!);
    const target = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(targets[i]!, at));
    if (!checker.isTypeAssignableTo(source, target)) return false;
  }
  return true;
}

/** The type that holds the class's methods: its instances, or the class itself for a static method. */
function homeType(method: MethodSite, checker: ts.TypeChecker): ts.Type | undefined {
  const symbol = checker.getTypeAtLocation(method.classNode).getSymbol();
  if (!symbol) return undefined;
  return method.plan.isStatic ? checker.getTypeOfSymbolAtLocation(symbol, method.classNode) : checker.getDeclaredTypeOfSymbol(symbol);
}

/**
 * RSL1006: a literal `@Fallback` method must exist on the class (own or inherited, static when the
 * method is), must not be the method itself, and must be callable with the method's arguments and
 * the error.
 */
export function checkFallback(method: MethodSite, site: DecoratorSite, ctx: CheckContext): void {
  const name = site.plan.options?.method;
  if (typeof name !== 'string') return;
  const { checker, report } = ctx;
  const { id, methodName, className } = method.plan;
  const at = site.read.sites.get('method')?.value ?? site.found.node;
  const prefix = `@Fallback on ${id}`;
  if (name === methodName) {
    report(at, DIAGNOSTIC_CODES.BAD_FALLBACK, `${prefix}: the fallback method cannot be the method itself`);
    return;
  }
  const home = homeType(method, checker);
  if (!home) return;
  const property = checker.getPropertyOfType(home, name);
  const where = method.plan.isStatic ? `static side of ${className}` : className;
  if (!property) {
    report(at, DIAGNOSTIC_CODES.BAD_FALLBACK, `${prefix}: no method '${name}' on ${where}`);
    return;
  }
  const signatures = checker.getTypeOfSymbolAtLocation(property, method.classNode).getCallSignatures();
  if (signatures.length === 0) {
    report(at, DIAGNOSTIC_CODES.BAD_FALLBACK, `${prefix}: '${name}' on ${where} is not a method`);
    return;
  }
  if (!signatures.some((s) => acceptsCall(s, method, checker, method.classNode))) {
    const args = method.plan.parameters.map((p) => p.type).join(', ');
    const shown = checker.signatureToString(signatures[0]!, method.classNode);
    report(
      at,
      DIAGNOSTIC_CODES.BAD_FALLBACK,
      `${prefix}: '${name}' ${shown} cannot be called with the arguments of ${methodName} (${args}) and the error`,
    );
  }
}
