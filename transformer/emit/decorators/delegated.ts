import type { CodeBlockWriter } from 'ts-morph';
import { awaitIn, type EmitLayerProps } from '../layer.js';

/** Props of {@link emitDelegated}. */
export interface EmitDelegatedProps extends EmitLayerProps {
  /** The function (declared once per method) that runs the layers below. */
  readonly below: string;
}

/**
 * The policies whose step wraps the rest of the call and so takes it as a function: `@Timeout`
 * (races a deadline), `@Bulkhead` (queues), `@RateLimit` (may wait), `@Cached` (single-flight),
 * `@Fallback`, `@DeadLetter` and `@Validated`. The function below is made once per method, at
 * class definition, never per call.
 */
export function emitDelegated(props: EmitDelegatedProps, writer: CodeBlockWriter): void {
  writer.writeLine(`result = ${awaitIn(props.async)}${props.decorator.kind}.execute(call, ${props.below});`);
}
