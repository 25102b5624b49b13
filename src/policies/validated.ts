import type { ResolvedValidatedOptions } from '../config/validate-options.js';
import { ValidationError, type ValidationIssue } from '../errors.js';
import type { GeneratedValidators } from '../generated.js';
import { runtime, type Runtime } from '../runtime.js';
import { describeReceived } from '../validation/describe.js';
import { isThenable, newStats, type Call, type MethodInfo, type Next, type Policy, type PolicyStats } from './policy.js';

export { describeReceived } from '../validation/describe.js';

/** What `state()` of `@Validated` returns. */
export interface ValidatedState {
  /** `compiled`: validators generated from the declared types by `resil gen`; `runtime`: what `design:paramtypes` gives. */
  mode: 'runtime' | 'compiled';
  /** What each parameter is checked against: `declared type` in compiled mode, `unchecked` where runtime mode knows nothing. */
  parameters: { name: string; check: string }[];
}

/** A check of one argument: the expected type's name, or undefined when it passes. */
type ArgCheck = { readonly expected: string; readonly test: (value: unknown) => boolean } | undefined;

/** What `design:paramtypes` can say, turned into a check. Interfaces and unions arrive as `Object`. */
function checkFor(type: unknown): ArgCheck {
  switch (type) {
    case undefined:
    case Object:
    case Function:
    case Promise:
      return undefined;
    case String:
      return { expected: 'string', test: (v) => typeof v === 'string' };
    case Number:
      return { expected: 'number', test: (v) => typeof v === 'number' };
    case Boolean:
      return { expected: 'boolean', test: (v) => typeof v === 'boolean' };
    case BigInt:
      return { expected: 'bigint', test: (v) => typeof v === 'bigint' };
    case Symbol:
      return { expected: 'symbol', test: (v) => typeof v === 'symbol' };
    case Array:
      return { expected: 'array', test: (v) => Array.isArray(v) };
    case Date:
      return { expected: 'Date', test: (v) => v instanceof Date && !Number.isNaN(v.getTime()) };
    default:
      if (typeof type !== 'function') return undefined;
      return { expected: (type as { name: string }).name || 'class instance', test: (v) => v instanceof (type as new () => unknown) };
  }
}

/**
 * `@Validated`. In compiled mode it runs the validators `resil gen` generated from the declared
 * types (see {@link ValidatedPolicy.useGenerated}): every argument, and with `returns: true` the
 * resolved result. In runtime mode the only type information is what `reflect-metadata`'s
 * `design:paramtypes` records under legacy decorators with `emitDecoratorMetadata`: primitive
 * constructors and classes. Those are checked (`undefined` is let through, as optionality is not
 * recorded); interfaces, unions and generics are not, and the policy says so once, through a
 * `notice` event (see {@link ValidatedPolicy.notice}).
 */
export class ValidatedPolicy implements Policy<ValidatedState, PolicyStats> {
  readonly kind = 'validated' as const;
  readonly methods: string[];
  private readonly counters = newStats();
  private readonly checks: ArgCheck[];
  private readonly names: string[];
  /** What runtime mode can and cannot check for this method; reported once unless generated validators run. */
  readonly notice: string;
  private generated: GeneratedValidators | undefined;

  constructor(
    readonly id: string,
    method: MethodInfo,
    readonly options: ResolvedValidatedOptions,
    _env: Runtime = runtime,
    paramTypes?: readonly unknown[],
  ) {
    this.methods = [method.id];
    const count = Math.max(paramTypes?.length ?? 0, method.paramNames.length);
    this.names = Array.from({ length: count }, (_, i) => method.paramNames[i] || `arg${i}`);
    this.checks = Array.from({ length: count }, (_, i) => checkFor(paramTypes?.[i]));
    this.notice = paramTypes
      ? `@Validated on ${method.id} runs in runtime mode and checks only what design:paramtypes gives: primitive and class parameter types; full checking of the declared types needs resil gen`
      : `@Validated on ${method.id} runs in runtime mode without design:paramtypes (legacy decorators with emitDecoratorMetadata and reflect-metadata provide them): arguments are not checked; full checking of the declared types needs resil gen`;
  }

  /**
   * Runs the validators generated for this method from now on, when they fit its options (the
   * same `strict`, and a result validator where `returns` is true). Returns whether they do; when
   * they do not, runtime mode's checks stay (and its notice applies).
   */
  useGenerated(validators: GeneratedValidators): boolean {
    const fits = validators.strict === this.options.strict && (!this.options.returns || validators.result !== undefined);
    if (fits) this.generated = validators;
    return fits;
  }

  /** Whether generated validators run (compiled mode). */
  get compiled(): boolean {
    return this.generated !== undefined;
  }

  state(): ValidatedState {
    if (this.generated) return { mode: 'compiled', parameters: this.names.map((name) => ({ name, check: 'declared type' })) };
    return {
      mode: 'runtime',
      parameters: this.names.map((name, i) => ({ name, check: this.checks[i]?.expected ?? 'unchecked' })),
    };
  }

  stats(): PolicyStats {
    return { ...this.counters };
  }

  execute(call: Call, next: Next): unknown {
    this.counters.calls++;
    const { generated } = this;
    const issues = generated ? generated.args(call.args) : this.runtimeIssues(call.args);
    if (issues) {
      this.counters.rejections++;
      throw new ValidationError(this.id, issues);
    }
    this.counters.successes++;
    const check = this.options.returns ? generated?.result : undefined;
    if (check === undefined) return next(call);
    const result = next(call);
    return isThenable(result) ? Promise.resolve(result).then((value) => this.checkResult(check, value)) : this.checkResult(check, result);
  }

  /** The resolved result, or a {@link ValidationError} when it does not pass (`returns: true`). */
  private checkResult(check: (value: unknown) => ValidationIssue[] | undefined, value: unknown): unknown {
    const issues = check(value);
    if (issues) throw new ValidationError(this.id, issues);
    return value;
  }

  /** What runtime mode finds wrong with the arguments, or undefined. */
  private runtimeIssues(args: readonly unknown[]): ValidationIssue[] | undefined {
    let issues: ValidationIssue[] | undefined;
    for (let i = 0; i < this.checks.length; i++) {
      const check = this.checks[i];
      const value = args[i];
      if (check === undefined || value === undefined || check.test(value)) continue;
      (issues ??= []).push({ path: this.names[i]!, expected: check.expected, received: describeReceived(value) });
    }
    return issues;
  }
}
