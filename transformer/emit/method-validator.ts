import type { CodeBlockWriter } from 'ts-morph';
import type { MethodPlan } from '../plan.js';
import type { TypeDef } from '../type-ir.js';
import { ValidatorSet, validatorWriter } from './validators.js';

/** The names of a method's validator functions, from the name of its factory (`createOrdersPlace`). */
export function validatorNames(factoryName: string): { args: string; result: string } {
  const base = factoryName.replace(/^create/, '');
  return { args: `validate${base}`, result: `validateResult${base}` };
}

/** What a parameter is called in issue paths: its name, or `arg<i>` for a destructured one. */
const rootOf = (method: MethodPlan, i: number): string => method.parameters[i]!.name || `arg${i}`;

/**
 * Writes `validate<Method>(args)`: undefined when every argument passes the fast path, else every
 * issue, collected by the issue path. An optional parameter passes as `undefined`; a rest
 * parameter is checked as the array of the arguments from its position on.
 */
function writeArgs(w: CodeBlockWriter, set: ValidatorSet, method: MethodPlan, name: string): void {
  const validation = method.validation!;
  const { strict } = validation;
  const value = (i: number): string => (method.parameters[i]!.rest ? `args.slice(${i})` : `args[${i}]`);
  w.writeLine(`/** ${method.id}: the arguments' issues, or undefined when they pass. */`);
  w.write(`function ${name}(args: readonly unknown[]): ValidationIssue[] | undefined`).block(() => {
    const tests: { i: number; test: string; optional: boolean }[] = [];
    validation.parameters.forEach((type, i) => {
      w.writeLine(`const a${i} = ${value(i)};`);
      const test = set.cond(type, `a${i}`, '0', strict);
      const optional = method.parameters[i]!.optional && !method.parameters[i]!.rest;
      if (test !== 'true') tests.push({ i, test, optional });
    });
    if (tests.length === 0) {
      w.writeLine('return undefined;');
      return;
    }
    set.helpers.add('Issues');
    w.writeLine('let c: Issues | undefined;');
    // Each parameter's fast path runs once; only a failing one is walked for issues, from where it failed.
    for (const { i, test, optional } of tests) {
      const type = validation.parameters[i]!;
      w.write(`if (!(${optional ? `a${i} === undefined || ${test}` : test}))`).block(() => {
        w.writeLine('c ??= new Issues();');
        set.writeCheckAfterFast(w, type, `a${i}`, JSON.stringify(rootOf(method, i)), '0', strict);
      });
    }
    w.writeLine("return c === undefined ? undefined : c.result('arguments', args);");
  });
}

/** Writes `validateResult<Method>(value)`, for `returns: true`: the resolved result's issues at path `result`. */
function writeResult(w: CodeBlockWriter, set: ValidatorSet, method: MethodPlan, name: string): void {
  const { returns, strict } = method.validation!;
  w.writeLine(`/** ${method.id}: the issues of its resolved result, or undefined when it passes. */`);
  w.write(`function ${name}(value: unknown): ValidationIssue[] | undefined`).block(() => {
    const test = set.cond(returns!, 'value', '0', strict);
    if (test === 'true') {
      w.writeLine('return undefined;');
      return;
    }
    w.writeLine(`if (${test}) return undefined;`);
    set.helpers.add('Issues');
    w.writeLine('const c = new Issues();');
    set.writeCheckAfterFast(w, returns!, 'value', "'result'", '0', strict);
    w.writeLine("return c.result('result', value);");
  });
}

/** The validator functions of one method with `@Validated`, as module-level text. */
export function emitMethodValidators(set: ValidatorSet, method: MethodPlan, factoryName: string): string {
  const names = validatorNames(factoryName);
  const w = validatorWriter();
  writeArgs(w, set, method, names.args);
  if (method.validation!.returns) {
    w.blankLine();
    writeResult(w, set, method, names.result);
  }
  return w.toString().replace(/\n$/, '');
}

/** The validators of a module: its text (module-level declarations) and what it imports from `resil`. */
export interface ValidatorSection {
  text: string;
  /** Value imports from `resil`, sorted; `type ValidationIssue` is imported whenever `text` is not empty. */
  helpers: string[];
}

/**
 * Every validator of the methods with `@Validated` among `methods`, their types shared: the
 * named types of all of them are one table (their ids are unique in the project), and a type used
 * by several methods gets one pair of functions.
 *
 * @param factoryNames the factory name of each method, by id
 */
export function emitValidatorSection(methods: readonly MethodPlan[], factoryNames: ReadonlyMap<string, string>): ValidatorSection {
  const validated = methods.filter((m) => m.validation !== undefined);
  if (validated.length === 0) return { text: '', helpers: [] };
  const defs = Object.assign({}, ...validated.map((m) => m.validation!.defs)) as Record<string, TypeDef>;
  const set = new ValidatorSet(defs);
  const own = validated.map((m) => emitMethodValidators(set, m, factoryNames.get(m.id)!));
  // The shared functions first, then each method's own.
  return { text: [set.declarations(), ...own].filter((t) => t !== '').join('\n\n'), helpers: [...set.helpers].sort() };
}
