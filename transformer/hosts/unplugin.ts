import { resolve } from 'node:path';
import { ts } from 'ts-morph';
import { createUnplugin, type UnpluginContext, type UnpluginFactory, type UnpluginInstance } from 'unplugin';
import { formatDiagnostic } from '../diagnostics.js';
import { GENERATED_HEADER } from '../emit/index.js';
import type { ProjectPlan } from '../plan.js';
import { toPosix } from '../generated-path.js';
import { GeneratedProject } from './generated-project.js';
import { textImportsResil, textRequiresResil } from './resil-import.js';

/** Options of the resil bundler plugins (`resil/vite`, `resil/esbuild`, `resil/rollup`, `resil/webpack`). */
export interface ResilPluginOptions {
  /**
   * The project's tsconfig: absolute, or relative to the bundler's working directory (Vite's
   * `root`, webpack's `context`, esbuild's `absWorkingDir`, else the process's). Default `tsconfig.json`.
   */
  tsconfig?: string;
}

/** The specifier the plugin imports the generated module by, first thing in every file that imports from `resil`. */
export const VIRTUAL_MODULE_ID = 'virtual:resil-generated';

/** What the virtual module resolves to, in any host. */
const GENERATED_ID = /resil\.generated\.[jt]s$/;
/** How files import it: by its id, or (in webpack) by that path. */
const IMPORTED_ID = /^virtual:resil-generated$|resil\.generated\.js$/;
/** TypeScript modules, the ones that may import resil. */
const SOURCE = /\.[cm]?tsx?(?:[?#].*)?$/;
const DEPENDENCY = /[\\/]node_modules[\\/]/;

/** A TypeScript file of the project (not a dependency's). */
function isSource(id: string): boolean {
  return SOURCE.test(id) && !DEPENDENCY.test(id);
}

// A shebang line, then whitespace, comments and directives ('use strict', 'use client').
const PROLOGUE = /^(?:#![^\n]*)?(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|(['"])(?:(?!\1)[^\\\n]|\\.)*\1\s*;?)*/;

/**
 * Where a statement can be added to module text without moving a line or taking the place of a
 * directive: after the shebang, leading comments and directives, at the start of the first
 * statement (so on its line).
 */
function prologueEnd(code: string): number {
  return PROLOGUE.exec(code)?.[0].length ?? 0;
}

/** Reports a plan's diagnostics to the bundler: warnings as warnings, every error in one build error. */
function report(ctx: UnpluginContext, plan: ProjectPlan): void {
  const errors = plan.diagnostics.filter((d) => d.severity === 'error');
  for (const d of plan.diagnostics) if (d.severity === 'warning') ctx.warn(`resil: ${formatDiagnostic(d)}`);
  if (errors.length === 0) return;
  const count = `${errors.length} error${errors.length === 1 ? '' : 's'}`;
  ctx.error(`resil: ${count} in decorated methods\n\n${errors.map(formatDiagnostic).join('\n\n')}`);
}

/**
 * The plugin factory that every bundler host shares. It analyses the project of a tsconfig with
 * the shared analyzer, serves the emitted module as the virtual module
 * {@link VIRTUAL_MODULE_ID}, and adds `import 'virtual:resil-generated';` in front of the first
 * line of every TypeScript module that imports from `resil` (on that line, so line numbers and
 * source maps stay as they were). The analysis runs at most once per build, on the first load of
 * the module; a changed TypeScript file or tsconfig makes the next load analyse again.
 *
 * The virtual module is resolved to `resil.generated.ts` in the project's source root (where
 * `resil gen` writes it, though nothing is written): bundlers compile it as the TypeScript it is,
 * and resolve its `import … from 'resil'` from the project, to the resil the application uses.
 * Rollup and webpack compile no TypeScript of their own, so there it is `resil.generated.js`,
 * with the types stripped by TypeScript's `transpileModule`.
 */
export const resilPluginFactory: UnpluginFactory<ResilPluginOptions | undefined, false> = (options = {}, meta) => {
  const webpack = meta.framework === 'webpack';
  const stripTypes = webpack || meta.framework === 'rollup';
  let base = process.cwd();
  let project: GeneratedProject | undefined;
  const getProject = () => (project ??= new GeneratedProject(resolve(base, options.tsconfig ?? 'tsconfig.json')));
  const modulePath = () => (stripTypes ? getProject().path.replace(/\.ts$/, '.js') : getProject().path);
  const isModule = (id: string) => toPosix(id.replace(/[?#].*$/, '')) === modulePath();
  // webpack reads `virtual:` as a URL scheme before any resolver sees it, so there the module is
  // imported by its path. And there the transform runs after the project's own loader, on
  // JavaScript that may be CommonJS.
  const importStatement = (code: string): string | undefined => {
    if (!webpack) return textImportsResil(code) ? `import '${VIRTUAL_MODULE_ID}';` : undefined;
    const specifier = JSON.stringify(modulePath());
    if (textImportsResil(code)) return `import ${specifier};`;
    return textRequiresResil(code) ? `require(${specifier});` : undefined;
  };

  return {
    name: 'resil',
    enforce: webpack ? 'post' : 'pre',
    buildStart() {
      project?.invalidate();
    },
    watchChange(id) {
      if (isSource(id) || toPosix(id) === toPosix(getProject().tsconfig)) project?.invalidate();
    },
    resolveId: {
      filter: { id: IMPORTED_ID },
      // The module registers entries when it runs: it has side effects, whatever a package.json says.
      handler: (id) => (id === VIRTUAL_MODULE_ID || toPosix(id) === modulePath() ? { id: modulePath(), moduleSideEffects: true } : null),
    },
    load: {
      filter: { id: GENERATED_ID },
      handler(id) {
        if (!isModule(id)) return null;
        const current = getProject();
        if (!current.exists()) {
          this.error(`resil: no tsconfig at ${current.tsconfig}; give the plugin's tsconfig option`);
          return null;
        }
        const { plan, text } = current.module();
        report(this, plan);
        if (!stripTypes) return text;
        const compilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext };
        return ts.transpileModule(text, { compilerOptions, fileName: id }).outputText;
      },
    },
    transform: {
      // Not the generated module: unplugin's esbuild host would drop what its load reported.
      filter: { id: { include: SOURCE, exclude: [DEPENDENCY, GENERATED_ID] }, code: /['"]resil['"]/ },
      handler(code, id) {
        if (isModule(id) || code.startsWith(GENERATED_HEADER)) return null;
        const statement = importStatement(code);
        if (statement === undefined) return null;
        // `map: null`: no line moves, so the source map holds.
        const at = prologueEnd(code);
        return { code: `${code.slice(0, at)}${statement}${code.slice(at)}`, map: null };
      },
    },
    vite: {
      configResolved(config) {
        base = config.root;
      },
      handleHotUpdate({ file, server, modules }) {
        if (!isSource(file)) return;
        const generated = server.moduleGraph.getModuleById(modulePath());
        if (generated === undefined) return;
        server.moduleGraph.invalidateModule(generated);
        return [...modules, generated];
      },
    },
    esbuild: {
      config(buildOptions) {
        if (buildOptions.absWorkingDir) base = buildOptions.absWorkingDir;
      },
    },
    webpack(compiler) {
      base = compiler.options.context ?? base;
      compiler.options.module.rules.push({ test: GENERATED_ID, sideEffects: true });
    },
  };
};

/** The resil plugin for every bundler unplugin supports; `resil/vite` and the others export one each. */
export const resilUnplugin: UnpluginInstance<ResilPluginOptions | undefined, false> = createUnplugin(resilPluginFactory);
