/**
 * Small checks generated validators call: each pure, each linear in its input.
 */

/** A string's length in code points, as JSON Schema's `minLength`/`maxLength` count it (a surrogate pair is one). */
export function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/**
 * Whether `value` is an instance of a class named `name`: a class on its prototype chain with
 * that name. The user's classes are checked by name, as the generated module does not import the
 * user's modules (which would change the order they run in); input parsed from JSON has no such
 * prototype, so it cannot pass for one.
 */
export function hasClass(value: unknown, name: string): boolean {
  if (typeof value !== 'object' || value === null) return false;
  for (let proto = Object.getPrototypeOf(value) as object | null; proto !== null && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value as { name?: unknown } | undefined;
    if (typeof ctor === 'function' && ctor.name === name) return true;
  }
  return false;
}

/** A canonical text of a JSON-like value: object keys sorted, so equal values have equal texts. */
function canonical(value: unknown): string {
  if (typeof value !== 'object' || value === null) return typeof value === 'bigint' ? `${value}n` : (JSON.stringify(value) ?? 'undefined');
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value instanceof Date) return `Date(${value.getTime()})`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/**
 * Whether no two items of an array are deeply equal (`@uniqueItems`). Called only on items that
 * passed their own checks, so their depth is bounded by the validator's depth limit.
 */
export function allUnique(items: readonly unknown[]): boolean {
  const seen = new Set<unknown>();
  for (const item of items) {
    const key = typeof item === 'object' && item !== null ? canonical(item) : typeof item === 'string' ? `s${item}` : item;
    if (seen.has(key)) return false;
    seen.add(key);
  }
  return true;
}

/** How an own key extends a path in issues: `.name`, or `["odd key"]`. */
export function keyPath(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
