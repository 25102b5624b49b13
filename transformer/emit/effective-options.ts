import { OPTION_SPECS, WINDOW_SIZE_DEFAULTS } from '../../src/config/defaults.js';
import type { PolicyKind } from '../../src/policies/kinds.js';
import type { DecoratorPlan, PlanValue } from '../plan.js';

/**
 * A decorator's effective options as the manifest shows them: every default of its kind (SPEC §1),
 * overridden by what the decorator gives; non-literal options stay `{ $expr }`.
 */
export function effectiveOptions(decorator: DecoratorPlan): Record<string, PlanValue> {
  const given = decorator.options ?? {};
  const effective: Record<string, PlanValue> = {};
  for (const [key, spec] of Object.entries(OPTION_SPECS[decorator.kind as PolicyKind])) {
    if ('default' in spec && spec.default !== undefined) effective[key] = spec.default;
  }
  if (decorator.kind === 'circuitBreaker') {
    const strategy = typeof given['strategy'] === 'string' ? given['strategy'] : effective['strategy'];
    if (strategy === 'count-window' || strategy === 'time-window') effective['windowSize'] = WINDOW_SIZE_DEFAULTS[strategy];
  }
  for (const key of Object.keys(given).sort()) effective[key] = given[key]!;
  return sortKeys(effective);
}

/** The same object with its keys sorted, for deterministic output. */
export function sortKeys<T extends PlanValue>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => sortKeys(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, PlanValue> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, PlanValue>)[key]!);
  return sorted as T;
}
