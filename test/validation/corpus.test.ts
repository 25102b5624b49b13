import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { FORMAT_CHECKERS } from '../../src/validation/formats.js';
import { typeSchema } from '../../transformer/emit/json-schema-ir.js';
import { loadValidators, type Validate } from './support.js';

/**
 * The corpus of SPEC §1's types: each type's generated validator against valid and invalid
 * samples, and, for every type JSON can hold, every sample's verdict (and as many values again
 * from fast-check) cross-checked with Ajv running the JSON Schema emitted from the same IR.
 */

const DECLARATIONS = `
enum Color { Red = 'red', Green = 'green' }
enum Level { Low, High }
interface Item {
  sku: string;
  /** @integer @minimum 1 @maximum 1000 */
  qty: number;
  /** @minimum 0 */
  price: number;
}
interface Order {
  /** @format uuid */
  id: string;
  /** @format email */
  email: string;
  /** @minItems 1 @maxItems 100 */
  items: Item[];
  /** @maxLength 500 */
  note?: string;
  priority: 'low' | 'normal' | 'high';
}
type Shape = { kind: 'circle'; radius: number } | { kind: 'square'; side: number } | { kind: 'rect'; w: number; h: number };
interface Tree { value: number; children: Tree[] }
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
interface Page<T> { items: T[]; next?: string }
interface Named { name: string }
interface Aged { age: number }
interface WithReadonly { readonly id: string; readonly tags: readonly string[] }
interface LinkedList { value: string; next?: LinkedList }
interface Dictionary { [key: string]: number }
interface Mixed { id: string; [key: string]: string }
interface Nested { a: { b: { c: { d: boolean } } } }
class Money { constructor(readonly cents: number) {} }
interface Strings {
  /** @minLength 2 @maxLength 4 */
  short: string;
  /** @pattern ^[A-Z]{3}-\\d+$ */
  code: string;
}
interface Formats {
  /** @format uri */ uri: string;
  /** @format date */ date: string;
  /** @format date-time */ at: string;
  /** @format ipv4 */ v4: string;
  /** @format ipv6 */ v6: string;
}
interface Numbers {
  /** @exclusiveMinimum 0 @exclusiveMaximum 1 */ ratio: number;
  /** @multipleOf 5 */ step: number;
}
interface Unique {
  /** @uniqueItems */ tags: string[];
}
`;

interface Entry {
  type: string;
  valid: unknown[];
  invalid: unknown[];
  /** False for types JSON cannot hold (bigint, Date, classes, undefined): not cross-checked with Ajv. */
  json?: boolean;
  /** Values of the type from fast-check, for more valid samples. */
  arbitrary?: fc.Arbitrary<unknown>;
}

/** A class named as the corpus's `Money`: user classes are checked by name on the prototype chain. */
class Money {
  constructor(readonly cents: number) {}
}

const uuid = '123e4567-e89b-12d3-a456-426614174000';
const item = { sku: 'tea', qty: 2, price: 1.5 };
const order = { id: uuid, email: 'a@example.com', items: [item], priority: 'low' };
const itemArb = fc.record({ sku: fc.string(), qty: fc.integer({ min: 1, max: 1000 }), price: fc.double({ min: 0, max: 1e6, noNaN: true }) });

