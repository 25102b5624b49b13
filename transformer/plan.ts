import type { PolicyKind } from '../src/policies/kinds.js';

/**
 * What analysis hands to emission: plain, JSON-able data about every decorated method. Emitters
 * are pure functions of it and never query the type checker (STYLE.md practice 12).
 */

/** A decorator option as written: a literal, or the source text of any other expression. */
export type PlanValue = null | boolean | number | string | PlanValue[] | { [key: string]: PlanValue } | PlanExpression;

/** An option whose value is not a literal: evaluated once at class definition, never a constant. */
export interface PlanExpression {
  $expr: string;
}

/** One resil decorator on a method. */
export interface DecoratorPlan {
  kind: PolicyKind;
  /** The options object as written (the `ms` form of `@Timeout(ms)` and the string form of `@Fallback(name)` normalised to objects); undefined when none were given. */
  options: Record<string, PlanValue> | undefined;
  /** The decorator's name as imported where it was used (`Retry`, or an alias). */
  importedAs: string;
  /** Where it is written, 1-based. */
  line: number;
  column: number;
}

/** One parameter of a decorated method. */
export interface ParameterPlan {
  /** Its name, or '' for a destructured parameter. */
  name: string;
  /** Its declared type as the checker prints it. */
  type: string;
  optional: boolean;
  rest: boolean;
  /** True when its type is `AbortSignal` (or `AbortSignal | undefined`). */
  isAbortSignal: boolean;
}

/** One decorated method. */
export interface MethodPlan {
  /** `Class.method`, with the class named by `@Resilient({ name })` where given. */
  id: string;
  className: string;
  methodName: string;
  /** Source file, relative to the project root, with forward slashes. */
  file: string;
  /** Where the method's name is, 1-based. */
  line: number;
  column: number;
  isStatic: boolean;
  /** True when the method returns a `Promise` or another `PromiseLike`. */
  async: boolean;
  parameters: ParameterPlan[];
  /** Index of the `AbortSignal` parameter, or -1. */
  signalIndex: number;
  /** The declared (or inferred) return type as the checker prints it. */
  returnType: string;
  /** The resil decorators on the method, in SPEC §2's order (outermost first). */
  decorators: DecoratorPlan[];
}

/** Severity of a diagnostic. */
export type DiagnosticSeverity = 'error' | 'warning';

/** A user mistake found by analysis: coded, located, and shown with the offending line and a caret. */
export interface Diagnostic {
  /** `RSL1xxx`. */
  code: string;
  severity: DiagnosticSeverity;
  message: string;
  /** Relative to the project root, forward slashes. */
  file: string;
  line: number;
  column: number;
  /** The source line the diagnostic points at. */
  sourceLine: string;
}

/** What analysing one project gives. */
export interface ProjectPlan {
  /** Every decorated method, sorted by id. */
  methods: MethodPlan[];
  /** Every problem found, sorted by file, line, column. */
  diagnostics: Diagnostic[];
  /** Source files analysed. */
  files: number;
  /**
   * Ids of the methods with at least one error diagnostic, sorted. They are still planned where
   * possible; a host may leave them out of the generated module. Always set by analysis.
   */
  methodsWithErrors?: string[];
}
