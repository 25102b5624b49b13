import { ConfigError } from '../errors.js';
import type { MethodInfo } from './policy.js';

/**
 * Reads the parameter names of a function from its source. Runtime mode only knows parameters
 * this way (compiled mode reads them from the AST). Destructured parameters get an empty name.
 */
export function parameterNames(fn: (...args: never[]) => unknown): string[] {
  const src = Function.prototype.toString.call(fn);
  const open = src.indexOf('(');
  if (open < 0) return [];
  // Walk to the matching ')' so that default values containing parentheses do not end the list.
  let depth = 0;
  let close = -1;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      depth--;
      if (depth === 0) {
        close = i;
        break;
      }
    }
  }
  const list = src
    .slice(open + 1, close < 0 ? undefined : close)
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '');
  const names: string[] = [];
  let current = '';
  depth = 0;
  for (const c of list) {
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    if (c === ',' && depth === 0) {
      names.push(current);
      current = '';
    } else current += c;
  }
  if (current.trim()) names.push(current);
  return names.map((p) => {
    const m = /^\s*(?:\.\.\.)?\s*([A-Za-z_$][\w$]*)/.exec(p);
    return m ? m[1]! : '';
  });
}

/** A key option as a function of the arguments. */
export type KeyFn = (args: readonly unknown[]) => unknown;

/**
 * Compiles a `key` option: a parameter name or dotted path (`'req.tenant.id'`) resolved against
 * the method's parameters, or a function of the arguments. A path whose first segment is not a
 * parameter is an error at class definition.
 */
export function compileKey(
  key: string | ((...args: never[]) => unknown),
  method: MethodInfo,
  option: string,
): KeyFn {
  if (typeof key === 'function') {
    const f = key as (...args: unknown[]) => unknown;
    return (args) => f(...args);
  }
  const [head, ...rest] = key.split('.');
  const index = method.paramNames.indexOf(head!);
  if (index < 0) {
    throw new ConfigError([
      {
        key: `${method.id}.${option}.key`,
        message: `${method.id}: key '${key}' names no parameter; parameters are ${method.paramNames.filter(Boolean).join(', ') || 'none'}`,
      },
    ]);
  }
  if (rest.length === 0) return (args) => args[index];
  return (args) => {
    let value: unknown = args[index];
    for (const segment of rest) {
      if (value === null || value === undefined) return undefined;
      value = (value as Record<string, unknown>)[segment];
    }
    return value;
  };
}

/**
 * A stable, type-preserving serialization: `1` and `'1'` differ, object key order does not
 * matter, `Date`, `bigint`, `undefined`, `Map` and `Set` keep their identity. Arguments at
 * `skipIndex` (the method's `AbortSignal`) are left out.
 */
export function stableKey(args: readonly unknown[], skipIndex = -1): string {
  let out = '';
  for (let i = 0; i < args.length; i++) {
    if (i === skipIndex) continue;
    if (i > 0) out += ',';
    out += serialize(args[i], 0);
  }
  return out;
}

const MAX_DEPTH = 64;

function serialize(value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw new TypeError('resil: cache key nests too deeply (more than 64 levels)');
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Object.is(value, -0) ? 'n:-0' : `n:${value}`;
    case 'bigint':
      return `${value}n`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'undefined';
    case 'symbol':
    case 'function':
      throw new TypeError(`resil: a ${typeof value} cannot be part of a cache key; give @Cached a key`);
    case 'object':
      break;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => serialize(v, depth + 1)).join(',')}]`;
  if (value instanceof Date) return `D:${value.getTime()}`;
  if (value instanceof Map) {
    const entries = [...value.entries()].map(([k, v]) => `${serialize(k, depth + 1)}=>${serialize(v, depth + 1)}`).sort();
    return `Map{${entries.join(',')}}`;
  }
  if (value instanceof Set) return `Set{${[...value].map((v) => serialize(v, depth + 1)).sort().join(',')}}`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  const proto = Object.getPrototypeOf(obj) as { constructor?: { name?: string } } | null;
  const tag = proto && proto !== Object.prototype && proto.constructor?.name ? proto.constructor.name : '';
  return `${tag}{${keys.map((k) => `${JSON.stringify(k)}:${serialize(obj[k], depth + 1)}`).join(',')}}`;
}
