import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UsageError } from './output.js';

/** The tsconfig `--project` names (a file, or a folder holding tsconfig.json); a missing one is a usage error. */
export function resolveTsconfig(project: string, cwd: string): string {
  const path = resolve(cwd, project);
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'tsconfig.json') : path;
  if (!existsSync(file)) throw new UsageError(`no tsconfig at ${relative(cwd, file) || file} (give one with --project)`);
  return file;
}

const shown = (tsconfig: string, cwd: string) => relative(cwd, tsconfig) || tsconfig;

/**
 * Runs `read` on the project of `tsconfig`. ts-morph throws on a tsconfig it cannot read or parse:
 * a usage problem, said in one line.
 */
export function readProject<T>(tsconfig: string, cwd: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    const first = (error instanceof Error ? error.message : String(error)).split('\n').find((l) => l.trim()) ?? 'unreadable';
    throw new UsageError(`cannot read ${shown(tsconfig, cwd)}: ${first.trim()}`);
  }
}

/** A project without source files is a usage error: most often a solution tsconfig with only references. */
export function assertHasFiles(files: number, tsconfig: string, cwd: string): void {
  if (files > 0) return;
  throw new UsageError(
    `${shown(tsconfig, cwd)} includes no TypeScript source files (a solution tsconfig with only references? give --project one of the referenced projects)`,
  );
}
