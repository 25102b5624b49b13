import type { CodeBlockWriter } from 'ts-morph';
import type { MethodPlan } from '../plan.js';
import { isFused, writeFused } from './fused.js';
import { writeGeneral } from './method.js';

/**
 * Writes the factory of one method's specialized wrapper: its policies fetched once, then the
 * wrapper, straight-line code for exactly its policies in SPEC §2's order (the plan's decorators
 * are in that order already), in the fused shape where it applies, else the general one.
 */
export function emitMethod(method: MethodPlan, factoryName: string, writer: CodeBlockWriter): void {
  const kinds = method.decorators.map((d) => d.kind).join(' → ');
  writer.writeLine(`/** ${method.id} (${method.file}:${method.line}): ${kinds}; ${method.async ? 'async' : 'sync'}. */`);
  writer.write(`function ${factoryName}(ctx: GeneratedContext): GeneratedMethod`).block(() => {
    writer.writeLine('const { method, original, lifecycle, policyIds } = ctx;');
    for (const decorator of method.decorators) writer.writeLine(`const ${decorator.kind} = ctx.policy('${decorator.kind}');`);
    if (isFused(method)) writeFused(writer, method);
    else writeGeneral(writer, method);
  });
}