const CORPUS: Record<string, Entry> = {
  String: { type: 'string', valid: ['', 'x'], invalid: [1, null, undefined, {}], arbitrary: fc.string() },
  Number: { type: 'number', valid: [0, -1.5, 1e300], invalid: ['1', Number.NaN, Number.POSITIVE_INFINITY, null] },
  Boolean: { type: 'boolean', valid: [true, false], invalid: [0, 'true', null], arbitrary: fc.boolean() },
  BigInt: { type: 'bigint', valid: [0n, 12n], invalid: [1, '1'], json: false },
  Null: { type: 'null', valid: [null], invalid: [undefined, 0, ''] },
  Undefined: { type: 'undefined', valid: [undefined], invalid: [null, 0], json: false },
  StringLiteral: { type: "'on'", valid: ['on'], invalid: ['off', 'ON'] },
  NumberLiteral: { type: '42', valid: [42], invalid: [41, '42'] },
  TrueLiteral: { type: 'true', valid: [true], invalid: [false, 1] },
  BigIntLiteral: { type: '7n', valid: [7n], invalid: [7, 8n], json: false },
  LiteralUnion: { type: "'a' | 'b' | 1", valid: ['a', 'b', 1], invalid: ['c', 2, null] },
  StringEnum: { type: 'Color', valid: ['red', 'green'], invalid: ['Red', 'blue', 0] },
  NumericEnum: { type: 'Level', valid: [0, 1], invalid: [2, '0'] },
  Nullable: { type: 'string | null', valid: ['x', null], invalid: [undefined, 1] },
  Optional: { type: 'number | undefined', valid: [1, undefined], invalid: [null, 'x'], json: false },
  Any: { type: 'any', valid: [1, 'x', null, {}, [], undefined], invalid: [] },
  Unknown: { type: 'unknown', valid: [1, { a: [] }], invalid: [] },
  Never: { type: 'never', valid: [], invalid: [1, null, undefined] },
  Array: { type: 'number[]', valid: [[], [1, 2]], invalid: [[1, '2'], {}, 'x', [Number.NaN]], arbitrary: fc.array(fc.integer()) },
  ReadonlyArray: { type: 'readonly string[]', valid: [['a']], invalid: [[1]] },
  NestedArray: { type: 'string[][]', valid: [[['a'], []]], invalid: [['a'], [[1]]] },
  Tuple: { type: '[string, number]', valid: [['a', 1]], invalid: [['a'], ['a', 1, 2], [1, 'a'], 'a'] },
  OptionalTuple: { type: '[string, number?]', valid: [['a'], ['a', 1]], invalid: [[], ['a', 'b'], ['a', 1, 2]] },
  RestTuple: { type: '[string, ...boolean[]]', valid: [['a'], ['a', true, false]], invalid: [[], ['a', 1]] },
  Record: { type: 'Record<string, number>', valid: [{}, { a: 1 }], invalid: [{ a: 'x' }, [], null], arbitrary: fc.dictionary(fc.string(), fc.integer()) },
  IndexSignature: { type: 'Dictionary', valid: [{ x: 1 }], invalid: [{ x: true }] },
  MixedIndex: { type: 'Mixed', valid: [{ id: 'a', x: 'y' }], invalid: [{ x: 'y' }, { id: 'a', x: 1 }] },
  Interface: { type: 'Item', valid: [item], invalid: [{ ...item, qty: 0 }, { ...item, qty: 1.5 }, { sku: 'x', qty: 1 }, { ...item, price: -1 }], arbitrary: itemArb },
  Order: {
    type: 'Order',
    valid: [order, { ...order, note: 'n' }],
    invalid: [{ ...order, items: [] }, { ...order, id: 'x' }, { ...order, email: 'x@' }, { ...order, priority: 'urgent' }, { ...order, note: 'x'.repeat(501) }],
    arbitrary: fc.record({
      id: fc.uuid(),
      email: fc.constantFrom('a@b.co', 'first.last@example.com'),
      items: fc.array(itemArb, { minLength: 1, maxLength: 5 }),
      priority: fc.constantFrom('low', 'normal', 'high'),
    }),
  },
  TypeLiteral: { type: '{ a: string; b?: number }', valid: [{ a: '' }, { a: '', b: 1 }], invalid: [{ b: 1 }, { a: '', b: 'x' }] },
  Readonly: { type: 'WithReadonly', valid: [{ id: 'a', tags: [] }], invalid: [{ id: 'a', tags: [1] }] },
  NestedObject: { type: 'Nested', valid: [{ a: { b: { c: { d: true } } } }], invalid: [{ a: { b: { c: { d: 1 } } } }, { a: { b: {} } }] },
  Intersection: { type: 'Named & Aged', valid: [{ name: 'a', age: 1 }], invalid: [{ name: 'a' }, { age: 1 }] },
  DiscriminatedUnion: {
    type: 'Shape',
    valid: [{ kind: 'circle', radius: 1 }, { kind: 'rect', w: 1, h: 2 }],
    invalid: [{ kind: 'circle', side: 1 }, { kind: 'oval' }, {}, 'circle'],
  },
  PlainUnion: { type: 'string | number[] | { x: number }', valid: ['a', [1], { x: 1 }], invalid: [1, ['a'], { x: 'a' }] },
  Recursive: {
    type: 'Tree',
    valid: [{ value: 1, children: [] }, { value: 1, children: [{ value: 2, children: [] }] }],
    invalid: [{ value: 1 }, { value: 1, children: [{ value: 'x', children: [] }] }],
  },
  RecursiveAlias: { type: 'Json', valid: [1, 'a', null, [1, { a: [true] }]], invalid: [undefined, [undefined], { a: () => 1 }], arbitrary: fc.jsonValue() },
  OptionalRecursive: { type: 'LinkedList', valid: [{ value: 'a' }, { value: 'a', next: { value: 'b' } }], invalid: [{ value: 'a', next: {} }] },
  Generic: { type: 'Page<Item>', valid: [{ items: [item] }, { items: [], next: 'x' }], invalid: [{ items: [{}] }, { items: [], next: 1 }] },
  GenericPrimitive: { type: 'Page<number>', valid: [{ items: [1] }], invalid: [{ items: ['1'] }] },
  Date: { type: 'Date', valid: [new Date(0)], invalid: [new Date(Number.NaN), '1970-01-01T00:00:00Z', 0], json: false },
  Class: { type: 'Money', valid: [new Money(1)], invalid: [{ cents: 1 }, null], json: false },
  StringConstraints: {
    type: 'Strings',
    valid: [{ short: 'ab', code: 'ABC-1' }, { short: '😀😀', code: 'XYZ-123' }],
    invalid: [{ short: 'a', code: 'ABC-1' }, { short: 'abcde', code: 'ABC-1' }, { short: 'ab', code: 'AB-1' }],
  },
  Formats: {
    type: 'Formats',
    valid: [{ uri: 'https://example.com/a?b=1#c', date: '2024-02-29', at: '2024-02-29T12:00:00.5Z', v4: '10.0.0.1', v6: '::1' }],
    invalid: [
      { uri: 'example', date: '2024-02-29', at: '2024-02-29T12:00:00Z', v4: '10.0.0.1', v6: '::1' },
      { uri: 'a:b', date: '2023-02-29', at: '2024-02-29T12:00:00Z', v4: '10.0.0.1', v6: '::1' },
      { uri: 'a:b', date: '2024-02-29', at: '2024-02-29 25:00:00Z', v4: '256.0.0.1', v6: '1::2::3' },
    ],
  },
  NumberConstraints: { type: 'Numbers', valid: [{ ratio: 0.5, step: 10 }], invalid: [{ ratio: 0, step: 5 }, { ratio: 1, step: 5 }, { ratio: 0.5, step: 7 }] },
  UniqueItems: { type: 'Unique', valid: [{ tags: ['a', 'b'] }], invalid: [{ tags: ['a', 'a'] }] },
  ArrayOfUnions: { type: "('x' | Item)[]", valid: [['x', item]], invalid: [['y'], [{}]] },
};

