import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Project, ts } from 'ts-morph';
import { analyzeProgram, type AnalysisCache } from './analyze/analyze.js';
import { emitAll, type GeneratedOutputs } from './emit/index.js';
import { generatedModulePath } from './generated-path.js';
import type { ProjectPlan } from './plan.js';

/** Where `resil gen` writes (SPEC §6). */
export interface OutputPaths {
  /** `resil.generated.ts`: by default in the project's source root. */
  module: string;
  /** `resil.manifest.json`: by default beside the tsconfig. */
  manifest: string;
  /** `resil.schema.json`: by default beside the tsconfig. */
  schema: string;
}

/** Options of {@link ProjectGenerator}. */
export interface GeneratorOptions {
  /** Path of the tsconfig.json. */
  tsconfig: string;
  /** Overrides of the default output paths (absolute, or relative to the working directory). */
  out?: string;
  manifest?: string;
  schema?: string;
}

/** One run: the plan, the outputs as text, where they go, and how long it took (the first run includes reading the project). */
export interface Generation {
  plan: ProjectPlan;
  outputs: GeneratedOutputs;
  paths: OutputPaths;
  ms: number;
}

/** Which outputs differ from what is on disk. */
export type StaleOutput = keyof OutputPaths;

/**
 * One project kept in memory: `run()` analyses and emits it; `update(paths)` takes changed files
 * from disk and analyses again only what they touch (the files themselves and the decorated files
 * that import them), for `--watch`.
 */
export class ProjectGenerator {
  readonly tsconfig: string;
  readonly paths: OutputPaths;
  private readonly project: Project;
  private readonly cache: AnalysisCache = new WeakMap();
  private readonly rootDir: string;
  /** Time spent reading and parsing the project, counted in the first run's `ms`. */
  private loadMs: number;

  constructor(options: GeneratorOptions) {
    const started = performance.now();
    this.tsconfig = resolve(options.tsconfig);
    this.project = new Project({ tsConfigFilePath: this.tsconfig });
    this.rootDir = dirname(this.tsconfig);
    this.paths = {
      module: options.out
        ? resolve(options.out)
        : generatedModulePath({
            configDir: this.rootDir,
            rootDir: this.project.getCompilerOptions().rootDir,
            rootFileNames: this.project.getProgram().compilerObject.getRootFileNames(),
          }),
      manifest: options.manifest ? resolve(options.manifest) : join(this.rootDir, 'resil.manifest.json'),
      schema: options.schema ? resolve(options.schema) : join(this.rootDir, 'resil.schema.json'),
    };
    this.loadMs = performance.now() - started;
  }

  /** Analyses the whole project (reusing what is unchanged since the last run) and emits the outputs. */
  run(changed?: ReadonlySet<string>, onProgress?: (done: number, total: number) => void): Generation {
    const started = performance.now();
    const fs = this.project.getFileSystem();
    const program = this.project.getProgram().compilerObject;
    const input = {
      program,
      rootDir: this.rootDir,
      readFile: (p: string) => (fs.fileExistsSync(p) ? fs.readFileSync(p) : undefined),
      cache: this.cache,
    };
    const plan = analyzeProgram({ ...input, ...(changed && { changed }), ...(onProgress && { onProgress }) });
    const outputs = emitAll(plan);
    const ms = Math.round(performance.now() - started + this.loadMs);
    this.loadMs = 0;
    return { plan, outputs, paths: this.paths, ms };
  }

  /**
   * Takes changed, added or deleted files from disk, then runs again. Paths outside the project
   * (and the generated module itself) are ignored; returns undefined when none was a project file.
   */
  update(paths: readonly string[]): Generation | undefined {
    const changed = new Set<string>();
    for (const path of paths.map((p) => resolve(p))) {
      if (path === this.paths.module || !/\.(?:[cm]?tsx?)$/.test(path) || path.includes('/node_modules/')) continue;
      const file = this.project.getSourceFile(path);
      if (file && !existsSync(path)) this.project.removeSourceFile(file);
      else if (file) file.refreshFromFileSystemSync();
      else if (existsSync(path) && this.includes(path)) this.project.addSourceFileAtPath(path);
      else continue;
      changed.add(path);
    }
    return changed.size > 0 ? this.run(changed) : undefined;
  }

  /** The folders holding the project's own source files (and the tsconfig's), sorted: what `--watch` watches. */
  sourceFolders(): string[] {
    const folders = new Set([this.rootDir]);
    for (const file of this.project.getSourceFiles()) {
      if (!file.isDeclarationFile() && !file.isInNodeModules()) folders.add(dirname(file.getFilePath()));
    }
    return [...folders].sort();
  }

  /** Whether the tsconfig's `include`/`files` take in a new file. */
  private includes(path: string): boolean {
    const parsed = ts.getParsedCommandLineOfConfigFile(this.tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
    return parsed?.fileNames.some((f) => resolve(f) === path) ?? false;
  }
}

/** The outputs whose files are missing or differ from `outputs`. */
export function staleOutputs(generation: Generation): StaleOutput[] {
  const stale: StaleOutput[] = [];
  for (const key of ['module', 'manifest', 'schema'] as const) {
    const path = generation.paths[key];
    const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (current !== generation.outputs[key]) stale.push(key);
  }
  return stale;
}

/**
 * Writes the outputs that changed, each through a temporary file and a rename, so a reader (or a
 * killed process) never sees half a file. Returns the ones written.
 */
export function writeOutputs(generation: Generation): StaleOutput[] {
  const written = staleOutputs(generation);
  for (const key of written) writeAtomically(generation.paths[key], generation.outputs[key]);
  return written;
}

/** Writes a file through a temporary one and a rename (creating its folder), so no reader sees half of it. */
export function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}
