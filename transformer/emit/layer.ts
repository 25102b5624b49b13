import type { CodeBlockWriter } from 'ts-morph';
import type { DecoratorPlan } from '../plan.js';

/**
 * What every decorator emitter gets: where it writes, and how to write what runs below it. Each
 * emitter writes statements that leave the outcome of the layers below (and its own) in the local
 * `result`, or throw.
 */
export interface EmitLayerProps {
  readonly decorator: DecoratorPlan;
  /** The method returns a promise: the layer may `await`. */
  readonly async: boolean;
  /** A `call: Call` is in scope; else only `self`, `args` and `scope` are (a sync method under a breaker alone). */
  readonly hasCall: boolean;
  /** The options were given as one non-literal expression: what they hold is known only at run time. */
  readonly opaque: boolean;
  /** Writes the layers below this one. */
  readonly inner: () => void;
}

/** `await ` in an async wrapper, nothing in a sync one. */
export const awaitIn = (async: boolean): string => (async ? 'await ' : '');

/** Writes `try { body } catch (error) { handler }`. */
export function writeTryCatch(writer: CodeBlockWriter, body: () => void, handler: () => void, name = 'error'): void {
  writer.write('try ').inlineBlock(body);
  writer.write(` catch (${name})`).block(handler);
}