const names = Object.keys(CORPUS);
let validators: Record<string, Validate>;
let schemas: Record<string, object>;

beforeAll(async () => {
  const types = Object.fromEntries(names.map((n) => [n, CORPUS[n]!.type]));
  const loaded = await loadValidators(DECLARATIONS, types);
  validators = loaded.validators;
  schemas = Object.fromEntries(
    loaded.plan.methods.map((m) => [m.methodName, typeSchema(m.validation!.parameters[0]!, m.validation!.defs, m.validation!.strict)]),
  );
}, 60_000);

describe('the corpus', () => {
  it('holds at least 40 types', () => {
    expect(names.length).toBeGreaterThanOrEqual(40);
  });

  it.each(names)('%s: valid samples pass, invalid ones are rejected with issues', (name) => {
    const entry = CORPUS[name]!;
    const validate = validators[name]!;
    for (const value of entry.valid) expect(validate(value), `${name} should accept ${String(value)}`).toBeUndefined();
    for (const value of entry.invalid) {
      const issues = validate(value);
      expect(issues, `${name} should reject ${String(value)}`).toBeDefined();
      // The issue path explained what the fast path refused.
      expect(issues!.length).toBeGreaterThan(0);
      expect(issues!.map((i) => i.expected)).not.toContain('a value of the declared type');
    }
    if (entry.arbitrary) {
      fc.assert(fc.property(entry.arbitrary, (value) => validate(value) === undefined), { numRuns: 100 });
    }
  });
});

