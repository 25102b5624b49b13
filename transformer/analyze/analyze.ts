import { ts } from 'ts-morph';
import { DECORATOR_NAME } from '../../src/policies/kinds.js';
import { compareDiagnostics, createDiagnostic, DIAGNOSTIC_CODES, relativePath, TransformError } from '../diagnostics.js';
import { GENERATED_HEADER, type Diagnostic, type MethodPlan, type ProjectPlan } from '../plan.js';
import { checkMethod } from './checks.js';
import type { CheckContext, Report } from './context.js';
import { ResilResolver, type FoundDecorator, type ReadFile } from './find-decorators.js';
import { jsClassName, resilientName } from './read-class.js';
import { readMethodSite } from './read-method-site.js';

/** What {@link analyzeProgram} needs: a program, where the project lives, and how to read its files. */
export interface AnalyzeProgramInput {
  program: ts.Program;
  /** The project root (the tsconfig's directory): plan and diagnostic paths are relative to it. */
  rootDir: string;
  /** Reads package.json files, to tell resil's declarations from others. */
  readFile: ReadFile;
  /**
   * What earlier runs found per file, for `--watch`: a file whose source is unchanged (the same
   * `SourceFile` object, as TypeScript reuses them) and none of whose imports is in `changed` is
   * not analysed again.
   */
  cache?: AnalysisCache;
  /** Paths of the files changed since the run that filled `cache`. */
  changed?: ReadonlySet<string>;
  /** Told after each source file, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

/** What analysing one file found: kept between runs by {@link AnalyzeProgramInput.cache}. */
export interface FileAnalysis {
  readonly methods: readonly MethodPlan[];
  readonly diagnostics: readonly Diagnostic[];
  readonly classes: readonly PlannedClass[];
  readonly methodsWithErrors: readonly string[];
  /** Files its decorated classes import, whose change may change what this file's analysis says. */
  readonly imports: readonly string[];
}

/** Per-file results of earlier analyses, keyed by the `SourceFile` analysed. */
export type AnalysisCache = WeakMap<ts.SourceFile, FileAnalysis>;

/** A class with planned methods, for the name-collision check (RSL1009). */
export interface PlannedClass {
  name: string;
  node: ts.ClassLikeDeclaration;
  file: string;
  methodIds: string[];
}

/** One analysis run: the checker, and what it has found so far. */
class Analysis {
  readonly methods: MethodPlan[] = [];
  readonly diagnostics: Diagnostic[] = [];
  readonly classes: PlannedClass[] = [];
  readonly methodsWithErrors = new Set<string>();
  readonly ctx: CheckContext;

  constructor(
    program: ts.Program,
    readonly rootDir: string,
    readFile: ReadFile,
  ) {
    const checker = program.getTypeChecker();
    const report: Report = (node, code, message, severity = 'error') =>
      this.diagnostics.push(createDiagnostic(node, code, message, severity, rootDir));
    this.ctx = { program, checker, resolver: new ResilResolver(checker, readFile), report, probes: new Map() };
  }

