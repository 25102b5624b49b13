import type { ResolvedFallbackOptions } from '../config/validate-options.js';
import { runtime, type Runtime } from '../runtime.js';
import { toErrorPredicate } from './error-filter.js';
import { isThenable, newStats, type Call, type MethodInfo, type Next, type Policy, type PolicyStats } from './policy.js';

/** Counters of a fallback: `fallbacks` counts answers it gave. */
export interface FallbackStats extends PolicyStats {
  fallbacks: number;
}

/**
 * `@Fallback`: when the rest of the chain fails with an error `on` accepts, answers with `value`
 * or with `method` of the same instance, called with the same arguments and the error last.
 * Synchronous for a synchronous method.
 */
export class FallbackPolicy implements Policy<{ fallbacks: number }, FallbackStats> {
  readonly kind = 'fallback' as const;
  readonly methods: string[];
  private readonly counters: FallbackStats = { ...newStats(), fallbacks: 0 };
  private readonly handles: (error: unknown) => boolean;

  constructor(
    readonly id: string,
    method: MethodInfo,
    readonly options: ResolvedFallbackOptions,
    private readonly env: Runtime = runtime,
  ) {
    this.methods = [method.id];
    this.handles = options.on ? toErrorPredicate(options.on) : () => true;
  }

  state(): { fallbacks: number } {
    return { fallbacks: this.counters.fallbacks };
  }

  stats(): FallbackStats {
    return { ...this.counters };
  }

  execute(call: Call, next: Next): unknown {
    this.counters.calls++;
    let result: unknown;
    try {
      result = next(call);
    } catch (error) {
      return this.answer(call, error);
    }
    if (isThenable(result)) {
      return Promise.resolve(result).then(
        (value) => {
          this.counters.successes++;
          return value;
        },
        (error: unknown) => this.answer(call, error),
      );
    }
    this.counters.successes++;
    return result;
  }

  private answer(call: Call, error: unknown): unknown {
    if (!this.handles(error)) {
      this.counters.failures++;
      throw error;
    }
    call.fromFallback = true;
    call.scope?.event('fallback', { 'resil.policy': this.id });
    if (this.env.events.has('fallback'))
      this.env.events.emit('fallback', { policy: this.id, method: this.methods[0]!, error });
    const { method } = this.options;
    if (method === undefined) {
      this.counters.fallbacks++;
      return this.options.value;
    }
    // The call's outcome is the fallback method's: an answer counts as a fallback, a throw as a failure.
    const target = (call.self as Record<string, (...args: unknown[]) => unknown>)[method]!;
    let answer: unknown;
    try {
      answer = target.call(call.self, ...call.args, error);
    } catch (fallbackError) {
      this.counters.failures++;
      throw fallbackError;
    }
    if (!isThenable(answer)) {
      this.counters.fallbacks++;
      return answer;
    }
    return Promise.resolve(answer).then(
      (value) => {
        this.counters.fallbacks++;
        return value;
      },
      (fallbackError: unknown) => {
        this.counters.failures++;
        throw fallbackError;
      },
    );
  }
}
