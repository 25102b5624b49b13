import { compiledMethods, detachGenerated } from '../../src/generated.js';

/**
 * Loads the generated module of the compiled fixtures (written by the global setup with `resil
 * gen`'s generator), so that methods defined from now on run their generated wrappers. Returns a
 * function that takes the entries out again: the table is process-wide, and test files that share
 * a worker must not see them.
 */
export async function loadGenerated(): Promise<() => void> {
  await import('../.compiled/standard/resil.generated.js' as string);
  return () => void detachGenerated();
}

/** Runs `body` with the generated entries taken out (runtime mode), and puts them back after. */
export async function inRuntimeMode<T>(body: () => Promise<T>): Promise<T> {
  const restore = detachGenerated();
  try {
    return await body();
  } finally {
    restore();
  }
}

/** The methods among `ids` that do not run a generated wrapper. */
export const notCompiled = (ids: readonly string[]): string[] => ids.filter((id) => !compiledMethods().includes(id));
