import { posix } from 'node:path';

/** The file name of the generated module, as `resil gen` writes it (SPEC §6). */
export const GENERATED_FILE_NAME = 'resil.generated.ts';

/** Forward slashes, as TypeScript and the bundlers name files. */
export function toPosix(path: string): string {
  return path.replace(/\\/g, '/');
}

/** The deepest folder holding every one of `files` (absolute, forward slashes); undefined for none. */
function commonFolder(files: readonly string[]): string | undefined {
  let common: string[] | undefined;
  for (const file of files) {
    const parts = posix.dirname(file).split('/');
    if (common === undefined) {
      common = parts;
      continue;
    }
    let n = 0;
    while (n < common.length && n < parts.length && common[n] === parts[n]) n++;
    common = common.slice(0, n);
  }
  if (common === undefined || common.length === 0) return undefined;
  // `['']` is the root of a POSIX path, `['C:']` a Windows drive.
  return common.length === 1 ? `${common[0]}/` : common.join('/');
}

/** What {@link sourceRoot} reads from a project. */
export interface SourceRootInput {
  /** The tsconfig's directory (absolute). */
  configDir: string;
  /** `compilerOptions.rootDir` as TypeScript resolved it (absolute), if set. */
  rootDir?: string | undefined;
  /** The project's root file names (absolute). */
  rootFileNames: readonly string[];
}

/**
 * The project's source root: `compilerOptions.rootDir` when set, else the folder TypeScript would
 * take as the common source directory of the project's own (non-declaration) files, else the
 * tsconfig's folder. A module placed there is emitted beside the other outputs and does not
 * change the layout of `outDir`.
 */
export function sourceRoot({ configDir, rootDir, rootFileNames }: SourceRootInput): string {
  if (rootDir !== undefined) return toPosix(rootDir);
  const own = rootFileNames.map(toPosix).filter((f) => !/\.d\.[cm]?ts$/.test(f) && !f.includes('/node_modules/'));
  return commonFolder(own) ?? toPosix(configDir);
}

/** The absolute path of the generated module in a project: `<source root>/resil.generated.ts`. */
export function generatedModulePath(input: SourceRootInput): string {
  return posix.join(sourceRoot(input), GENERATED_FILE_NAME);
}

/**
 * The specifier a file uses to import the generated module: relative, with the `.js` extension
 * that TypeScript's emitted output and Node's ESM resolution expect (`./resil.generated.js`,
 * `../resil.generated.js`).
 */
export function generatedImportSpecifier(fromFile: string, generatedPath: string): string {
  const relative = posix.relative(posix.dirname(toPosix(fromFile)), toPosix(generatedPath)).replace(/\.ts$/, '.js');
  return relative.startsWith('.') ? relative : `./${relative}`;
}
