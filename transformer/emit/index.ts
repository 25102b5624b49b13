/**
 * Emission, the second half of the transformer (STYLE.md practice 12): pure functions of a
 * {@link ProjectPlan} that never query the type checker.
 */
import type { ProjectPlan } from '../plan.js';
import { emitManifest } from './manifest.js';
import { emitModule, type EmitModuleOptions } from './module.js';
import { emitSchema } from './schema.js';

export { emitModule, generatedMethods, contentHash } from './module.js';
export { GENERATED_HEADER } from '../plan.js';
export type { EmitModuleOptions } from './module.js';
export { emitManifest } from './manifest.js';
export type { Manifest, ManifestPolicy } from './manifest.js';
export { emitSchema } from './schema.js';

/** The three build-time outputs of SPEC §6, as text. */
export interface GeneratedOutputs {
  /** `resil.generated.ts`. */
  module: string;
  /** `resil.manifest.json`. */
  manifest: string;
  /** `resil.schema.json`. */
  schema: string;
}

/** Emits every output of a plan. */
export function emitAll(plan: ProjectPlan, options: EmitModuleOptions = {}): GeneratedOutputs {
  return { module: emitModule(plan, options), manifest: emitManifest(plan), schema: emitSchema(plan) };
}
