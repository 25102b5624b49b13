import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isEmail, isUuid } from '../../src/validation/formats.js';

/** The e-mail grammar of isEmail, written another way: a regular expression and length limits. */
const EMAIL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
function referenceEmail(s: string): boolean {
  if (!EMAIL.test(s)) return false;
  const [local, domain] = s.split('@') as [string, string];
  return local.length <= 64 && domain.length <= 253 && domain.split('.').every((label) => label.length <= 63);
}

describe('format checkers', () => {
  it.each([
    ['a@b', true],
    ['first.last@example.com', true],
    ["o'k+x@ex-ample.co.uk", true],
    ['a@1.2', true],
    ['.a@b.c', false],
    ['a.@b.c', false],
    ['a..b@c.d', false],
    ['a@-b.c', false],
    ['a@b-.c', false],
    ['a@b..c', false],
    ['a@b.c.', false],
    ['a@', false],
    ['@b.c', false],
    ['a@b@c', false],
    ['a b@c.d', false],
    ['é@c.d', false],
    [`${'x'.repeat(64)}@a.b`, true],
    [`${'x'.repeat(65)}@a.b`, false],
    [`a@${'b'.repeat(63)}.c`, true],
    [`a@${'b'.repeat(64)}.c`, false],
    [`a@${'b.'.repeat(126)}c`, true],
    [`a@${'b.'.repeat(127)}c`, false],
  ])('email %s → %s', (s, verdict) => {
    expect(isEmail(s)).toBe(verdict);
    expect(referenceEmail(s)).toBe(verdict);
  });

  it('email: the one-pass scanner agrees with the grammar written as a regular expression', () => {
    const text = fc.array(fc.constantFrom(...'ab.-@_!Z9é '.split('')), { maxLength: 40 }).map((a) => a.join(''));
    fc.assert(fc.property(text, (s) => isEmail(s) === referenceEmail(s)), { numRuns: 20_000 });
    fc.assert(fc.property(fc.emailAddress(), (s) => isEmail(s) === referenceEmail(s)), { numRuns: 2_000 });
  });

  it.each([
    ['123e4567-e89b-12d3-a456-426614174000', true],
    ['123E4567-E89B-12D3-A456-426614174000', true],
    ['123e4567-e89b-12d3-a456-42661417400', false],
    ['123e4567e89b-12d3-a456-4266141740000', false],
    ['123e4567-e89b-12d3-a456-42661417400g', false],
    ['123e4567-e89b-12d3-a456_426614174000', false],
  ])('uuid %s → %s', (s, verdict) => expect(isUuid(s)).toBe(verdict));
});
