import { describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import type { Call } from '../../../src/policies/policy.js';
import { ValidatedPolicy } from '../../../src/policies/validated.js';
import { methodInfo, testEnv } from '../../support/env.js';

const newCall = (args: unknown[]): Call => ({ self: undefined, args, signal: undefined, attempts: 1, firstFailedAt: undefined, fromFallback: false, scope: undefined });
class Money {
  constructor(readonly cents: number) {}
}
const policy = (paramTypes?: unknown[], paramNames = ['a', 'b', 'c', 'd', 'e', 'f', 'g']) =>
  new ValidatedPolicy('Svc.call#validated', methodInfo({ paramNames }), { returns: false, strict: false }, testEnv(), paramTypes);

describe('ValidatedPolicy (runtime mode)', () => {
  it('checks primitives, arrays, dates and classes from design:paramtypes', () => {
    const p = policy([String, Number, Boolean, Array, Date, Money, BigInt]);
    const next = vi.fn(() => 'ran');
    expect(p.execute(newCall(['s', 1, true, [], new Date(0), new Money(5), 1n]), next)).toBe('ran');
    try {
      p.execute(newCall([1, '1', 'yes', {}, new Date(NaN), { cents: 5 }, 1]), next);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      expect((e as ValidationError).issues).toEqual([
        { path: 'a', expected: 'string', received: 'number 1' },
        { path: 'b', expected: 'number', received: 'string "1"' },
        { path: 'c', expected: 'boolean', received: 'string "yes"' },
        { path: 'd', expected: 'array', received: 'object' },
        { path: 'e', expected: 'Date', received: 'Invalid Date' },
        { path: 'f', expected: 'Money', received: 'object' },
        { path: 'g', expected: 'bigint', received: 'number 1' },
      ]);
    }
    expect(next).toHaveBeenCalledTimes(1);
  });

  it('lets undefined through, as optionality is not recorded', () => {
    expect(policy([String]).execute(newCall([undefined]), () => 'ran')).toBe('ran');
  });

  it('does not check Object (interfaces, unions) and says what it checks', () => {
    const p = policy([Object, String], ['req', 'id']);
    expect(p.execute(newCall([42, 'x']), () => 'ran')).toBe('ran');
    expect(p.state()).toEqual({ mode: 'runtime', parameters: [{ name: 'req', check: 'unchecked' }, { name: 'id', check: 'string' }] });
    expect(p.notice).toContain('runs in runtime mode and checks only what design:paramtypes gives: primitive and class parameter types; full checking of the declared types needs resil gen');
  });

  it('says that nothing is checked without metadata', () => {
    const p = policy(undefined, ['x']);
    expect(p.execute(newCall([1]), () => 'ran')).toBe('ran');
    expect(p.notice).toContain('runs in runtime mode without design:paramtypes (legacy decorators with emitDecoratorMetadata and reflect-metadata provide them): arguments are not checked; full checking of the declared types needs resil gen');
  });

  it('throws synchronously, before the rest of the chain runs, and counts a rejection', () => {
    const p = policy([Number]);
    const next = vi.fn();
    expect(() => p.execute(newCall(['x']), next)).toThrow('invalid argument a: expected number, received string "x"');
    expect(next).not.toHaveBeenCalled();
    expect(p.stats()).toMatchObject({ calls: 1, rejections: 1 });
  });
});
