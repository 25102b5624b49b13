import type { ts } from 'ts-morph';
import type { DiagnosticCode } from '../diagnostics.js';
import type { PolicyKind } from '../../src/policies/kinds.js';
import type { DecoratorPlan, DiagnosticSeverity, MethodPlan } from '../plan.js';
import type { ProbeCache } from './check-options.js';
import type { FoundDecorator, ResilResolver } from './find-decorators.js';
import type { ReadOptions } from './read-options.js';

/** Reports a diagnostic at a node; analysis goes on. */
export type Report = (node: ts.Node, code: DiagnosticCode, message: string, severity?: DiagnosticSeverity) => void;

/** What the checks of a method need besides the method itself. */
export interface CheckContext {
  program: ts.Program;
  checker: ts.TypeChecker;
  resolver: ResilResolver;
  report: Report;
  /** Verdicts on literal option sets, shared by the run. */
  probes: ProbeCache;
}

/** One resil method decorator as analysed: its plan, and the nodes diagnostics point at. */
export interface DecoratorSite {
  kind: PolicyKind;
  found: FoundDecorator;
  read: ReadOptions;
  plan: DecoratorPlan;
}

/** One decorated method as analysed: its plan, plus the nodes and types the checks need. */
export interface MethodSite {
  plan: MethodPlan;
  node: ts.MethodDeclaration;
  classNode: ts.ClassLikeDeclaration;
  /** Its resil decorators, one per kind, in written order. */
  decorators: DecoratorSite[];
  parameterTypes: ts.Type[];
  returnType: ts.Type;
}
