import type { ResolvedValidatedOptions } from '../config/validate-options.js';
import { ValidationError, type ValidationIssue } from '../errors.js';
import { runtime, type Runtime } from '../runtime.js';
import { newStats, type Call, type MethodInfo, type Next, type Policy, type PolicyStats } from './policy.js';

/** What `state()` of `@Validated` returns in runtime mode. */
export interface ValidatedState {
  mode: 'runtime';
  /** What each parameter is checked against, `unchecked` where nothing is known. */
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

/** How a received value is described in an issue. */
export function describeReceived(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : 'Date';
  if (typeof value === 'object') {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
    return name && name !== 'Object' ? name : 'object';
  }
  if (typeof value === 'string') return value.length > 40 ? `string "${value.slice(0, 37)}..."` : `string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  return typeof value;
}

/**
 * `@Validated` in runtime mode. Without `resil gen` the only type information at run time is what
 * `reflect-metadata`'s `design:paramtypes` records under legacy decorators with
 * `emitDecoratorMetadata`: primitive constructors and classes. Those are checked (`undefined` is let
 * through, as optionality is not recorded); interfaces, unions and generics are not. The policy
 * says so once, through a `notice` event (see {@link ValidatedPolicy.notice}), in both modes until
 * `resil gen` generates validators from the declared types.
 */
export class ValidatedPolicy implements Policy<ValidatedState, PolicyStats> {
  readonly kind = 'validated' as const;
  readonly methods: string[];
  private readonly counters = newStats();
  private readonly checks: ArgCheck[];
  private readonly names: string[];
  /** What runtime mode can and cannot check for this method; the composer reports it once. */
  readonly notice: string;

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
      ? `@Validated on ${method.id} checks only what design:paramtypes gives: primitive and class parameter types; validators generated from the declared types are not in this version`
      : `@Validated on ${method.id} has no design:paramtypes (legacy decorators with emitDecoratorMetadata and reflect-metadata provide them): arguments are not checked; validators generated from the declared types are not in this version`;
  }

  state(): ValidatedState {
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
    let issues: ValidationIssue[] | undefined;
    for (let i = 0; i < this.checks.length; i++) {
      const check = this.checks[i];
      const value = call.args[i];
      if (check === undefined || value === undefined || check.test(value)) continue;
      (issues ??= []).push({ path: this.names[i]!, expected: check.expected, received: describeReceived(value) });
    }
    if (issues) {
      this.counters.rejections++;
      throw new ValidationError(this.id, issues);
    }
    this.counters.successes++;
    return next(call);
  }
}
