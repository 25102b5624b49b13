import { existsSync } from 'node:fs';
import { dirname, posix } from 'node:path';
import { ts } from 'ts-morph';
import { analyzeProject } from '../analyze/index.js';
import { emitModule } from '../emit/index.js';
import type { ProjectPlan } from '../plan.js';
import { generatedModulePath, toPosix } from '../generated-path.js';

/** The plan of a project and the generated module emitted from it. */
export interface GeneratedModule {
  plan: ProjectPlan;
  /** The text of `resil.generated.ts`, as {@link emitModule} writes it. */
  text: string;
}

/**
 * One project as a bundler plugin sees it: where its generated module lives, and that module,
 * analysed on first use and again after {@link invalidate}. Analysis is the shared one
 * ({@link analyzeProject}), so the text equals what `resil gen` and the tsc transformer emit.
 */
export class GeneratedProject {
  private current: GeneratedModule | undefined;
  private modulePath: string | undefined;

  /** @param tsconfig absolute path of the project's tsconfig.json */
  constructor(readonly tsconfig: string) {}

  /** The tsconfig's folder, forward slashes. */
  get rootDir(): string {
    return toPosix(dirname(this.tsconfig));
  }

  /** Whether the tsconfig exists; without it there is nothing to analyse. */
  exists(): boolean {
    return existsSync(this.tsconfig);
  }

  /**
   * Absolute path of the generated module: `resil.generated.ts` in the project's source root
   * (`rootDir`, else the common folder of its files), where `resil gen` writes it.
   */
  get path(): string {
    this.modulePath ??= this.readPath();
    return this.modulePath;
  }

  private readPath(): string {
    const host: ts.ParseConfigFileHost = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined };
    const parsed = ts.getParsedCommandLineOfConfigFile(this.tsconfig, {}, host);
    const rootDir = parsed?.options.rootDir;
    return generatedModulePath({
      configDir: this.rootDir,
      rootDir: rootDir === undefined ? undefined : posix.resolve(this.rootDir, toPosix(rootDir)),
      rootFileNames: parsed?.fileNames ?? [],
    });
  }

  /** The generated module, analysing the project if it has changed since the last analysis. */
  module(): GeneratedModule {
    if (this.current === undefined) {
      const plan = analyzeProject({ tsconfig: this.tsconfig });
      this.current = { plan, text: emitModule(plan) };
    }
    return this.current;
  }

  /** Forgets the analysis: the next {@link module} analyses again. */
  invalidate(): void {
    this.current = undefined;
  }
}

