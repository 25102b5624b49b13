import type { ts } from 'ts-morph';

/** The specifier whose importers get the generated module imported first. */
export const RESIL_SPECIFIER = 'resil';

/**
 * Whether a parsed file imports values from `resil` (`import { Retry } from 'resil'`, or
 * `import 'resil'`); a file that only imports types needs no generated wrapper. `tsi` is the
 * TypeScript instance that parsed the file.
 */
export function importsResil(tsi: typeof ts, sourceFile: ts.SourceFile): boolean {
  return sourceFile.statements.some(
    (s) =>
      tsi.isImportDeclaration(s) &&
      tsi.isStringLiteral(s.moduleSpecifier) &&
      s.moduleSpecifier.text === RESIL_SPECIFIER &&
      !s.importClause?.isTypeOnly,
  );
}

// `import 'resil'`, or `import <anything but "type …"> from 'resil'`; `(?=\S)` keeps `\s+` from
// giving back the whitespace before `type`.
const IMPORTS_RESIL = /(?:^|[\s;])import(?:\s*['"]resil['"]|\s+(?=\S)(?!type[\s{*])[^'";]*?[\s}]from\s*['"]resil['"])/m;

/**
 * Whether module text imports values from `resil`: `import … from 'resil'` (not `import type`)
 * or `import 'resil'`. A scan of the text, as bundlers hand it over before parsing; a match in a
 * comment or a string only adds an import of the generated module, which does no harm.
 */
export function textImportsResil(code: string): boolean {
  return IMPORTS_RESIL.test(code);
}

const REQUIRES_RESIL = /\brequire\(\s*['"]resil['"]\s*\)/;

/**
 * Whether CommonJS module text requires `resil` (`require('resil')`), as a loader's compiled
 * output does when the project compiles to CommonJS.
 */
export function textRequiresResil(code: string): boolean {
  return REQUIRES_RESIL.test(code);
}
