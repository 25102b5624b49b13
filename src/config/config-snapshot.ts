import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type ConfigIssue } from '../errors.js';
import type { PolicyKind } from '../policies/kinds.js';
import { checkConfig, type Locator } from './check-config.js';
import type { SchemaMethod } from './config-schema.js';
import { readEnvOverrides } from './env-overrides.js';
import { parseConfigText } from './parse-config-text.js';

/** A configuration document: the contents of `resil.config.json` (SPEC §7). */
export interface ConfigDocument {
  /** The schema, for editors: `"./resil.schema.json"`. */
  $schema?: string;
  /** `false` turns every policy off: calls pass straight through. Default true. */
  enabled?: boolean;
  /** Options for every policy of a kind, filling what the decorator leaves unset. */
  defaults?: { [kind in PolicyKind]?: Record<string, unknown> };
  /** Options by method id (`Class.method`), overriding the decorator; `enabled: false` switches one method off. */
  policies?: Record<string, { enabled?: boolean } & { [kind in PolicyKind]?: Record<string, unknown> }>;
}

/** Options by kind, as configuration gives them. */
export type KindOptions = Partial<Record<PolicyKind, Record<string, unknown>>>;

/** What configuration says about one method: file `policies` overlaid with the environment. */
export interface MethodOverrides {
  enabled?: boolean;
  kinds: KindOptions;
}

/**
 * One loaded configuration: the file (or object) and the environment, merged by SPEC §7's
 * precedence and checked. Immutable; a reload makes a new one.
 */
export interface ConfigSnapshot {
  /** `false` when `enabled` or `RESIL_ENABLED` turns every policy off. */
  readonly enabled: boolean;
  /** File `defaults`: fill what decorators leave unset. */
  readonly defaults: KindOptions;
  /** By method id: file `policies`, then the environment over them. */
  readonly methods: ReadonlyMap<string, MethodOverrides>;
  /** Where each key path was written (`resil.config.json:5:18`, `RESIL__Shop__flaky__retry__maxAttempts`). */
  readonly origins: ReadonlyMap<string, string>;
  /** The file read, absolute; undefined for an object or no file. */
  readonly file: string | undefined;
  /** The file's text, to tell a real change from a touch. */
  readonly text: string | undefined;
}

/** What a configuration is read from. */
export type ConfigSource =
  | { kind: 'file'; file: string; required: boolean }
  | { kind: 'object'; value: unknown };

/** The default source: `RESIL_CONFIG`, else `./resil.config.json` when it exists. */
export function defaultSource(env: NodeJS.ProcessEnv, cwd: string): ConfigSource {
  const named = env['RESIL_CONFIG'];
  if (named) return { kind: 'file', file: path.resolve(cwd, named), required: true };
  return { kind: 'file', file: path.resolve(cwd, 'resil.config.json'), required: false };
}

/** How messages name a file: relative to the working directory when inside it. */
const displayName = (file: string): string => {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
};

interface ReadDocument {
  doc: unknown;
  where: Locator;
  file: string | undefined;
  text: string | undefined;
}

/** Reads and parses the source; issues for an unreadable file or malformed JSON. */
function readDocument(source: ConfigSource): ReadDocument | ConfigIssue[] | undefined {
  if (source.kind === 'object') return { doc: source.value, where: () => 'configure({ config })', file: undefined, text: undefined };
  let text: string;
  try {
    text = readFileSync(source.file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !source.required) return undefined;
    return [{ key: '', message: `cannot read configuration file ${displayName(source.file)}: ${code ?? (error as Error).message}` }];
  }
  const name = displayName(source.file);
  const parsed = parseConfigText(text, name);
  if (Array.isArray(parsed)) return parsed;
  return { doc: parsed.value, where: (p) => `${name}:${parsed.locate(p)}`, file: source.file, text };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Copies `policies` of a checked document into `methods`, recording where each key came from. */
function addPolicies(
  methods: Map<string, MethodOverrides>,
  origins: Map<string, string>,
  policies: Record<string, Record<string, unknown>>,
  origin: (keyPath: string[]) => string,
): void {
  for (const [id, entry] of Object.entries(policies)) {
    const method = methods.get(id) ?? { kinds: {} };
    methods.set(id, method);
    for (const [key, value] of Object.entries(entry)) {
      if (key === 'enabled') {
        method.enabled = value as boolean;
        origins.set(`policies.${id}.enabled`, origin(['policies', id, 'enabled']));
        continue;
      }
      const kind = key as PolicyKind;
      const options = (method.kinds[kind] ??= {});
      for (const [option, v] of Object.entries(value as Record<string, unknown>)) {
        options[option] = v;
        origins.set(`policies.${id}.${kind}.${option}`, origin(['policies', id, kind, option]));
      }
    }
  }
}

/**
 * Loads a configuration: reads the source, reads the environment, checks both against the
 * configuration schema, and merges them. Throws one {@link ConfigError} listing every problem of
 * the file and of the environment together.
 *
 * @param methods the project's methods when a generated module says what they are: other ids are errors
 */
export function loadSnapshot(source: ConfigSource, env: NodeJS.ProcessEnv, methods?: readonly SchemaMethod[]): ConfigSnapshot {
  const issues: ConfigIssue[] = [];
  const read = readDocument(source);
  let document: ReadDocument | undefined;
  if (Array.isArray(read)) issues.push(...read);
  else if (read) {
    document = read;
    issues.push(...checkConfig(read.doc, read.where, methods));
  }
  const overrides = readEnvOverrides(env);
  issues.push(...overrides.issues);
  const envDoc = { policies: overrides.policies };
  issues.push(...checkConfig(envDoc, (p) => overrides.variables.get(p.join('.')) ?? 'environment', methods));
  if (issues.length > 0) throw new ConfigError(issues);

  const doc = (document?.doc ?? {}) as ConfigDocument;
  const methodsById = new Map<string, MethodOverrides>();
  const origins = new Map<string, string>();
  const defaults: KindOptions = {};
  for (const [kind, options] of Object.entries(doc.defaults ?? {})) {
    defaults[kind as PolicyKind] = { ...options };
    for (const option of Object.keys(options ?? {})) origins.set(`defaults.${kind}.${option}`, document!.where(['defaults', kind, option]));
  }
  if (isObject(doc.policies)) addPolicies(methodsById, origins, doc.policies as Record<string, Record<string, unknown>>, document!.where);
  addPolicies(methodsById, origins, overrides.policies, (p) => overrides.variables.get(p.join('.'))!);
  return {
    enabled: overrides.enabled ?? doc.enabled ?? true,
    defaults,
    methods: methodsById,
    origins,
    file: document?.file,
    text: document?.text,
  };
}
