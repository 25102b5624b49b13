import type { ConfigIssue } from '../errors.js';
import { POLICY_ORDER, type PolicyKind } from '../policies/kinds.js';
import { isTunable, OPTION_SPECS, type OptionSpec } from './defaults.js';
import { didYouMean } from './did-you-mean.js';

/** The prefix of a per-method override: `RESIL__<Class>__<method>__<kind>__<option>` or `RESIL__<Class>__<method>__enabled`. */
export const ENV_PREFIX = 'RESIL__';

/** What the environment configures, as a configuration document, and which variable set each key path. */
export interface EnvOverrides {
  /** `RESIL_ENABLED`, when set. */
  enabled: boolean | undefined;
  /** `{ policies: { id: { enabled?, kind: { option: value } } } }`. */
  policies: Record<string, Record<string, unknown>>;
  /** The variable behind each key path (`policies.Shop.flaky.retry.maxAttempts` → its name). */
  variables: Map<string, string>;
  issues: ConfigIssue[];
}

const BOOLEAN = /^(true|false)$/i;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses an environment value by the type its option has; a string that does not fit is a problem. */
function parseValue(spec: OptionSpec | { type: 'boolean' }, text: string): { value: unknown } | { problem: string } {
  const trimmed = text.trim();
  switch (spec.type) {
    case 'boolean':
      return BOOLEAN.test(trimmed) ? { value: trimmed.toLowerCase() === 'true' } : { problem: `must be true or false, got ${JSON.stringify(text)}` };
    case 'integer':
    case 'number':
      return NUMBER.test(trimmed) ? { value: Number(trimmed) } : { problem: `must be a number, got ${JSON.stringify(text)}` };
    default:
      return { value: trimmed };
  }
}

const isKind = (key: string): key is PolicyKind => (POLICY_ORDER as readonly string[]).includes(key);

/**
 * Reads resil's variables from an environment: `RESIL_ENABLED`, and every `RESIL__…` override.
 * Values are parsed by the type of the option they set (`"5"` is 5, `"true"` is true); a value that
 * does not parse, a kind or option that does not exist, or a name that cannot be split into a
 * method id and an option, is an issue naming the variable. Ranges are checked later, with the rest
 * of the configuration, against the schema.
 */
export function readEnvOverrides(env: NodeJS.ProcessEnv): EnvOverrides {
  const out: EnvOverrides = { enabled: undefined, policies: Object.create(null) as Record<string, Record<string, unknown>>, variables: new Map(), issues: [] };
  const issue = (name: string, message: string) => out.issues.push({ key: name, message: `environment variable ${name}: ${message}` });
  const globalSwitch = env['RESIL_ENABLED'];
  if (globalSwitch !== undefined) {
    const parsed = parseValue({ type: 'boolean' }, globalSwitch);
    if ('problem' in parsed) issue('RESIL_ENABLED', parsed.problem);
    else out.enabled = parsed.value as boolean;
  }
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith(ENV_PREFIX)) continue;
    const text = env[name]!;
    const parts = name.slice(ENV_PREFIX.length).split('__');
    const set = (id: string, path: string[], value: unknown) => {
      const method = (out.policies[id] ??= Object.create(null) as Record<string, unknown>);
      if (path.length === 1) method[path[0]!] = value;
      else ((method[path[0]!] ??= Object.create(null) as Record<string, unknown>) as Record<string, unknown>)[path[1]!] = value;
      out.variables.set(['policies', id, ...path].join('.'), name);
    };
    if (parts.length >= 3 && parts.at(-1) === 'enabled' && !isKind(parts.at(-2)!)) {
      const parsed = parseValue({ type: 'boolean' }, text);
      if ('problem' in parsed) issue(name, parsed.problem);
      else set(parts.slice(0, -1).join('.'), ['enabled'], parsed.value);
      continue;
    }
    if (parts.length < 4 || parts.some((p) => p === '')) {
      issue(name, `expected ${ENV_PREFIX}<Class>__<method>__<kind>__<option> or ${ENV_PREFIX}<Class>__<method>__enabled`);
      continue;
    }
    const kind = parts.at(-2)!;
    const option = parts.at(-1)!;
    if (!isKind(kind)) {
      const guess = didYouMean(kind, POLICY_ORDER);
      issue(name, `unknown policy kind '${kind}'${guess ? ` (did you mean '${guess}'?)` : ''}; kinds: ${POLICY_ORDER.join(', ')}`);
      continue;
    }
    const spec = OPTION_SPECS[kind][option];
    if (!spec || !isTunable(spec)) {
      const tunable = Object.entries(OPTION_SPECS[kind]).filter(([, s]) => isTunable(s)).map(([k]) => k);
      const guess = spec ? undefined : didYouMean(option, tunable);
      issue(
        name,
        spec
          ? `option '${option}' can only be given in code, not from configuration`
          : `unknown option '${option}' of ${kind}${guess ? ` (did you mean '${guess}'?)` : ''}; options: ${tunable.join(', ')}`,
      );
      continue;
    }
    const parsed = parseValue(spec, text);
    if ('problem' in parsed) issue(name, parsed.problem);
    else set(parts.slice(0, -2).join('.'), [kind, option], parsed.value);
  }
  return out;
}
