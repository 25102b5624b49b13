import { POLICY_ORDER } from '../../src/policies/kinds.js';
import type { PlanValue, ProjectPlan } from '../plan.js';
import { effectiveOptions } from './effective-options.js';
import { typeSchema, type JsonSchema } from './json-schema-ir.js';
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
  /** `@Validated` only: the JSON Schema (2020-12) of each parameter, from the IR its validators are generated from. */
  parameters?: { name: string; schema: JsonSchema }[];
  /** `@Validated` with a result validator: the JSON Schema of the resolved result. */
  returns?: JsonSchema;
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
      const policy: ManifestPolicy = {
        id: typeof name === 'string' ? name : `${method.id}#${decorator.kind}`,
        kind: decorator.kind,
        class: method.className,
        method: method.methodName,
        file: method.file,
        line: method.line,
        options: effectiveOptions(decorator),
      };
      const validation = decorator.kind === 'validated' ? method.validation : undefined;
      if (validation) {
        const { defs, strict } = validation;
        policy.parameters = validation.parameters.map((type, i) => ({ name: method.parameters[i]!.name || `arg${i}`, schema: typeSchema(type, defs, strict) }));
        if (validation.returns) policy.returns = typeSchema(validation.returns, defs, strict);
      }
      policies.push(policy);
    }
  }
  const manifest: Manifest = { generatedBy: 'resil', hash: contentHash(JSON.stringify(policies)), files: plan.files, policies };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
