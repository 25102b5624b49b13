import { ts } from 'ts-morph';
import { DECORATOR_NAME, POLICY_ORDER, type PolicyKind } from '../../src/policies/kinds.js';
import { DIAGNOSTIC_CODES } from '../diagnostics.js';
import type { MethodPlan } from '../plan.js';
import type { CheckContext, DecoratorSite, MethodSite } from './context.js';
import type { FoundDecorator } from './find-decorators.js';
import { readDecoratorOptions } from './read-options.js';
import { positionOf, readMethodName, readParameters, readReturn } from './read-method.js';
import { readValidation } from './read-validation.js';

const ORDER = new Map<PolicyKind, number>(POLICY_ORDER.map((kind, index) => [kind, index]));

/**
 * The method decorators among `found`, one per kind, in written order. A second decorator of a
 * kind (RSL1008), one written without a call (RSL1002) and `@Resilient` on a method (RSL1010)
 * are reported and left out.
 */
function readDecorators(found: readonly FoundDecorator[], methodId: string, ctx: CheckContext): DecoratorSite[] {
  const sites: DecoratorSite[] = [];
  for (const decorator of found) {
    const { kind, call, callee, node } = decorator;
    if (kind === 'resilient') {
      ctx.report(node, DIAGNOSTIC_CODES.NOT_A_METHOD, `@Resilient decorates classes, not the method ${methodId}`);
      continue;
    }
    const name = DECORATOR_NAME[kind];
    if (!call) {
      ctx.report(node, DIAGNOSTIC_CODES.INVALID_OPTION, `${name} on ${methodId} must be called: write ${name}(…)`);
      continue;
    }
    if (sites.some((s) => s.kind === kind)) {
      ctx.report(node, DIAGNOSTIC_CODES.DUPLICATE_DECORATOR, `${name} is applied twice to ${methodId}`);
      continue;
    }
    const read = readDecoratorOptions(kind, call, ctx.checker);
    const { line, column } = positionOf(node);
    sites.push({ kind, found: decorator, read, plan: { kind, options: read.options, importedAs: callee.getText(), line, column } });
  }
  return sites;
}

/** Whether a class member is static. */
function isStatic(node: ts.MethodDeclaration): boolean {
  return node.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword) ?? false;
}

/**
 * Reads one decorated method implementation into its plan and the nodes its checks need.
 * Throws a `TransformError` when the method cannot be planned at all (its name is unknowable).
 *
 * @param file the source file's path relative to the project root
 */
export function readMethodSite(
  node: ts.MethodDeclaration,
  classNode: ts.ClassLikeDeclaration,
  className: string,
  found: readonly FoundDecorator[],
  file: string,
  ctx: CheckContext,
): MethodSite {
  const { checker } = ctx;
  const methodName = readMethodName(node, className, checker);
  const id = `${className}.${methodName}`;
  const decorators = readDecorators(found, id, ctx);
  const parameters = readParameters(node, checker);
  const returned = readReturn(node, checker);
  const { line, column } = positionOf(node.name);
  const plan: MethodPlan = {
    id,
    className,
    methodName,
    file,
    line,
    column,
    isStatic: isStatic(node),
    async: returned.async,
    parameters: parameters.plans,
    signalIndex: parameters.plans.findIndex((p) => p.isAbortSignal),
    returnType: returned.text,
    decorators: decorators.map((d) => d.plan).sort((a, b) => ORDER.get(a.kind)! - ORDER.get(b.kind)!),
  };
  const validated = decorators.find((d) => d.kind === 'validated');
  if (validated) plan.validation = readValidation(node, plan, validated.plan.options, returned.type, ctx);
  return { plan, node, classNode, decorators, parameterTypes: parameters.types, returnType: returned.type };
}