describe('every verdict agrees with Ajv running the JSON Schema emitted from the same IR', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: false, formats: FORMAT_CHECKERS as Record<string, (s: string) => boolean> });
  const jsonNames = names.filter((n) => CORPUS[n]!.json !== false);

  it.each(jsonNames)('%s', (name) => {
    const entry = CORPUS[name]!;
    const check = ajv.compile(schemas[name]!);
    const validate = validators[name]!;
    const agree = (value: unknown): boolean => (validate(value) === undefined) === check(value);
    for (const sample of [...entry.valid, ...entry.invalid]) {
      // Each sample as JSON holds it (NaN becomes null); undefined is not JSON.
      const text = JSON.stringify(sample);
      if (text === undefined) continue;
      const value: unknown = JSON.parse(text);
      expect(agree(value), `${name}: ${text}`).toBe(true);
    }
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), agree), { numRuns: 150 });
    if (entry.arbitrary) fc.assert(fc.property(entry.arbitrary, (v) => JSON.stringify(v) === undefined || agree(JSON.parse(JSON.stringify(v)))), { numRuns: 100 });
  });

  it('types JSON cannot hold are marked in their schema and rejected by Ajv for every JSON value', () => {
    for (const name of names.filter((n) => CORPUS[n]!.json === false)) {
      expect(JSON.stringify(schemas[name]), name).toContain('x-resil-type');
    }
    expect(ajv.compile(schemas['Date']!)('1970-01-01T00:00:00Z')).toBe(false);
  });
});

describe('issues', () => {
  it('give every problem with its path, what was expected and what was received', () => {
    const bad = { ...order, id: 'nope', items: [item, item, { sku: 'x', qty: 1001, price: 1 }], priority: 'urgent' };
    expect(validators['Order']!(bad)).toEqual([
      { path: 'value.id', expected: 'string in format uuid', received: 'string "nope"' },
      { path: 'value.items[2].qty', expected: 'integer <= 1000', received: 'number 1001' },
      { path: 'value.priority', expected: '"low" | "normal" | "high"', received: 'string "urgent"' },
    ]);
  });

  it('a missing property, a wrong discriminant and a deep mistake in a recursive type', () => {
    expect(validators['Interface']!({ sku: 'x', qty: 1 })).toEqual([{ path: 'value.price', expected: 'number', received: 'missing' }]);
    expect(validators['DiscriminatedUnion']!({ kind: 'oval' })).toEqual([
      { path: 'value.kind', expected: '"circle" | "square" | "rect"', received: 'string "oval"' },
    ]);
    expect(validators['RecursiveAlias']!([1, { a: [true, undefined] }])).toEqual([{ path: 'value[1].a[1]', expected: 'Json', received: 'undefined' }]);
  });
});
