import { OPTION_SPECS, type NumberSpec } from '../../src/config/defaults.js';
import { resolveOptions } from '../../src/config/validate-options.js';
import { didYouMean } from '../../src/config/did-you-mean.js';
import { ConfigError } from '../../src/errors.js';
import { DECORATOR_NAME, type PolicyKind } from '../../src/policies/kinds.js';
import { DIAGNOSTIC_CODES } from '../diagnostics.js';
import type { PlanValue } from '../plan.js';
import type { DecoratorSite, Report } from './context.js';
import { isExpression, isLiteral, readValue } from './read-options.js';

/**
 * An extra, unknown option that makes `resolveOptions` stop before its cross-option rules
 * (`baseDelayMs <= maxDelayMs`, one of `method` or `value`): those need every option, and a probe
 * holds only the literal ones. They are checked below with what the source says.
 */
const PROBE_SENTINEL = '\u0000probe';

/** Verdicts of {@link literalProblems} by kind and literal values, for one analysis run. */
export type ProbeCache = Map<string, Map<string, string>>;

function describe(value: PlanValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** Stands for the method id in cached messages. */
const WHERE = '\u0000where';

/**
 * The runtime's own verdict on literal option values, message for message: each value is checked
 * by `resolveOptions` against OPTION_SPECS, exactly as at class definition. Verdicts are cached by
 * kind and values, since most projects repeat a few option sets: a probe always throws, and a
 * thrown `ConfigError` costs far more than a lookup.
 */
function literalProblems(kind: PolicyKind, literals: Record<string, PlanValue>, where: string, cache: ProbeCache): Map<string, string> {
  const cacheKey = `${kind}\u0000${JSON.stringify(literals)}`;
  let problems = cache.get(cacheKey);
  if (!problems) {
    problems = new Map();
    try {
      resolveOptions(kind, { ...literals, [PROBE_SENTINEL]: true } as never, WHERE);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const prefix = `${WHERE}.${kind}.`;
      for (const issue of error.issues) {
        const key = issue.key.slice(prefix.length);
        if (issue.key.startsWith(prefix) && Object.hasOwn(literals, key)) problems.set(key, issue.message);
      }
    }
    cache.set(cacheKey, problems);
  }
  return new Map([...problems].map(([key, message]) => [key, message.replace(WHERE, where)]));
}

/** A numeric option's value when the source says it: a literal, or the default when it is not written. */
function knownNumber(kind: PolicyKind, options: Record<string, PlanValue>, key: string): number | undefined {
  if (!Object.hasOwn(options, key)) return (OPTION_SPECS[kind][key] as NumberSpec | undefined)?.default;
  const value = options[key];
  return typeof value === 'number' ? value : undefined;
}

/** The cross-option rules of `resolveOptions`, on what is known without running code. */
function checkCrossRules(site: DecoratorSite, options: Record<string, PlanValue>, prefix: string, report: Report): void {
  const { kind, found, read } = site;
  if (kind === 'retry') {
    const base = knownNumber(kind, options, 'baseDelayMs');
    const max = knownNumber(kind, options, 'maxDelayMs');
    const written = read.sites.get('baseDelayMs') ?? read.sites.get('maxDelayMs');
    if (base !== undefined && max !== undefined && base > max && written) {
      report(written.value, DIAGNOSTIC_CODES.INVALID_OPTION, `${prefix}: baseDelayMs must be <= maxDelayMs (${max}), got ${base}`);
    }
  } else if (kind === 'fallback') {
    const hasMethod = Object.hasOwn(options, 'method');
    const hasValue = Object.hasOwn(options, 'value');
    if (hasMethod === hasValue) {
      const code = hasMethod ? DIAGNOSTIC_CODES.INVALID_OPTION : DIAGNOSTIC_CODES.MISSING_OPTION;
      report(found.node, code, `${prefix}: give exactly one of method or value`);
    }
  }
}

/**
 * RSL1001–RSL1003 for one decorator: unknown options (with a did-you-mean), literal values of the
 * wrong type or out of range, required options missing, options that are not an object. Options
 * given as expressions are checked at class definition, not here.
 */
export function checkOptions(site: DecoratorSite, methodId: string, report: Report, cache: ProbeCache): void {
  const { kind, found, read } = site;
  const prefix = `${DECORATOR_NAME[kind]} on ${methodId}`;
  if (read.opaque) {
    const literal = readValue(read.opaque);
    if (!isExpression(literal) && (literal === null || typeof literal !== 'object' || Array.isArray(literal))) {
      report(read.opaque, DIAGNOSTIC_CODES.INVALID_OPTION, `${prefix}: options must be an object, got ${describe(literal)}`);
    }
    return;
  }
  const options = read.options ?? {};
  const specs = OPTION_SPECS[kind];
  const literals: Record<string, PlanValue> = {};
  for (const [key, value] of Object.entries(options)) {
    if (!Object.hasOwn(specs, key)) {
      const guess = didYouMean(key, Object.keys(specs));
      const hint = guess ? ` (did you mean '${guess}'?)` : '';
      const message = `${prefix}: unknown option '${key}'${hint}; known options: ${Object.keys(specs).join(', ')}`;
      report(read.sites.get(key)?.key ?? found.node, DIAGNOSTIC_CODES.UNKNOWN_OPTION, message);
    } else if (isLiteral(value)) {
      literals[key] = value;
    }
  }
  const problems = literalProblems(kind, literals, methodId, cache);
  for (const [key, message] of problems) {
    report(read.sites.get(key)?.value ?? found.node, DIAGNOSTIC_CODES.INVALID_OPTION, message);
  }
  for (const [key, spec] of Object.entries(specs)) {
    if (spec.required && !Object.hasOwn(options, key)) {
      report(found.node, DIAGNOSTIC_CODES.MISSING_OPTION, `${prefix}: ${key} is required`);
    }
  }
  if (problems.size === 0) checkCrossRules(site, options, prefix, report);
}
