import { ts } from 'ts-morph';
import { DECORATOR_NAME, type PolicyKind } from '../../src/policies/kinds.js';
import { DIAGNOSTIC_CODES } from '../diagnostics.js';
import { checkFallback } from './check-fallback.js';
import { checkOptions } from './check-options.js';
import type { CheckContext, DecoratorSite, MethodSite } from './context.js';
import { skipOuter } from './read-options.js';

/** Whether a decorator's policy must wait, so needs a method that returns a promise (SPEC §1). */
function waits(site: DecoratorSite): boolean {
  const always: readonly PolicyKind[] = ['retry', 'timeout', 'bulkhead', 'deadLetter'];
  return always.includes(site.kind) || (site.kind === 'rateLimit' && site.plan.options?.onLimit === 'wait');
}

/** RSL1004: waiting policies on a method that does not return a promise. */
function checkWaiting(method: MethodSite, { report }: CheckContext): void {
  if (method.plan.async) return;
  const waiting = method.decorators.filter(waits);
  if (waiting.length === 0) return;
  const { id } = method.plan;
  const names = waiting.map((s) => DECORATOR_NAME[s.kind]).join(', ');
  report(
    waiting[0]!.found.node,
    DIAGNOSTIC_CODES.WAITING_ON_SYNC,
    `${names} on ${id} must wait, so ${id} must return a promise; it returns ${method.plan.returnType}`,
  );
}

/** RSL1005: a literal `key` whose first segment is not a parameter. */
function checkKey(method: MethodSite, site: DecoratorSite, { report }: CheckContext): void {
  const key = site.plan.options?.key;
  if (typeof key !== 'string' || key === '') return;
  const names = method.plan.parameters.map((p) => p.name).filter((n) => n !== '');
  if (names.includes(key.split('.')[0]!)) return;
  report(
    site.read.sites.get('key')?.value ?? site.found.node,
    DIAGNOSTIC_CODES.UNKNOWN_KEY_PARAMETER,
    `${DECORATOR_NAME[site.kind]} on ${method.plan.id}: key '${key}' names no parameter; parameters are ${names.join(', ') || 'none'}`,
  );
}

/** RSL1007: `@Cached` on a method whose (awaited) result is `void` or `undefined`. */
function checkCachedResult(method: MethodSite, site: DecoratorSite, { checker, report }: CheckContext): void {
  const result = method.plan.async ? (checker.getAwaitedType(method.returnType) ?? method.returnType) : method.returnType;
  const parts = result.isUnion() ? result.types : [result];
  if (!parts.every((t) => t.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined))) return;
  report(
    site.found.node,
    DIAGNOSTIC_CODES.CACHED_VOID,
    `@Cached on ${method.plan.id}: it returns ${method.plan.returnType}, so there is nothing to cache`,
  );
}

/** RSL1011 (warning): a deadline that can only abandon the work, not cancel it. */
function checkTimeoutSignal(method: MethodSite, site: DecoratorSite, { report }: CheckContext): void {
  if (method.plan.signalIndex >= 0) return;
  report(
    site.found.node,
    DIAGNOSTIC_CODES.TIMEOUT_WITHOUT_SIGNAL,
    `@Timeout on ${method.plan.id}: the method takes no AbortSignal, so a call that times out is abandoned, not cancelled; ` +
      'add a `signal?: AbortSignal` parameter and pass it on',
    'warning',
  );
}

/** The classes a literal error filter names: one class, or the elements of an array. */
function filterElements(value: ts.Expression): ts.Expression[] {
  const e = skipOuter(value);
  if (ts.isArrayLiteralExpression(e)) return e.elements.filter((el) => !ts.isSpreadElement(el)).map(skipOuter);
  return ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) ? [e] : [];
}

/** RSL1012 (warning): `retryOn` names BrokenCircuitError, or a class it extends, around a breaker. */
function checkRetryOnBreaker(method: MethodSite, site: DecoratorSite, { program, resolver, report }: CheckContext): void {
  if (!method.decorators.some((s) => s.kind === 'circuitBreaker')) return;
  const written = site.read.sites.get('retryOn');
  if (!written) return;
  for (const element of filterElements(written.value)) {
    const name = ts.isPropertyAccessExpression(element) ? element.name : element;
    const symbol = resolver.resolve(name);
    const declaredInLib = symbol?.declarations?.some((d) => program.isSourceFileDefaultLibrary(d.getSourceFile())) ?? false;
    const named = resolver.isExport(name, 'BrokenCircuitError')
      ? 'BrokenCircuitError'
      : resolver.isExport(name, 'ResilError') || (symbol?.name === 'Error' && declaredInLib)
        ? `${symbol!.name}, which BrokenCircuitError extends`
        : undefined;
    if (named === undefined) continue;
    report(
      element,
      DIAGNOSTIC_CODES.RETRY_AROUND_BREAKER,
      `@Retry on ${method.plan.id}: retryOn names ${named}, so calls refused by the open @CircuitBreaker are retried, ` +
        'each one refused again at once',
      'warning',
    );
  }
}

/** RSL1013 (warning): a deadline shorter than the first retry delay, both written as literals. */
function checkTimeoutBelowDelay(method: MethodSite, timeout: DecoratorSite, { report }: CheckContext): void {
  const retry = method.decorators.find((s) => s.kind === 'retry');
  const ms = timeout.plan.options?.ms;
  const base = retry?.plan.options?.baseDelayMs;
  if (typeof ms !== 'number' || typeof base !== 'number' || ms >= base) return;
  report(
    timeout.read.sites.get('ms')?.value ?? timeout.found.node,
    DIAGNOSTIC_CODES.TIMEOUT_BELOW_DELAY,
    `@Timeout on ${method.plan.id}: ms (${ms}) is shorter than @Retry's first delay, baseDelayMs (${base}); ` +
      'each attempt may run for less time than the wait before the next one (check the units)',
    'warning',
  );
}

/** Runs every check of one method (SPEC §12), reporting each problem; none stops the others. */
export function checkMethod(method: MethodSite, ctx: CheckContext): void {
  for (const site of method.decorators) {
    checkOptions(site, method.plan.id, ctx.report, ctx.probes);
    if (site.kind === 'timeout') checkTimeoutSignal(method, site, ctx);
    if (site.read.opaque) continue;
    switch (site.kind) {
      case 'cache':
        checkKey(method, site, ctx);
        checkCachedResult(method, site, ctx);
        break;
      case 'rateLimit':
        checkKey(method, site, ctx);
        break;
      case 'fallback':
        checkFallback(method, site, ctx);
        break;
      case 'retry':
        checkRetryOnBreaker(method, site, ctx);
        break;
      case 'timeout':
        checkTimeoutBelowDelay(method, site, ctx);
        break;
      default:
        break;
    }
  }
  checkWaiting(method, ctx);
}
