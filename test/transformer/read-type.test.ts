import { describe, expect, it } from 'vitest';
import type { MethodPlan } from '../../transformer/plan.js';
import { errorsOf } from './emit-support.js';
import { analyze } from './support.js';

/**
 * The type IR of `@Validated`, read from the checker: what each kind of type becomes, and the
 * diagnostics of types that cannot be checked (RSL1016) and of constraint tags that do not fit (RSL1017).
 */

/** The plan of the one method `Svc.m` of a source whose declarations come before the class. */
function methodOf(declarations: string, parameters: string, options = '', returns = 'void'): { method: MethodPlan; errors: string[] } {
  const plan = analyze(`import { Validated } from 'resil';
${declarations}
export class Svc {
  @Validated(${options})
  m(${parameters}): ${returns} { return undefined as never; }
}`);
  const method = plan.methods.find((m) => m.id === 'Svc.m');
  if (!method?.validation) throw new Error(`no validation plan: ${JSON.stringify(errorsOf(plan))}`);
  return { method, errors: errorsOf(plan) };
}

describe('reading parameter types', () => {
  function doTest(declarations: string, parameters: string, expected: unknown): void {
    const { method, errors } = methodOf(declarations, parameters);
    expect(errors).toEqual([]);
    expect({ parameters: method.validation!.parameters, defs: method.validation!.defs }).toEqual(expected);
  }

  it('primitives, literals, null and undefined, any and unknown', () => {
    doTest('', 'a: string, b: number, c: boolean, d: bigint, e: "x" | 2 | null, f: undefined, g: any, h: unknown', {
      parameters: [
        { kind: 'string' },
        { kind: 'number' },
        { kind: 'boolean' },
        { kind: 'bigint' },
        { kind: 'union', members: [{ kind: 'literal', value: null }, { kind: 'literal', value: 'x' }, { kind: 'literal', value: 2 }] },
        { kind: 'undefined' },
        { kind: 'any' },
        { kind: 'any' },
      ],
      defs: {},
    });
  });

  it('an interface with optional properties and JSDoc constraints becomes a def, referenced by id', () => {
    doTest(
      `interface Item {
  /** @minLength 1 */ sku: string;
  /** @integer @minimum 1 @maximum 1000 */ qty: number;
  note?: string;
}`,
      'item: Item',
      {
        parameters: [{ kind: 'ref', id: 'Item@src/app.ts:2' }],
        defs: {
          'Item@src/app.ts:2': {
            id: 'Item@src/app.ts:2',
            name: 'Item',
            type: {
              kind: 'object',
              properties: [
                { name: 'sku', type: { kind: 'string', minLength: 1 }, optional: false },
                { name: 'qty', type: { kind: 'number', integer: true, minimum: 1, maximum: 1000 }, optional: false },
                { name: 'note', type: { kind: 'string' }, optional: true },
              ],
            },
          },
        },
      },
    );
  });

  it('a recursive alias refers to itself by id', () => {
    const { method } = methodOf('type Tree = { value: number; children: Tree[] };', 't: Tree');
    const id = 'Tree@src/app.ts:2';
    expect(method.validation!.defs[id]!.type).toEqual({
      kind: 'object',
      properties: [
        { name: 'value', type: { kind: 'number' }, optional: false },
        { name: 'children', type: { kind: 'array', items: { kind: 'ref', id } }, optional: false },
      ],
    });
  });

  it('a union of objects with a literal tag is discriminated by it', () => {
    const { method } = methodOf("type Shape = { kind: 'circle'; r: number } | { kind: 'square'; side: number };", 's: Shape');
    const shape = Object.values(method.validation!.defs)[0]!.type;
    expect(shape.kind === 'union' && shape.discriminant).toEqual({ property: 'kind', values: ['circle', 'square'] });
  });

  it('tuples with optional and rest elements, records, dates, enums, classes and instantiated generics', () => {
    const { method, errors } = methodOf(
      `enum Color { Red = 'red', Blue = 'blue' }
class Money { constructor(readonly cents: number) {} }
interface Page<T> { items: T[] }`,
      't: [string, number?, ...boolean[]], r: Record<string, number>, d: Date, c: Color, m: Money, p: Page<string>',
    );
    expect(errors).toEqual([]);
    const [t, r, d, c, m, p] = method.validation!.parameters;
    expect(t).toEqual({
      kind: 'tuple',
      elements: [
        { type: { kind: 'string' }, optional: false },
        { type: { kind: 'number' }, optional: true },
      ],
      rest: { kind: 'boolean' },
    });
    expect(r).toEqual({ kind: 'ref', id: 'Record<string, number>' });
    expect(method.validation!.defs['Record<string, number>']!.type).toEqual({ kind: 'object', properties: [], index: { kind: 'number' } });
    expect(d).toEqual({ kind: 'date' });
    expect(c).toMatchObject({ kind: 'ref' });
    expect(method.validation!.defs[(c as { id: string }).id]!.type).toEqual({
      kind: 'union',
      members: [{ kind: 'literal', value: 'red' }, { kind: 'literal', value: 'blue' }],
    });
    expect(m).toEqual({ kind: 'instance', className: 'Money', global: false });
    expect(method.validation!.defs[(p as { id: string }).id]).toMatchObject({
      name: 'Page<string>',
      type: { kind: 'object', properties: [{ name: 'items', type: { kind: 'array', items: { kind: 'string' } }, optional: false }] },
    });
  });

  it('an intersection of object types is one object type', () => {
    const { method } = methodOf('interface A { a: string } interface B { b: number }', 'x: A & B');
    expect(method.validation!.parameters[0]).toEqual({
      kind: 'object',
      properties: [
        { name: 'a', type: { kind: 'string' }, optional: false },
        { name: 'b', type: { kind: 'number' }, optional: false },
      ],
    });
  });

  it('constraint tags on an alias used as a property type, and on an array of them', () => {
    const { method } = methodOf('/** @format uuid */ type Uuid = string;\ninterface R {\n  id: Uuid;\n  /** @maxItems 3 */\n  ids: Uuid[];\n}', 'r: R');
    expect(Object.values(method.validation!.defs)[0]!.type).toEqual({
      kind: 'object',
      properties: [
        { name: 'id', type: { kind: 'string', format: 'uuid' }, optional: false },
        { name: 'ids', type: { kind: 'array', items: { kind: 'string' }, maxItems: 3 }, optional: false },
      ],
    });
  });

  it('returns: true reads the awaited result; strict is carried', () => {
    const plan = analyze(`import { Validated } from 'resil';
export class Svc {
  @Validated({ returns: true, strict: true })
  async m(n: number): Promise<{ ok: boolean }> { return { ok: n > 0 }; }
}`);
    expect(plan.methods[0]!.validation).toEqual({
      parameters: [{ kind: 'number' }],
      returns: { kind: 'object', properties: [{ name: 'ok', type: { kind: 'boolean' }, optional: false }] },
      strict: true,
      defs: {},
    });
  });
});

describe('types that cannot be checked are diagnostics naming the chain (RSL1016)', () => {
  function doTest(declarations: string, parameters: string, expected: string[]): void {
    const plan = analyze(`import { Validated } from 'resil';
${declarations}
export class Svc {
  @Validated()
  m(${parameters}): void {}
}`);
    expect(errorsOf(plan).map((e) => e.replace(/^(\S+) \S+ /, '$1 '))).toEqual(expected);
    expect(plan.methodsWithErrors).toEqual(['Svc.m']);
  }

  it('a function inside data', () => {
    doTest(
      'interface Line { qty: number; callback: () => void }\ninterface OrderRequest { items: Line[] }',
      'req: OrderRequest',
      ["RSL1016 @Validated on Svc.m: parameter 'req' cannot be checked: OrderRequest.items[].callback: a function type (() => void): functions inside data cannot be checked"],
    );
  });

});
