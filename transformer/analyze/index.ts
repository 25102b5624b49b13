/**
 * Analysis, the first half of the transformer (STYLE.md practice 12): a TypeScript project in,
 * a plain {@link ProjectPlan} out, with every decorated method and every diagnostic.
 */
export { analyzeProject, analyzeFiles } from './project.js';
export type { AnalyzeProjectOptions, AnalyzeFilesOptions } from './project.js';
export { analyzeProgram } from './analyze.js';
export type { AnalyzeProgramInput } from './analyze.js';
export type { ProjectPlan } from '../plan.js';
