import type { CodeBlockWriter } from 'ts-morph';
import type { PolicyKind } from '../../src/policies/kinds.js';
import { OPAQUE_KEY } from '../analyze/read-options.js';
import type { DecoratorPlan, MethodPlan } from '../plan.js';
import { emitCircuitBreaker } from './decorators/circuit-breaker.js';
import { emitDelegated } from './decorators/delegated.js';
import { emitRetry } from './decorators/retry.js';
import { awaitIn, writeTryCatch, type EmitLayerProps } from './layer.js';

/** Layers written inline in the wrapper; every other policy is called with the rest of the call as a function. */
const INLINE: ReadonlySet<PolicyKind> = new Set(['retry', 'circuitBreaker']);


export const isOpaque = (decorator: DecoratorPlan): boolean => decorator.options?.[OPAQUE_KEY] !== undefined;

/** The name of the function that runs what is below a delegated layer. */
const belowName = (kind: PolicyKind): string => `below${kind[0]!.toUpperCase()}${kind.slice(1)}`;

/**
 * A method's layers cut after each delegated policy: the wrapper runs the first segment, and each
 * delegated policy calls a function (declared once per method) that runs the next.
 */
function segmentsOf(decorators: readonly DecoratorPlan[]): DecoratorPlan[][] {
  const segments: DecoratorPlan[][] = [[]];
  for (const decorator of decorators) {
    segments[segments.length - 1]!.push(decorator);
    if (!INLINE.has(decorator.kind)) segments.push([]);
  }
  return segments;
}

/**
 * The parameters of a wrapper that needs no `Call` (so no arguments array): one per declared
 * parameter, named by position so that no parameter name can shadow the wrapper's own locals.
 */
function directParameters(method: MethodPlan): { declared: string; passed: string } {
  const declared = method.parameters.map((p, i) => (p.rest ? `...a${i}: unknown[]` : `a${i}: unknown`));
  const passed = method.parameters.map((p, i) => (p.rest ? `...a${i}` : `a${i}`));
  return { declared: declared.join(', '), passed: passed.join(', ') };
}

/** Writes the layers of one segment, innermost last; `result` ends up holding their outcome. */
export function writeLayers(writer: CodeBlockWriter, method: MethodPlan, layers: readonly DecoratorPlan[], hasCall: boolean, below: string): void {
  const [decorator, ...rest] = layers;
  if (decorator === undefined) {
    const { passed } = directParameters(method);
    const target = hasCall ? 'original.apply(call.self, call.args)' : `original.call(self${passed ? `, ${passed}` : ''})`;
    writer.writeLine(`result = ${awaitIn(method.async)}${target};`);
    return;
  }
  const props: EmitLayerProps = {
    decorator,
    async: method.async,
    hasCall,
    opaque: isOpaque(decorator),
    inner: () => writeLayers(writer, method, rest, hasCall, below),
  };
  if (decorator.kind === 'retry') emitRetry(props, writer);
  else if (decorator.kind === 'circuitBreaker') emitCircuitBreaker(props, writer);
  else emitDelegated({ ...props, below }, writer);
}

/** Declares the function run below a delegated layer: the next segment of the method. */
function writeBelow(writer: CodeBlockWriter, method: MethodPlan, name: string, layers: readonly DecoratorPlan[], next: string): void {
  const only = layers[0];
  if (only === undefined) {
    writer.writeLine(`const ${name} = (call: Call): unknown => original.apply(call.self, call.args);`);
    return;
  }
  if (layers.length === 1 && !INLINE.has(only.kind)) {
    writer.writeLine(`const ${name} = (call: Call): unknown => ${only.kind}.execute(call, ${next});`);
    return;
  }
  const returns = method.async ? 'Promise<unknown>' : 'unknown';
  writer.write(`const ${name} = ${method.async ? 'async ' : ''}(call: Call): ${returns} => `).inlineBlock(() => {
    writer.writeLine('let result: unknown;');
    writeLayers(writer, method, layers, true, next);
    writer.writeLine('return result;');
  });
  writer.write(';').newLine();
}

/**
 * Writes the wrapper itself, the method as callers call it: the lifecycle of a call around the
 * first segment. A wrapper with a `Call` takes its arguments as an array (the call carries it);
 * one without takes exactly the declared parameters.
 */
function writeWrapper(writer: CodeBlockWriter, method: MethodPlan, layers: readonly DecoratorPlan[], hasCall: boolean, below: string): void {
  const parameters = hasCall ? '...args: unknown[]' : directParameters(method).declared;
  const head = `${method.async ? 'async ' : ''}function (this: unknown${parameters ? `, ${parameters}` : ''}): ${method.async ? 'Promise<unknown>' : 'unknown'}`;
  writer.write(`return ${head} `).inlineBlock(() => {
    writer.writeLine('if (lifecycle.draining) throw new ShuttingDownError(method.id);');
    writer.writeLine('const self = this;');
    writer.writeLine('const scope = lifecycle.observer?.start(method, policyIds);');
    if (hasCall) {
      const signal =
        method.signalIndex >= 0 ? `args[${method.signalIndex}] instanceof AbortSignal ? args[${method.signalIndex}] : undefined` : 'undefined';
      writer.writeLine(`const call: Call = { self, args, signal: ${signal}, attempts: 1, firstFailedAt: undefined, fromFallback: false, scope };`);
    }
    // A sync call starts and ends before shutdown() can look: only async calls are counted in flight.
    const counted = method.async;
    if (counted) writer.writeLine('lifecycle.inFlight++;');
    writer.writeLine('let result: unknown;');
    writeTryCatch(
      writer,
      () => writeLayers(writer, method, layers, hasCall, below),
      () => {
        if (counted) writer.writeLine('lifecycle.settled();');
        writer.writeLine('scope?.end(error);');
        writer.writeLine('throw error;');
      },
    );
    if (counted) writer.writeLine('lifecycle.settled();');
    writer.writeLine('scope?.end();');
    writer.writeLine('return result;');
  });
  writer.write(';').newLine();
}

/** Whether a method's wrapper needs a `Call` object: every policy but a lone breaker reads one. */
export const needsCall = (method: MethodPlan): boolean => method.decorators.some((d) => d.kind !== 'circuitBreaker');

/**
 * Writes the body of a method's factory in the general shape: the functions its delegated policies
 * call (the segments below them, innermost first, so each is declared before the one that calls
 * it), then the wrapper running the first segment.
 */
export function writeGeneral(writer: CodeBlockWriter, method: MethodPlan): void {
  const segments = segmentsOf(method.decorators);
  for (let i = segments.length - 1; i >= 1; i--) {
    const owner = segments[i - 1]!.at(-1)!;
    const next = i + 1 < segments.length ? belowName(segments[i]!.at(-1)!.kind) : '';
    writeBelow(writer, method, belowName(owner.kind), segments[i]!, next);
    if (owner.kind === 'deadLetter') writer.writeLine(`deadLetter.bindNext(method, ${belowName(owner.kind)});`);
  }
  const first = segments[0]!;
  const below = segments.length > 1 ? belowName(first.at(-1)!.kind) : '';
  writeWrapper(writer, method, first, needsCall(method), below);
}
