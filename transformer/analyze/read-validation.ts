import { ts } from 'ts-morph';
import { DIAGNOSTIC_CODES } from '../diagnostics.js';
import type { MethodPlan, PlanValue } from '../plan.js';
import type { TypeIR, ValidationPlan } from '../type-ir.js';
import type { CheckContext } from './context.js';
import { OPAQUE_KEY } from './read-options.js';
import { TypeReader } from './read-type.js';

/** A literal boolean option of `@Validated`, or undefined when it is an expression (known only at run time). */
function literalFlag(options: Record<string, PlanValue> | undefined, name: string): boolean | undefined {
  if (options === undefined) return false;
  if (options[OPAQUE_KEY] !== undefined) return undefined;
  const value = options[name];
  if (value === undefined) return false;
  return typeof value === 'boolean' ? value : undefined;
}

/** What a chain starts with: the type's name when it has one, else the parameter's. */
function chainRoot(type: ts.Type, fallback: string, checker: ts.TypeChecker): string {
  const named = type.aliasSymbol ?? type.getSymbol();
  const name = named && !named.getName().startsWith('__') ? checker.typeToString(type) : undefined;
  return name && /^[\w$.<>, ]+$/.test(name) ? name : fallback;
}

/** Reports a reader's problems at a node, one diagnostic each. */
function reportProblems(reader: TypeReader, from: number, tagFrom: number, node: ts.Node, subject: string, ctx: CheckContext): void {
  for (const problem of reader.problems.slice(from)) {
    ctx.report(node, DIAGNOSTIC_CODES.UNCHECKABLE_TYPE, `${subject} cannot be checked: ${problem}`);
  }
  for (const problem of reader.tagProblems.slice(tagFrom)) {
    ctx.report(node, DIAGNOSTIC_CODES.BAD_CONSTRAINT, `${subject}: ${problem}`);
  }
}

/**
 * Reads what `@Validated` on a method checks: the type of each parameter and, with `returns`, of
 * the resolved result. Types that cannot be checked are reported (RSL1016), and so are constraint
 * tags that do not fit (RSL1017). With `returns` given as an expression, the result's type is read
 * when it can be checked, so the generated validator fits whichever value it has at run time.
 */
export function readValidation(
  node: ts.MethodDeclaration,
  plan: MethodPlan,
  options: Record<string, PlanValue> | undefined,
  returnType: ts.Type,
  ctx: CheckContext,
): ValidationPlan {
  const { checker, program } = ctx;
  const reader = new TypeReader(checker, program);
  const where = `@Validated on ${plan.id}`;
  const parameters: TypeIR[] = [];
  const declared = node.parameters.filter((p) => !(ts.isIdentifier(p.name) && p.name.text === 'this'));
  declared.forEach((declaration, i) => {
    const parameter = plan.parameters[i]!;
    const name = parameter.name || `arg${i}`;
    if (parameter.isAbortSignal) {
      parameters.push({ kind: 'instance', className: 'AbortSignal', global: true });
      return;
    }
    const type = declaration.type ? checker.getTypeFromTypeNode(declaration.type) : checker.getTypeAtLocation(declaration);
    const marks = [reader.problems.length, reader.tagProblems.length] as const;
    parameters.push(reader.read(type, chainRoot(type, name, checker), declaration.type));
    reportProblems(reader, marks[0], marks[1], declaration, `${where}: parameter '${name}'`, ctx);
  });
  const returns = literalFlag(options, 'returns');
  const validation: ValidationPlan = { parameters, strict: literalFlag(options, 'strict') === true, defs: reader.defs };
  if (returns === false) return validation;
  const result = plan.async ? (checker.getAwaitedType(returnType) ?? returnType) : returnType;
  if (returns === undefined) {
    // Known only at run time: a result type that cannot be checked is left out, not an error.
    const scratch = new TypeReader(checker, program);
    scratch.read(result, 'result', node.type);
    if (scratch.problems.length > 0 || scratch.tagProblems.length > 0) return validation;
  }
  const marks = [reader.problems.length, reader.tagProblems.length] as const;
  validation.returns = reader.read(result, chainRoot(result, 'result', checker), node.type && !plan.async ? node.type : undefined);
  reportProblems(reader, marks[0], marks[1], node.type ?? node.name, `${where}: its result`, ctx);
  return validation;
}
