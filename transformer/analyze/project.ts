import { posix, resolve } from 'node:path';
import { Project, ts, type FileSystemHost } from 'ts-morph';
import type { ProjectPlan } from '../plan.js';
import { analyzeProgram } from './analyze.js';
import type { ReadFile } from './find-decorators.js';

/** Options of {@link analyzeProject}. */
export interface AnalyzeProjectOptions {
  /** Path of the project's tsconfig.json; its directory is the project root. */
  tsconfig: string;
}

/** Options of {@link analyzeFiles}. */
export interface AnalyzeFilesOptions {
  /** Compiler options over the defaults (ES2022, NodeNext, strict, standard decorators). */
  compilerOptions?: ts.CompilerOptions;
}

/** The defaults of an in-memory project: what a Node 20 ESM project with standard decorators uses. */
const IN_MEMORY_DEFAULTS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  skipLibCheck: true,
};

const SOURCE_EXTENSION = /\.(?:[cm]?tsx?)$/;

function readerOf(fs: FileSystemHost): ReadFile {
  return (path) => (fs.fileExistsSync(path) ? fs.readFileSync(path) : undefined);
}

/** Forward slashes, and absolute from the in-memory root. */
function inMemoryPath(path: string): string {
  return posix.resolve('/', path.replace(/\\/g, '/'));
}

/**
 * Analyses the project a tsconfig describes (its `files`/`include`, and what they import), with
 * one ts-morph {@link Project}. Paths in the plan are relative to the tsconfig's directory.
 */
export function analyzeProject(options: AnalyzeProjectOptions): ProjectPlan {
  const project = new Project({ tsConfigFilePath: options.tsconfig, skipAddingFilesFromTsConfig: false });
  const fs = project.getFileSystem();
  const rootDir = posix.dirname(resolve(options.tsconfig).replace(/\\/g, '/'));
  return analyzeProgram({ program: project.getProgram().compilerObject, rootDir, readFile: readerOf(fs) });
}

/**
 * Analyses files held in memory, for tests: `files` maps paths (relative to `/`, or absolute) to
 * their text. TypeScript sources outside node_modules are the project's files; everything else
 * (package.json files, a `node_modules/resil` with its declarations) is only there to be resolved.
 */
export function analyzeFiles(files: Record<string, string>, options: AnalyzeFilesOptions = {}): ProjectPlan {
  const project = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: { ...IN_MEMORY_DEFAULTS, ...options.compilerOptions },
  });
  const fs = project.getFileSystem();
  for (const [path, text] of Object.entries(files)) {
    const absolute = inMemoryPath(path);
    if (SOURCE_EXTENSION.test(absolute) && !absolute.includes('/node_modules/')) project.createSourceFile(absolute, text);
    else fs.writeFileSync(absolute, text);
  }
  return analyzeProgram({ program: project.getProgram().compilerObject, rootDir: '/', readFile: readerOf(fs) });
}
