import type { CodeBlockWriter } from 'ts-morph';
import { writeTryCatch, type EmitLayerProps } from '../layer.js';

/** Props of {@link emitCircuitBreaker}. */
export type EmitCircuitBreakerProps = EmitLayerProps;

/**
 * `@CircuitBreaker` inline: admit (or refuse), run the layers below, record the outcome, through
 * the steps of the runtime's `CircuitBreakerPolicy`. A sync method stays sync.
 */
export function emitCircuitBreaker(props: EmitCircuitBreakerProps, writer: CodeBlockWriter): void {
  writer.writeLine(`const breakerTicket = circuitBreaker.enter(${props.hasCall ? 'call.scope' : 'scope'});`);
  writer.writeLine('const breakerStartedAt = circuitBreaker.startTime();');
  writeTryCatch(writer, props.inner, () => {
    writer.writeLine('circuitBreaker.fail(breakerTicket, breakerStartedAt, error);');
    writer.writeLine('throw error;');
  });
  writer.writeLine('circuitBreaker.succeed(breakerTicket, breakerStartedAt);');
}
