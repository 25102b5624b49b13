import type { CodeBlockWriter } from 'ts-morph';
import { writeTryCatch, type EmitLayerProps } from '../layer.js';

/** Props of {@link emitRetry}. */
export type EmitRetryProps = EmitLayerProps;

/**
 * `@Retry` inline: a loop over attempts around the layers below, through the steps of the runtime's
 * `RetryPolicy` (so both modes count, delay and announce alike). The `retryOnResult` check is
 * written only when the decorator has one.
 */
export function emitRetry(props: EmitRetryProps, writer: CodeBlockWriter): void {
  const checksResult = props.opaque || props.decorator.options?.['retryOnResult'] !== undefined;
  writer.writeLine('const retryStartedAt = retry.begin();');
  writer.writeLine('let previousDelay = 0;');
  writer.write('for (let attempt = 1; ; attempt++)').block(() => {
    writer.writeLine('retry.attempt(call, attempt);');
    writeTryCatch(writer, props.inner, () => {
      writer.writeLine('const delay = retry.afterError(call, attempt, previousDelay, retryStartedAt, error);');
      writer.writeLine('if (delay < 0) throw error;');
      writer.writeLine('await retry.pause(delay, call);');
      writer.writeLine('previousDelay = delay;');
      writer.writeLine('continue;');
    });
    if (checksResult) {
      writer.writeLine('const resultDelay = retry.afterResult(call, attempt, previousDelay, retryStartedAt, result);');
      writer.write('if (resultDelay >= 0)').block(() => {
        writer.writeLine('await retry.pause(resultDelay, call);');
        writer.writeLine('previousDelay = resultDelay;');
        writer.writeLine('continue;');
      });
    }
    writer.writeLine('retry.succeeded();');
    writer.writeLine('break;');
  });
}
