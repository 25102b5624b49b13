import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isDate, isDateTime, isEmail, isIpv4, isIpv6, isUri, isUuid } from '../../src/validation/formats.js';
import { MAX_DEPTH } from '../../src/validation/issues.js';
import { ROOT } from '../transformer/support.js';
import { loadValidators, type Validate } from './support.js';

/** The safety properties of generated validators, one behaviour per test. */

const DECLARATIONS = `
interface Item { sku: string; qty: number; flag?: boolean }
interface Cart {
  /** @maxItems 100 */
  items: Item[];
}
interface Tree { value: number; children: Tree[] }
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
interface Quoted {
  /** @pattern ^[a"'$]+\\.?$ */
  text: string;
}
`;
const TYPES = { Item: 'Item', Cart: 'Cart', Tree: 'Tree', Json: 'Json', Quoted: 'Quoted' };

let v: Record<string, Validate>;
let strict: Record<string, Validate>;
let text: string;

beforeAll(async () => {
  const loaded = await loadValidators(DECLARATIONS, TYPES);
  v = loaded.validators;
  text = loaded.text;
  strict = (await loadValidators(DECLARATIONS, TYPES, '{ strict: true }')).validators;
}, 60_000);

describe('own properties only', () => {
  it('a required key present only on the prototype is missing', () => {
    const inherited = Object.create({ sku: 'x', qty: 1 }) as object;
    expect(v['Item']!(inherited)).toEqual([
      { path: 'value.sku', expected: 'string', received: 'missing' },
      { path: 'value.qty', expected: 'number', received: 'missing' },
    ]);
  });

  it('an optional key present only on the prototype is not looked at', () => {
    const value = Object.assign(Object.create({ flag: 'not a boolean' }) as object, { sku: 'x', qty: 1 });
    expect(v['Item']!(value)).toBeUndefined();
  });
});

describe('__proto__ in input', () => {
  const input = () => JSON.parse('{"sku":"x","qty":1,"__proto__":{"polluted":true}}') as object;

  it('is an own key like any other: strict mode rejects it as undeclared', () => {
    expect(strict['Item']!(input())).toEqual([{ path: 'value.__proto__', expected: 'no property', received: 'object' }]);
  });

  it('leaves Object.prototype untouched and gives no issue an ordinary prototype from input', () => {
    expect(v['Item']!(input())).toBeUndefined();
    const issues = strict['Item']!(input())!;
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(issues[0])).toBe(Object.prototype);
    expect(Object.keys(issues[0]!)).toEqual(['path', 'expected', 'received']);
  });
});

describe('lengths before items', () => {
  it('a 10^6-element array against @maxItems 100 is rejected without reading one item', () => {
    const items: unknown[] = [];
    items.length = 1_000_000;
    let reads = 0;
    Object.defineProperty(items, 0, { get: () => (reads++, { sku: 'x', qty: 1 }) });
    expect(v['Cart']!({ items })).toEqual([{ path: 'value.items', expected: 'array of at most 100 items', received: 'array of 1000000' }]);
    expect(reads).toBe(0);
  });
});

describe(`input nested deeper than ${MAX_DEPTH} levels`, () => {
  it('100,000 levels of a recursive interface give issues, never a RangeError', () => {
    let tree: { value: number; children: unknown[] } = { value: 0, children: [] };
    for (let i = 0; i < 100_000; i++) tree = { value: i, children: [tree] };
    const issues = v['Tree']!(tree)!;
    expect(issues).toHaveLength(1);
    expect(issues[0]!.expected).toBe(`maximum depth ${MAX_DEPTH} exceeded`);
    expect(issues[0]!.path.startsWith('value.children[0].children[0]')).toBe(true);
  });

  it('100,000 nested arrays of a recursive alias are rejected too', () => {
    let json: unknown = 1;
    for (let i = 0; i < 100_000; i++) json = [json];
    const issues = v['Json']!(json)!;
    expect(issues).toHaveLength(1);
    expect(issues[0]!.expected).toBe(`maximum depth ${MAX_DEPTH} exceeded`);
  });

  it('input just within the limit passes', () => {
    let tree: { value: number; children: unknown[] } = { value: 0, children: [] };
    for (let i = 0; i < 100; i++) tree = { value: i, children: [tree] };
    expect(v['Tree']!(tree)).toBeUndefined();
  });
});

describe('formats on 100,000-character adversarial strings', () => {
  // Each checker is a scanner without regular expressions (src/validation/formats.ts), linear by construction; these
  // inputs are the ones that make backtracking patterns explode, and each must get its verdict.
  const n = 100_000;
  it.each([
    ['email, a long local part of dots', isEmail, `${'a.'.repeat(n / 2)}@x`, false],
    ['email, a domain of many labels', isEmail, `a@${'a.'.repeat(n / 2)}com`, false],
    ['email, no @', isEmail, 'a'.repeat(n), false],
    ['uuid', isUuid, '0'.repeat(n), false],
    ['uri, a long path', isUri, `https://x/${'a/'.repeat(n / 2)}`, true],
    ['uri, escapes', isUri, `a:${'%2'.repeat(n / 2)}`, false],
    ['date', isDate, '2024-01-01'.repeat(n / 10), false],
    ['date-time, a long fraction', isDateTime, `2024-01-01T00:00:00.${'1'.repeat(n)}`, false],
    ['date-time, a long fraction with a zone', isDateTime, `2024-01-01T00:00:00.${'1'.repeat(n)}Z`, true],
    ['ipv4', isIpv4, '1.'.repeat(n / 2), false],
    ['ipv6', isIpv6, ':'.repeat(n), false],
    ['ipv6, hex', isIpv6, 'f'.repeat(n), false],
  ] as const)('%s', (_, check, input, verdict) => {
    expect(input.length).toBeGreaterThanOrEqual(n);
    expect(check(input)).toBe(verdict);
  });
});

describe('patterns', () => {
  it('are emitted as escaped string literals given to the RegExp constructor once, never spliced into code', () => {
    const source = '^[a"\'$]+\\.?$';
    expect(text).toContain(`const pattern0 = new RegExp(${JSON.stringify(source)}, 'u');`);
    expect(v['Quoted']!({ text: `a"'$.` })).toBeUndefined();
    expect(v['Quoted']!({ text: 'b' })).toEqual([{ path: 'value.text', expected: `string matching /${source}/`, received: 'string "b"' }]);
  });
});

describe('no code made at run time', () => {
  it('neither the runtime nor a generated module calls eval or the Function constructor', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    const sources = [...files(join(ROOT, 'src')).map((f) => readFileSync(f, 'utf8')), text];
    for (const source of sources) expect(source).not.toMatch(/\beval\s*\(|new\s+Function\s*\(|\bFunction\s*\(/);
  });
});
