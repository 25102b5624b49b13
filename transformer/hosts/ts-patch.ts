/**
 * `resil/transformer`: the build-step transformer for `tsc` on TypeScript 6, as a ts-patch
 * program transformer (SPEC §6). In tsconfig.json:
 *
 * ```json
 * { "compilerOptions": { "plugins": [{ "transform": "resil/transformer", "transformProgram": true }] } }
 * ```
 *
 * then build with `tspc` (or `tsc` after `ts-patch install`).
 */
import { dirname, posix } from 'node:path';
import { ts } from 'ts-morph';
import { isOwnSource } from '../analyze/analyze.js';
import { analyzeProgram } from '../analyze/index.js';
import { contentHash, emitModule } from '../emit/index.js';
import type { Diagnostic } from '../plan.js';
import { generatedImportSpecifier, generatedModulePath, toPosix } from '../generated-path.js';
import { importsResil } from './resil-import.js';
import { toTsDiagnostic } from './ts-diagnostics.js';

/** The tsconfig `plugins` entry of the transformer, with its own options. */
export interface ResilTransformerConfig {
  /** `"resil/transformer"`. */
  transform?: string;
  /** `true`: ts-patch runs the entry while the program is created. */
  transformProgram?: boolean;
  /**
   * Also report analysis warnings (RSL1011–RSL1013) as tsc diagnostics. Off by default, because
   * tsc exits non-zero on any diagnostic it reports, warnings included; `resil check` lists them.
   */
  reportWarnings?: boolean;
}

/** What ts-patch hands a program transformer besides the program: the TypeScript that runs. */
export interface ProgramTransformerExtras {
  ts: typeof ts;
}

/** A program whose internal diagnostics hook is visible (the incremental builder calls it). */
type WithBindAndCheck = ts.Program & {
  getBindAndCheckDiagnostics?: (sourceFile: ts.SourceFile, token?: ts.CancellationToken) => readonly ts.Diagnostic[];
};

/**
 * A host that holds the generated module in memory and hands back the source files `old`
 * already parsed, so adding one root file does not parse the project a second time.
 */
function hostWithGenerated(tsi: typeof ts, base: ts.CompilerHost, old: ts.Program, path: string, text: string): ts.CompilerHost {
  const host: ts.CompilerHost = Object.create(base);
  const isGenerated = (fileName: string) => toPosix(fileName) === path;
  const generated = (fileName: string, languageVersion: ts.ScriptTarget | ts.CreateSourceFileOptions) => {
    const file = tsi.createSourceFile(fileName, text, languageVersion);
    // The builder of `tsc --incremental` and `--watch` requires a version on every source file.
    (file as ts.SourceFile & { version?: string }).version = contentHash(text);
    return file;
  };
  host.fileExists = (fileName) => isGenerated(fileName) || base.fileExists(fileName);
  host.readFile = (fileName) => (isGenerated(fileName) ? text : base.readFile(fileName));
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) =>
    isGenerated(fileName)
      ? generated(fileName, languageVersion)
      : (old.getSourceFile(fileName) ?? base.getSourceFile(fileName, languageVersion, onError, shouldCreate));
  // When present, TypeScript asks this one instead of getSourceFile.
  if (base.getSourceFileByPath) {
    const byPath = base.getSourceFileByPath.bind(base);
    host.getSourceFileByPath = (fileName, filePath, languageVersion, onError, shouldCreate) =>
      isGenerated(fileName)
        ? generated(fileName, languageVersion)
        : (old.getSourceFile(fileName) ?? byPath(fileName, filePath, languageVersion, onError, shouldCreate));
  }
  return host;
}

/** A prologue directive: `'use strict';`, `'use client';`. */
function isDirective(tsi: typeof ts, statement: ts.Statement): boolean {
  return tsi.isExpressionStatement(statement) && tsi.isStringLiteral(statement.expression);
}

/**
 * Makes every emit of `program` start each file of `importers` (file name → specifier) with
 * `import '<specifier>';`, after its prologue directives. The import is added to the emitted
 * output only: the source files, their positions and their diagnostics stay as written.
 */
function addImportsOnEmit(tsi: typeof ts, program: ts.Program, importers: ReadonlyMap<string, string>): void {
  const addImport: ts.TransformerFactory<ts.SourceFile> = (context) => (file) => {
    const specifier = importers.get(file.fileName);
    if (specifier === undefined) return file;
    const f = context.factory;
    const statement = f.createImportDeclaration(undefined, undefined, f.createStringLiteral(specifier));
    let prologue = 0;
    while (prologue < file.statements.length && isDirective(tsi, file.statements[prologue]!)) prologue++;
    return f.updateSourceFile(file, [...file.statements.slice(0, prologue), statement, ...file.statements.slice(prologue)]);
  };
  const emit = program.emit;
  program.emit = (target, writeFile, token, onlyDts, custom, ...rest: unknown[]) =>
    (emit as (...args: unknown[]) => ts.EmitResult).call(program, target, writeFile, token, onlyDts, { ...custom, before: [...(custom?.before ?? []), addImport] }, ...rest);
}

