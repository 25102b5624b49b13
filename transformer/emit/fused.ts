import type { CodeBlockWriter } from 'ts-morph';
import type { MethodPlan } from '../plan.js';
import { writeTryCatch } from './layer.js';
import { isOpaque, writeLayers } from './method.js';

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

/** What the parts of a fused wrapper need to know of the method. */
interface FusedShape {
  readonly method: MethodPlan;
  readonly hasRetry: boolean;
  readonly hasBreaker: boolean;
}

/** Ends the call's lifecycle: no longer in flight, its observers told. */
function writeFinish(writer: CodeBlockWriter, failed: boolean): void {
  writer.writeLine('lifecycle.settled();');
  writer.writeLine(failed ? 'call.scope?.end(error);' : 'call.scope?.end();');
}

/** `rest`: after the first attempt failed (or was refused), the attempts left, as the general wrapper makes them. */
function writeRest(writer: CodeBlockWriter, { method, hasRetry }: FusedShape): void {
  writer.write(`const rest = ${hasRetry ? 'async ' : ''}(call: AttemptCall, error: unknown): ${hasRetry ? 'Promise<unknown>' : 'never'} => `).inlineBlock(() => {
    if (!hasRetry) {
      writeFinish(writer, true);
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
        writeFinish(writer, true);
        writer.writeLine('throw error;');
      },
      'error',
    );
    writeFinish(writer, false);
    writer.writeLine('return result;');
  });
  writer.write(';').newLine();
}

/** `after`: run inside the timeout's reaction; on success it finishes the policies above and the call. */
function writeAfter(writer: CodeBlockWriter, { hasRetry, hasBreaker }: FusedShape): void {
  writer.write('const after = (settled: Call, ok: boolean, outcome: unknown): unknown => ').inlineBlock(() => {
    writer.writeLine('const call = settled as AttemptCall;');
    writer.write('if (!ok)').block(() => {
      if (hasBreaker) writer.writeLine('circuitBreaker.fail(call.breakerTicket!, call.breakerStartedAt, outcome);');
      writer.writeLine('return rest(call, outcome);');
    });
    if (hasBreaker) writer.writeLine('circuitBreaker.succeed(call.breakerTicket!, call.breakerStartedAt);');
    if (hasRetry) writer.writeLine('retry.succeeded();');
    writeFinish(writer, false);
    writer.writeLine('return outcome;');
  });
  writer.write(';').newLine();
}

/** The wrapper: the first attempt's steps, then the timeout with `after`. */
function writeFusedWrapper(writer: CodeBlockWriter, { method, hasRetry, hasBreaker }: FusedShape): void {
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
    writer.writeLine('return timeout.execute(call, belowTimeout, after);');
  });
  writer.write(';').newLine();
}

/** Writes the body of a method's factory in the fused shape: see {@link isFused}. */
export function writeFused(writer: CodeBlockWriter, method: MethodPlan): void {
  const shape: FusedShape = {
    method,
    hasRetry: method.decorators.some((d) => d.kind === 'retry'),
    hasBreaker: method.decorators.some((d) => d.kind === 'circuitBreaker'),
  };
  writer.writeLine('const belowTimeout = (call: Call): unknown => original.apply(call.self, call.args);');
  writeRest(writer, shape);
  writeAfter(writer, shape);
  writeFusedWrapper(writer, shape);
}

