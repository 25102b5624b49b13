import type { CodeBlockWriter } from 'ts-morph';
import type { PolicyKind } from '../../src/policies/kinds.js';
import type { DecoratorPlan, MethodPlan } from '../plan.js';
import { emitCircuitBreaker } from './decorators/circuit-breaker.js';
import { emitDelegated } from './decorators/delegated.js';
import { emitRetry } from './decorators/retry.js';
import { awaitIn, writeTryCatch, type EmitLayerProps } from './layer.js';

/** Layers written inline in the wrapper; every other policy is called with the rest of the call as a function. */
const INLINE: ReadonlySet<PolicyKind> = new Set(['retry', 'circuitBreaker']);

/** The key under which analysis keeps options given as one non-literal expression. */
const OPAQUE_KEY = '$options';

const isOpaque = (decorator: DecoratorPlan): boolean => decorator.options?.[OPAQUE_KEY] !== undefined;

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
function writeLayers(writer: CodeBlockWriter, method: MethodPlan, layers: readonly DecoratorPlan[], hasCall: boolean, below: string): void {
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

/**
 * Whether a method takes the fused shape: `@Timeout` the innermost policy, with only `@Retry`
 * (without `retryOnResult`) and `@CircuitBreaker` above it. Its happy path is no async function:
 * the timeout's own reaction finishes the policies above and answers the call.
 */
export function isFused(method: MethodPlan): boolean {
  const kinds = method.decorators.map((d) => d.kind);
  if (!method.async || kinds.at(-1) !== 'timeout') return false;
  if (!kinds.slice(0, -1).every((k) => k === 'retry' || k === 'circuitBreaker')) return false;
  const retry = method.decorators.find((d) => d.kind === 'retry');
  return retry === undefined || (!isOpaque(retry) && retry.options?.['retryOnResult'] === undefined);
}

/** The fused wrapper: see {@link isFused}. */
function writeFused(writer: CodeBlockWriter, method: MethodPlan): void {
  const hasRetry = method.decorators.some((d) => d.kind === 'retry');
  const hasBreaker = method.decorators.some((d) => d.kind === 'circuitBreaker');
  const timeout = method.decorators.at(-1)!;
  writer.writeLine('const belowTimeout = (call: Call): unknown => original.apply(call.self, call.args);');
  const finish = (error: boolean) => {
    writer.writeLine('lifecycle.settled();');
    writer.writeLine(error ? 'call.scope?.end(error);' : 'call.scope?.end();');
  };
  // After the first attempt failed (or was refused): the attempts left, as the general wrapper makes them.
  writer.write(`const rest = ${hasRetry ? 'async ' : ''}(call: AttemptCall, error: unknown): ${hasRetry ? 'Promise<unknown>' : 'never'} => `).inlineBlock(() => {
    if (!hasRetry) {
      finish(true);
      writer.writeLine('throw error;');
      return;
    }
    writer.writeLine('let result: unknown;');
    writeTryCatch(
      writer,
      () => {
        writer.writeLine('let previousDelay = 0;');
        writer.write('for (let attempt = call.attempts; ; )').block(() => {
          writer.writeLine('const delay = retry.afterError(call, attempt, previousDelay, call.retryStartedAt, error);');
          writer.writeLine('if (delay < 0) throw error;');
          writer.writeLine('await retry.pause(delay, call);');
          writer.writeLine('previousDelay = delay;');
          writer.writeLine('attempt++;');
          writer.writeLine('retry.attempt(call, attempt);');
          writeTryCatch(
            writer,
            () => {
              const layers = method.decorators.filter((d) => d.kind !== 'retry');
              writeLayers(writer, { ...method, decorators: layers }, layers, true, 'belowTimeout');
            },
            () => {
              writer.writeLine('error = caught;');
              writer.writeLine('continue;');
            },
            'caught',
          );
          writer.writeLine('retry.succeeded();');
          writer.writeLine('break;');
        });
      },
      () => {
        finish(true);
        writer.writeLine('throw error;');
      },
      'error',
    );
    finish(false);
    writer.writeLine('return result;');
  });
  writer.write(';').newLine();
  writer.write('const after = (settled: Call, ok: boolean, outcome: unknown): unknown => ').inlineBlock(() => {
    writer.writeLine('const call = settled as AttemptCall;');
    writer.write('if (!ok)').block(() => {
      if (hasBreaker) writer.writeLine('circuitBreaker.fail(call.breakerTicket!, call.breakerStartedAt, outcome);');
      writer.writeLine('return rest(call, outcome);');
    });
    if (hasBreaker) writer.writeLine('circuitBreaker.succeed(call.breakerTicket!, call.breakerStartedAt);');
    if (hasRetry) writer.writeLine('retry.succeeded();');
    finish(false);
    writer.writeLine('return outcome;');
  });
  writer.write(';').newLine();
  writer.write('return function (this: unknown, ...args: unknown[]): Promise<unknown> ').inlineBlock(() => {
    writer.writeLine('if (lifecycle.draining) return Promise.reject(new ShuttingDownError(method.id));');
    writer.writeLine('const self = this;');
    writer.writeLine('const scope = lifecycle.observer?.start(method, policyIds);');
    const signal = method.signalIndex >= 0 ? `args[${method.signalIndex}] instanceof AbortSignal ? args[${method.signalIndex}] : undefined` : 'undefined';
    writer.writeLine(
      `const call: AttemptCall = { self, args, signal: ${signal}, attempts: 1, firstFailedAt: undefined, fromFallback: false, scope, retryStartedAt: 0, breakerTicket: undefined, breakerStartedAt: 0 };`,
    );
    writer.writeLine('lifecycle.inFlight++;');
    if (hasRetry) {
      writer.writeLine('call.retryStartedAt = retry.begin();');
      writer.writeLine('retry.attempt(call, 1);');
    }
    if (hasBreaker) {
      writeTryCatch(
        writer,
        () => writer.writeLine('call.breakerTicket = circuitBreaker.enter(scope);'),
        () => writer.writeLine('return rest(call, error);'),
      );
      writer.writeLine('call.breakerStartedAt = circuitBreaker.startTime();');
    }
    writer.writeLine(`return ${timeout.kind}.execute(call, belowTimeout, after);`);
  });
  writer.write(';').newLine();
}

/** Whether a method's wrapper needs a `Call` object: every policy but a lone breaker reads one. */
export const needsCall = (method: MethodPlan): boolean => method.decorators.some((d) => d.kind !== 'circuitBreaker');

/**
 * Writes the factory of one method's specialized wrapper: its policies fetched once, the functions
 * its delegated policies call, and the wrapper, straight-line code for exactly its policies in
 * SPEC §2's order (the plan's decorators are in that order already).
 */
export function emitMethod(method: MethodPlan, factoryName: string, writer: CodeBlockWriter): void {
  const kinds = method.decorators.map((d) => d.kind).join(' → ');
  writer.writeLine(`/** ${method.id} (${method.file}:${method.line}): ${kinds}; ${method.async ? 'async' : 'sync'}. */`);
  writer.write(`function ${factoryName}(ctx: GeneratedContext): GeneratedMethod`).block(() => {
    writer.writeLine('const { method, original, lifecycle, policyIds } = ctx;');
    for (const decorator of method.decorators) writer.writeLine(`const ${decorator.kind} = ctx.policy('${decorator.kind}');`);
    if (isFused(method)) {
      writeFused(writer, method);
      return;
    }
    const segments = segmentsOf(method.decorators);
    // Innermost first, so each function is declared before the one that calls it.
    for (let i = segments.length - 1; i >= 1; i--) {
      const owner = segments[i - 1]!.at(-1)!;
      const next = i + 1 < segments.length ? belowName(segments[i]!.at(-1)!.kind) : '';
      writeBelow(writer, method, belowName(owner.kind), segments[i]!, next);
      if (owner.kind === 'deadLetter') writer.writeLine(`deadLetter.bindNext(method, ${belowName(owner.kind)});`);
    }
    const first = segments[0]!;
    const below = segments.length > 1 ? belowName(first.at(-1)!.kind) : '';
    writeWrapper(writer, method, first, needsCall(method), below);
  });
}
