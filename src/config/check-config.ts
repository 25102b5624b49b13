import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { ConfigIssue } from '../errors.js';
import { DECORATOR_NAME, POLICY_ORDER, type PolicyKind } from '../policies/kinds.js';
import { configSchema, type SchemaMethod } from './config-schema.js';
import { isTunable, OPTION_SPECS } from './defaults.js';
import { didYouMean } from './did-you-mean.js';
import { checkValue, describe } from './validate-options.js';

/** Names where a value at a key path was written: `resil.config.json:5:18`, or an environment variable. */
export type Locator = (path: readonly string[]) => string;

type AjvClass = new (options: object) => { compile(schema: object): ValidateFunction };

let Ajv: AjvClass | undefined;
const validators = new Map<string, ValidateFunction>();

/** Ajv, loaded the first time a configuration is checked (a process without one never loads it). */
function validatorFor(methods: readonly SchemaMethod[] | undefined): ValidateFunction {
  const cacheKey = methods ? JSON.stringify(methods.map((m) => [m.id, [...m.kinds].sort()]).sort()) : '';
  let validate = validators.get(cacheKey);
  if (!validate) {
    Ajv ??= (createRequire(import.meta.url)('ajv/dist/2020.js') as { Ajv2020: AjvClass }).Ajv2020;
    validate = new Ajv({ allErrors: true, strict: true }).compile(configSchema(methods));
    validators.set(cacheKey, validate);
  }
  return validate;
}

const isKind = (key: string): key is PolicyKind => (POLICY_ORDER as readonly string[]).includes(key);
const unknown = (what: string, key: string, known: readonly string[]): string => {
  const guess = didYouMean(key, known);
  return `unknown ${what} '${key}'${guess ? ` (did you mean '${guess}'?)` : ''}`;
};

/** The message for a key the schema does not allow, from where it is written. */
function unknownKey(parent: readonly string[], key: string, methods: readonly SchemaMethod[] | undefined): string {
  const [section, id, kind] = parent;
  if (parent.length === 0) return unknown('key', key, ['$schema', 'enabled', 'defaults', 'policies']);
  if (section === 'defaults' && parent.length === 1) return unknown('policy kind', key, POLICY_ORDER);
  if (section === 'policies' && parent.length === 1) {
    const ids = methods?.map((m) => m.id) ?? [];
    return `${unknown('method id', key, ids)}; no decorated method has this id`;
  }
  if (section === 'policies' && parent.length === 2) {
    const kinds = methods?.find((m) => m.id === id)?.kinds ?? POLICY_ORDER;
    if (isKind(key)) return `${id} has no ${DECORATOR_NAME[key]}; configure only the policies the method has (${kinds.join(', ')})`;
    return unknown('key', key, ['enabled', ...kinds]);
  }
  const optionKind = (section === 'defaults' ? id : kind) as PolicyKind;
  const specs = OPTION_SPECS[optionKind] ?? {};
  const spec = specs[key];
  if (spec && !isTunable(spec)) return `option '${key}' can only be given in code, not from configuration`;
  const tunable = Object.entries(specs).filter(([, s]) => isTunable(s)).map(([k]) => k);
  return `${unknown(`${DECORATOR_NAME[optionKind]} option`, key, tunable)}; options: ${tunable.join(', ')}`;
}

/** The value at a path of the document. */
function valueAt(doc: unknown, path: readonly string[]): unknown {
  let value = doc;
  for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
  return value;
}

/** The option spec a path names (`defaults.kind.option` or `policies.id.kind.option`), if any. */
function optionAt(path: readonly string[]) {
  const [section] = path;
  const kind = section === 'defaults' && path.length === 3 ? path[1] : section === 'policies' && path.length === 4 ? path[2] : undefined;
  if (kind === undefined || !isKind(kind)) return undefined;
  return OPTION_SPECS[kind][path[path.length - 1]!];
}

/** One Ajv error in resil's words, with the key path it is about. */
function translate(doc: unknown, error: ErrorObject, methods: readonly SchemaMethod[] | undefined): { path: string[]; problem: string } {
  const parent = error.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'additionalProperties') {
    const key = (error.params as { additionalProperty: string }).additionalProperty;
    const at = parent.length > 0 ? ` in ${parent.join('.')}` : '';
    return { path: [...parent, key], problem: unknownKey(parent, key, methods).replace(/^(unknown [^']*'[^']*')/, `$1${at}`) };
  }
  const value = valueAt(doc, parent);
  const spec = optionAt(parent);
  const problem = spec ? checkValue(spec, value) : undefined;
  const name = parent.length > 0 ? parent.join('.') : 'the configuration';
  if (problem) return { path: parent, problem: `${name} ${problem}` };
  if (error.keyword === 'type') {
    const type = (error.params as { type: string }).type;
    const article = type === 'object' || type === 'array' || type === 'integer' ? 'an' : 'a';
    return { path: parent, problem: `${name} must be ${type === 'boolean' ? 'true or false' : `${article} ${type}`}, got ${describe(value)}` };
  }
  return { path: parent, problem: `${name} ${error.message ?? 'is not valid'}, got ${describe(value)}` };
}

/**
 * Checks a configuration document against the configuration schema with Ajv and says every
 * problem in one list: unknown keys, ids and options with a did-you-mean, wrong types and values
 * out of range in the words decorator options are checked with, each naming its key path and
 * where it was written.
 *
 * @param methods the project's methods when known (compiled mode): other method ids are errors
 */
export function checkConfig(doc: unknown, where: Locator, methods?: readonly SchemaMethod[]): ConfigIssue[] {
  const validate = validatorFor(methods);
  if (validate(doc)) return [];
  const found: { issue: ConfigIssue; line: number; column: number }[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    const { path, problem } = translate(doc, error, methods);
    const key = path.join('.');
    // One problem per key path: Ajv may report a value against several keywords.
    if (seen.has(key)) continue;
    seen.add(key);
    const origin = where(path);
    const [, line = '0', column = '0'] = /:(\d+):(\d+)$/.exec(origin) ?? [];
    found.push({ issue: { key, message: `${origin}: ${problem}` }, line: Number(line), column: Number(column) });
  }
  // In the order they are written in the file.
  found.sort((a, b) => a.line - b.line || a.column - b.column);
  return found.map((f) => f.issue);
}
