import { describe, expect, it } from 'vitest';
import { compileKey, parameterNames, stableKey } from '../../../src/policies/keys.js';
import { methodInfo } from '../../support/env.js';

describe('parameterNames', () => {
  it('reads plain, defaulted, rest and destructured parameters', () => {
    class C {
      m(a: number, b = (1 + 2) * 3, { c }: { c: number } = { c: 1 }, ...rest: unknown[]) {
        return [a, b, c, rest];
      }
    }
    expect(parameterNames(C.prototype.m as never)).toEqual(['a', 'b', '', 'rest']);
  });

  it('reads async methods and arrow functions', () => {
    const f = async (userId: string, signal?: AbortSignal) => [userId, signal];
    expect(parameterNames(f as never)).toEqual(['userId', 'signal']);
  });

  it('gives an empty list for no parameters', () => {
    expect(parameterNames((() => 1) as never)).toEqual([]);
  });
});

describe('compileKey', () => {
  const method = methodInfo({ id: 'Shop.buy', paramNames: ['userId', 'req'] });

  it('picks a parameter by name', () => {
    expect(compileKey('userId', method, 'rateLimit')(['u1', {}])).toBe('u1');
  });

  it('follows a dotted path, giving undefined through a missing link', () => {
    const key = compileKey('req.tenant.id', method, 'rateLimit');
    expect(key(['u1', { tenant: { id: 't9' } }])).toBe('t9');
    expect(key(['u1', {}])).toBeUndefined();
  });

  it('calls a function with the arguments', () => {
    expect(compileKey((u: string) => u.toUpperCase(), method, 'rateLimit')(['u1'])).toBe('U1');
  });

  it('refuses a path that names no parameter, listing the parameters', () => {
    expect(() => compileKey('user', method, 'rateLimit')).toThrow("Shop.buy: key 'user' names no parameter; parameters are userId, req");
  });
});

describe('stableKey', () => {
  it('tells 1 from "1", null from undefined, 1n from 1', () => {
    const keys = [[1], ['1'], [null], [undefined], [1n], [true], ['true']].map((a) => stableKey(a));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('ignores object key order but not array order', () => {
    expect(stableKey([{ a: 1, b: { c: 2, d: 3 } }])).toBe(stableKey([{ b: { d: 3, c: 2 }, a: 1 }]));
    expect(stableKey([[1, 2]])).not.toBe(stableKey([[2, 1]]));
  });

  it('keeps dates, maps and sets by value', () => {
    expect(stableKey([new Date(5)])).toBe(stableKey([new Date(5)]));
    expect(stableKey([new Date(5)])).not.toBe(stableKey([5]));
    expect(stableKey([new Map([['a', 1]])])).toBe(stableKey([new Map([['a', 1]])]));
    expect(stableKey([new Set([1, 2])])).toBe(stableKey([new Set([2, 1])]));
  });

  it('tells instances of different classes apart', () => {
    class A { x = 1; }
    class B { x = 1; }
    expect(stableKey([new A()])).not.toBe(stableKey([new B()]));
  });

  it('leaves out the argument at skipIndex', () => {
    expect(stableKey(['a', new AbortController().signal], 1)).toBe(stableKey(['a', 'other'], 1));
  });

  it('refuses functions and symbols with a clear error', () => {
    expect(() => stableKey([() => 1])).toThrow('a function cannot be part of a cache key; give @Cached a key');
    expect(() => stableKey([Symbol('s')])).toThrow('a symbol cannot be part of a cache key');
  });

  it('refuses input nested too deeply instead of overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(() => stableKey([deep])).toThrow('nests too deeply');
  });
});