  /** Errors reported since `mark` (a length of {@link diagnostics}). */
  errorsSince(mark: number): boolean {
    return this.diagnostics.slice(mark).some((d) => d.severity === 'error');
  }
}

const decoratorsOf = (node: ts.Node): readonly ts.Decorator[] | undefined =>
  ts.canHaveDecorators(node) ? ts.getDecorators(node) : undefined;

/** Members that cannot carry a resil method decorator, by what the message calls them. */
function memberWord(member: ts.ClassElement): string {
  if (ts.isPropertyDeclaration(member)) return 'a property';
  if (ts.isGetAccessor(member) || ts.isSetAccessor(member)) return 'an accessor';
  if (ts.isMethodDeclaration(member)) return 'a method without a body (abstract, or an overload signature)';
  return 'a class member that is not a method';
}

/**
 * Analyses one decorated method within its own boundary: a {@link TransformError} stops this
 * method only, and becomes a diagnostic; every other error is a bug and propagates.
 */
function analyzeMethod(
  a: Analysis,
  node: ts.MethodDeclaration,
  cls: ts.ClassLikeDeclaration,
  className: string,
  found: FoundDecorator[],
): string | undefined {
  const mark = a.diagnostics.length;
  let id: string | undefined;
  try {
    const file = relativePath(a.rootDir, node.getSourceFile().fileName);
    const site = readMethodSite(node, cls, className, found, file, a.ctx);
    if (site.decorators.length === 0) return undefined;
    id = site.plan.id;
    checkMethod(site, a.ctx);
    a.methods.push(site.plan);
  } catch (error) {
    if (!(error instanceof TransformError)) throw error;
    a.diagnostics.push(error.toDiagnostic(a.rootDir));
  }
  if (id !== undefined && a.errorsSince(mark)) a.methodsWithErrors.add(id);
  return id;
}

/** The class's name in ids: `@Resilient({ name })` where given, else its own. Reports misuse of class decorators. */
function classNameFor(a: Analysis, cls: ts.ClassLikeDeclaration): string {
  let name = jsClassName(cls);
  for (const found of a.ctx.resolver.find(decoratorsOf(cls) ?? [])) {
    if (found.kind === 'resilient') {
      name = resilientName(found, a.ctx.report) ?? name;
    } else {
      const message = `${DECORATOR_NAME[found.kind]} decorates methods, not the class ${name || '(anonymous)'}`;
      a.ctx.report(found.node, DIAGNOSTIC_CODES.NOT_A_METHOD, message);
    }
  }
  return name;
}

/** Analyses the decorated members of one class; only members with decorators are looked at. */
function analyzeClass(a: Analysis, cls: ts.ClassLikeDeclaration): void {
  // Class decorators are looked at whenever there are some: a method decorator there is a mistake.
  let name = decoratorsOf(cls) ? classNameFor(a, cls) : undefined;
  const ids: string[] = [];
  for (const member of cls.members) {
    const decorators = decoratorsOf(member);
    if (!decorators) continue;
    const found = a.ctx.resolver.find(decorators);
    if (found.length === 0) continue;
    name ??= classNameFor(a, cls);
    if (ts.isMethodDeclaration(member) && member.body) {
      const id = analyzeMethod(a, member, cls, name, found);
      if (id !== undefined) ids.push(id);
      continue;
    }
    for (const f of found) {
      const what = f.kind === 'resilient' ? '@Resilient decorates classes' : `${DECORATOR_NAME[f.kind]} decorates method implementations`;
      a.ctx.report(f.node, DIAGNOSTIC_CODES.NOT_A_METHOD, `${what}, not ${memberWord(member)}`);
    }
  }
  if (ids.length > 0 && name !== undefined) {
    a.classes.push({ name, node: cls, file: relativePath(a.rootDir, cls.getSourceFile().fileName), methodIds: ids });
  }
}

/**
 * RSL1015: an import from `resil` (or `resil/…`) that the project's module resolution cannot
 * find. Its decorators would resolve to nothing and be skipped, so the file would pass unchecked.
 */
function checkResilImports(a: Analysis, sourceFile: ts.SourceFile): void {
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const specifier = statement.moduleSpecifier.text;
    if (specifier !== 'resil' && !specifier.startsWith('resil/')) continue;
    if (a.ctx.checker.getSymbolAtLocation(statement.moduleSpecifier) !== undefined) continue;
    a.ctx.report(
      statement.moduleSpecifier,
      DIAGNOSTIC_CODES.UNRESOLVED_RESIL,
      `cannot resolve '${specifier}': install resil, or check the tsconfig's moduleResolution and paths; the decorators of this file cannot be checked`,
    );
  }
}

/** The files a file imports, as the checker resolves them. */
function importsOf(a: Analysis, sourceFile: ts.SourceFile): string[] {
  const files: string[] = [];
  for (const statement of sourceFile.statements) {
    if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) || !statement.moduleSpecifier) continue;
    const declaration = a.ctx.checker.getSymbolAtLocation(statement.moduleSpecifier)?.valueDeclaration;
    if (declaration && ts.isSourceFile(declaration)) files.push(declaration.fileName);
  }
  return files;
}

