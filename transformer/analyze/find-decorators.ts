import { posix } from 'node:path';
import { ts } from 'ts-morph';
import { POLICY_ORDER, DECORATOR_NAME, type PolicyKind } from '../../src/policies/kinds.js';

/** The package whose exports are resil's decorators. */
const PACKAGE_NAME = 'resil';

/** Each method decorator's exported name (`Retry`) and the policy kind it creates. */
const KIND_BY_EXPORT: ReadonlyMap<string, PolicyKind> = new Map(POLICY_ORDER.map((kind) => [DECORATOR_NAME[kind].slice(1), kind]));

/** What a resil decorator is: a method decorator of one policy kind, or the class decorator `@Resilient`. */
export type ResilDecoratorKind = PolicyKind | 'resilient';

/** A decorator that resolves to one of resil's exports. */
export interface FoundDecorator {
  node: ts.Decorator;
  kind: ResilDecoratorKind;
  /** The call, or undefined for a decorator written without one (`@Retry`). */
  call: ts.CallExpression | undefined;
  /** The callee as written: `Retry`, an alias, or `r.Retry`. */
  callee: ts.Expression;
}

/** Reads a file of the project's file system; undefined when there is none. */
export type ReadFile = (path: string) => string | undefined;

/**
 * Tells whether a decorator is one of resil's, by the symbol its callee resolves to: through
 * renamed imports, namespace imports and the user's own barrel files, to a declaration inside the
 * `resil` package. A same-named function of another package is not one. Results are cached per
 * symbol and per folder, so each import is resolved once per project.
 */
export class ResilResolver {
  private readonly bySymbol = new Map<ts.Symbol, ResilDecoratorKind | null>();
  private readonly packageByFolder = new Map<string, string | null>();

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly readFile: ReadFile,
  ) {}

  /** The resil decorators among `decorators`, in written order. */
  find(decorators: readonly ts.Decorator[]): FoundDecorator[] {
    const found: FoundDecorator[] = [];
    for (const node of decorators) {
      const call = ts.isCallExpression(node.expression) ? node.expression : undefined;
      const callee = call ? call.expression : node.expression;
      const kind = this.kindOf(callee);
      if (kind) found.push({ node, kind, call, callee });
    }
    return found;
  }

  /** The resil export `callee` names, if any. */
  kindOf(callee: ts.Expression): ResilDecoratorKind | undefined {
    const name = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) ? callee.name : undefined;
    if (!name) return undefined;
    const symbol = this.resolve(name);
    if (!symbol) return undefined;
    let kind = this.bySymbol.get(symbol);
    if (kind === undefined) {
      kind = this.exportKind(symbol);
      this.bySymbol.set(symbol, kind);
    }
    return kind ?? undefined;
  }

  /** Whether `node` resolves to the resil export named `exportName` (an error class, say). */
  isExport(node: ts.Node, exportName: string): boolean {
    const symbol = this.resolve(node);
    return symbol !== undefined && symbol.name === exportName && this.declaredInResil(symbol);
  }

  /** The symbol `node` names, followed through every alias to its declaration. */
  resolve(node: ts.Node): ts.Symbol | undefined {
    const symbol = this.checker.getSymbolAtLocation(node);
    if (!symbol) return undefined;
    return symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
  }

  private exportKind(symbol: ts.Symbol): ResilDecoratorKind | null {
    const kind: ResilDecoratorKind | undefined = symbol.name === 'Resilient' ? 'resilient' : KIND_BY_EXPORT.get(symbol.name);
    return kind !== undefined && this.declaredInResil(symbol) ? kind : null;
  }

  private declaredInResil(symbol: ts.Symbol): boolean {
    const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
    if (!declaration) return false;
    return this.packageName(posix.dirname(declaration.getSourceFile().fileName)) === PACKAGE_NAME;
  }

  /**
   * The name in the nearest package.json that has one, above `folder`. Nameless package.json files
   * (`{ "type": "module" }` in a dist folder) do not end a package, so they are passed over.
   */
  private packageName(folder: string): string | null {
    const cached = this.packageByFolder.get(folder);
    if (cached !== undefined) return cached;
    let name: string | null = this.nameIn(posix.join(folder, 'package.json')) ?? null;
    if (name === null) {
      const parent = posix.dirname(folder);
      name = parent === folder ? null : this.packageName(parent);
    }
    this.packageByFolder.set(folder, name);
    return name;
  }

  private nameIn(packageJson: string): string | undefined {
    const text = this.readFile(packageJson);
    if (text === undefined) return undefined;
    try {
      const { name } = JSON.parse(text) as { name?: unknown };
      return typeof name === 'string' ? name : undefined;
    } catch {
      // A malformed package.json names no package; Node would refuse it anyway.
      return undefined;
    }
  }
}
