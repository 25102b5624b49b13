import { POLICY_ORDER } from '../../src/policies/kinds.js';
import type { PlanValue, ProjectPlan } from '../plan.js';
import { effectiveOptions } from './effective-options.js';
import { contentHash, generatedMethods } from './module.js';

/** One policy in `resil.manifest.json`. */
export interface ManifestPolicy {
  /** `Class.method#kind`, or the policy's `name`. */
  id: string;
  kind: string;
  class: string;
  method: string;
  /** Relative to the tsconfig's directory. */
  file: string;
  line: number;
  /** Defaults filled in; non-literal options as `{ $expr }`. */
  options: Record<string, PlanValue>;
}

/** `resil.manifest.json`: every policy of every generated method, sorted by method id and SPEC §2's order. */
export interface Manifest {
  generatedBy: 'resil';
  /** The content hash of the manifest's policies. */
  hash: string;
  files: number;
  policies: ManifestPolicy[];
}

/** The manifest of a plan, as the JSON text `resil gen` writes. */
export function emitManifest(plan: ProjectPlan): string {
  const policies: ManifestPolicy[] = [];
  for (const method of generatedMethods(plan)) {
    const decorators = [...method.decorators].sort((a, b) => POLICY_ORDER.indexOf(a.kind) - POLICY_ORDER.indexOf(b.kind));
    for (const decorator of decorators) {
      const name = decorator.options?.['name'];
      policies.push({
        id: typeof name === 'string' ? name : `${method.id}#${decorator.kind}`,
        kind: decorator.kind,
        class: method.className,
        method: method.methodName,
        file: method.file,
        line: method.line,
        options: effectiveOptions(decorator),
      });
    }
  }
  const manifest: Manifest = { generatedBy: 'resil', hash: contentHash(JSON.stringify(policies)), files: plan.files, policies };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