/** Visits every class of a file, nested ones included; returns what it found. */
function analyzeFile(a: Analysis, sourceFile: ts.SourceFile): FileAnalysis {
  const marks = { methods: a.methods.length, diagnostics: a.diagnostics.length, classes: a.classes.length };
  const withErrors = new Set(a.methodsWithErrors);
  // A file without an `@` has no decorator: skip the walk.
  if (sourceFile.text.includes('@')) {
    checkResilImports(a, sourceFile);
    const visit = (node: ts.Node): void => {
      if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) analyzeClass(a, node);
      ts.forEachChild(node, visit);
    };
    visit(sourceFile);
  }
  const methods = a.methods.slice(marks.methods);
  return {
    methods,
    diagnostics: a.diagnostics.slice(marks.diagnostics),
    classes: a.classes.slice(marks.classes),
    methodsWithErrors: [...a.methodsWithErrors].filter((id) => !withErrors.has(id)),
    imports: methods.length > 0 ? importsOf(a, sourceFile) : [],
  };
}

/** Adds a file's earlier results to this run. */
function reuse(a: Analysis, found: FileAnalysis): void {
  a.methods.push(...found.methods);
  a.diagnostics.push(...found.diagnostics);
  a.classes.push(...found.classes);
  for (const id of found.methodsWithErrors) a.methodsWithErrors.add(id);
}

/** RSL1009: two classes with one name in ids, both with decorated methods. */
function checkClassNames(a: Analysis): void {
  const byName = new Map<string, PlannedClass[]>();
  for (const c of a.classes) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  for (const [name, group] of byName) {
    if (group.length < 2) continue;
    group.sort((x, y) => (x.file < y.file ? -1 : x.file > y.file ? 1 : x.node.pos - y.node.pos));
    const first = group[0]!;
    const firstAt = createDiagnostic(first.node.name ?? first.node, DIAGNOSTIC_CODES.DUPLICATE_CLASS_NAME, '', 'error', a.rootDir);
    for (const other of group.slice(1)) {
      const message =
        `two classes are named '${name}' (here and ${firstAt.file}:${firstAt.line}:${firstAt.column}), so their method ids collide; ` +
        `give one of them @Resilient({ name: '…' })`;
      a.ctx.report(other.node.name ?? other.node, DIAGNOSTIC_CODES.DUPLICATE_CLASS_NAME, message);
    }
    for (const c of group) for (const id of c.methodIds) a.methodsWithErrors.add(id);
  }
}

/** Whether a file is the user's own source: not a declaration file, not a dependency's, not a generated module. */
export function isOwnSource(program: ts.Program, sourceFile: ts.SourceFile): boolean {
  return (
    !sourceFile.isDeclarationFile &&
    !program.isSourceFileFromExternalLibrary(sourceFile) &&
    !sourceFile.fileName.includes('/node_modules/') &&
    !sourceFile.text.startsWith(GENERATED_HEADER)
  );
}

/**
 * Analyses every source file of a program: the plan of every method that carries resil
 * decorators, and every diagnostic. The type checker is asked only about decorated members.
 */
export function analyzeProgram({ program, rootDir, readFile, cache, changed, onProgress }: AnalyzeProgramInput): ProjectPlan {
  const a = new Analysis(program, rootDir, readFile);
  const own = program.getSourceFiles().filter((f) => isOwnSource(program, f));
  let done = 0;
  for (const sourceFile of own) {
    const earlier = cache?.get(sourceFile);
    if (earlier && !earlier.imports.some((file) => changed?.has(file))) reuse(a, earlier);
    else {
      const found = analyzeFile(a, sourceFile);
      cache?.set(sourceFile, found);
    }
    onProgress?.(++done, own.length);
  }
  const files = own.length;
  checkClassNames(a);
  a.methods.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : x.file < y.file ? -1 : x.file > y.file ? 1 : x.line - y.line));
  a.diagnostics.sort(compareDiagnostics);
  return { methods: a.methods, diagnostics: a.diagnostics, files, methodsWithErrors: [...a.methodsWithErrors].sort() };
}
