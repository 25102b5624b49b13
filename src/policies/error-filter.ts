import type { ErrorFilter } from '../options.js';

/** Turns an {@link ErrorFilter} (classes or a predicate) into a predicate. */
export function toErrorPredicate(filter: ErrorFilter): (error: unknown) => boolean {
  if (Array.isArray(filter)) {
    const classes = filter as readonly (abstract new (...args: never[]) => unknown)[];
    return (error) => classes.some((c) => error instanceof c);
  }
  const f = filter as ((error: unknown) => boolean) | (abstract new (...args: never[]) => unknown);
  // A class is a function too: tell an error class from a predicate by its prototype chain, or by
  // its source for classes that do not extend Error.
  if (f === Error || f.prototype instanceof Error || /^class[\s{]/.test(Function.prototype.toString.call(f))) {
    const c = f as abstract new (...args: never[]) => unknown;
    return (error) => error instanceof c;
  }
  return f as (error: unknown) => boolean;
}