/**
 * Adds resil's diagnostics to what `program` reports: those on a file among its semantic
 * diagnostics (as tsc reports type errors), the others among its global ones. With
 * `noEmitOnError`, an error also stops the emit, as a type error does.
 */
function reportDiagnostics(tsi: typeof ts, program: ts.Program, diagnostics: readonly ts.Diagnostic[]): void {
  if (diagnostics.length === 0) return;
  const byFile = new Map<string, ts.Diagnostic[]>();
  const global: ts.Diagnostic[] = [];
  for (const d of diagnostics) {
    if (d.file === undefined) global.push(d);
    else byFile.set(d.file.fileName, [...(byFile.get(d.file.fileName) ?? []), d]);
  }
  const withFile = diagnostics.filter((d) => d.file !== undefined);
  const own = (file: ts.SourceFile | undefined) => (file === undefined ? withFile : (byFile.get(file.fileName) ?? []));
  const p = program as WithBindAndCheck;
  const semantic = p.getSemanticDiagnostics;
  p.getSemanticDiagnostics = (file, token) => [...semantic.call(p, file, token), ...own(file)];
  const bindAndCheck = p.getBindAndCheckDiagnostics;
  if (bindAndCheck) p.getBindAndCheckDiagnostics = (file, token) => [...bindAndCheck.call(p, file, token), ...own(file)];
  const globals = p.getGlobalDiagnostics;
  if (global.length > 0) p.getGlobalDiagnostics = (token) => [...globals.call(p, token), ...global];
  if (p.getCompilerOptions().noEmitOnError && diagnostics.some((d) => d.category === tsi.DiagnosticCategory.Error)) {
    p.emit = () => ({ emitSkipped: true, diagnostics: [], emittedFiles: undefined });
  }
}

/**
 * The ts-patch program transformer: analyses the program once ({@link analyzeProgram}), emits
 * `resil.generated.ts` ({@link emitModule}) into the project's source root as a new root file
 * held in memory (tsc emits `resil.generated.js` beside the other outputs), and makes every file
 * that imports from `resil` import it first in its emitted output. Analysis errors become tsc
 * diagnostics (`TS99xxxx`, see {@link toTsDiagnostic}). Nothing is written to the source tree.
 *
 * The analysis reads tsc's syntax trees with the TypeScript bundled in ts-morph, so both must
 * share a minor version; otherwise the program is returned with a global error and unchanged.
 */
export default function resilTransformer(
  program: ts.Program,
  host: ts.CompilerHost | undefined,
  config: ResilTransformerConfig = {},
  extras: ProgramTransformerExtras = { ts },
): ts.Program {
  const tsi = extras.ts;
  const options = program.getCompilerOptions();
  const currentDirectory = toPosix(program.getCurrentDirectory());
  const configDir = typeof options.configFilePath === 'string' ? toPosix(dirname(options.configFilePath)) : currentDirectory;
  if (tsi.versionMajorMinor !== ts.versionMajorMinor) {
    const messageText =
      `resil/transformer: tsc is TypeScript ${tsi.version}, but resil analyses with TypeScript ${ts.version} (from ts-morph); ` +
      `use TypeScript ${ts.versionMajorMinor}, or run \`resil gen\` before tsc`;
    reportDiagnostics(tsi, program, [{ category: tsi.DiagnosticCategory.Error, code: 990_000, file: undefined, start: undefined, length: undefined, messageText }]);
    return program;
  }
  const base = host ?? tsi.createCompilerHost(options);
  const plan = analyzeProgram({ program, rootDir: configDir, readFile: (path) => base.readFile(path) });
  const rootDir = options.rootDir === undefined ? undefined : posix.resolve(currentDirectory, toPosix(options.rootDir));
  const generatedPath = generatedModulePath({ configDir, rootDir, rootFileNames: program.getRootFileNames() });

  const importers = new Map<string, string>();
  for (const file of program.getSourceFiles()) {
    if (toPosix(file.fileName) === generatedPath || !isOwnSource(program, file) || !importsResil(tsi, file)) continue;
    importers.set(file.fileName, generatedImportSpecifier(file.fileName, generatedPath));
  }
  const rootNames = program.getRootFileNames();
  const next = tsi.createProgram({
    rootNames: rootNames.some((f) => toPosix(f) === generatedPath) ? rootNames : [...rootNames, generatedPath],
    options,
    host: hostWithGenerated(tsi, base, program, generatedPath, emitModule(plan)),
    oldProgram: program,
    configFileParsingDiagnostics: program.getConfigFileParsingDiagnostics(),
    projectReferences: program.getProjectReferences(),
  });
  addImportsOnEmit(tsi, next, importers);
  const reported = plan.diagnostics.filter((d: Diagnostic) => d.severity === 'error' || config.reportWarnings === true);
  reportDiagnostics(tsi, next, reported.map((d) => toTsDiagnostic(tsi, next, configDir, d)));
  return next;
}
