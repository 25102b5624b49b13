/**
 * The `@format` checkers of `@Validated` (SPEC §1). Each is a hand-written scanner that looks at
 * every character at most a fixed number of times, so it runs in linear time on any input: no
 * regular expression that could backtrack. They follow the JSON Schema formats as Ajv's
 * `ajv-formats` "fast" mode reads them, with the limits written on each.
 */

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHex = (c: number): boolean => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
const isAlpha = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

/** The value of `length` decimal digits of `s` at `at`, or -1 when one is not a digit. */
function digits(s: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return -1;
    value = value * 10 + (c - 48);
  }
  return value;
}

/** Whether `s` holds only hexadecimal digits from `from` to `to`. */
function hexRun(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    // Unsigned range tests: a digit, or a letter a–f in either case.
    if ((c - 48) >>> 0 >= 10 && ((c | 32) - 97) >>> 0 >= 6) return false;
  }
  return true;
}

/** `8-4-4-4-12` hexadecimal digits (RFC 4122 layout, any version), 36 characters. */
export function isUuid(s: string): boolean {
  return (
    s.length === 36 &&
    s.charCodeAt(8) === 45 &&
    s.charCodeAt(13) === 45 &&
    s.charCodeAt(18) === 45 &&
    s.charCodeAt(23) === 45 &&
    hexRun(s, 0, 8) &&
    hexRun(s, 9, 13) &&
    hexRun(s, 14, 18) &&
    hexRun(s, 19, 23) &&
    hexRun(s, 24, 36)
  );
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number): boolean => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);

/** `YYYY-MM-DD` (RFC 3339 full-date), a real day of the calendar. */
export function isDate(s: string): boolean {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  const y = digits(s, 0, 4);
  const m = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1) return false;
  return d <= (m === 2 && !isLeap(y) ? 28 : DAYS[m - 1]!);
}

/** `HH:MM:SS[.fraction](Z|±HH:MM)` (RFC 3339 full-time; a leap second 60 is allowed). */
function isTime(s: string, at: number): boolean {
  if (s.length < at + 9 || s.charCodeAt(at + 2) !== 58 || s.charCodeAt(at + 5) !== 58) return false;
  const h = digits(s, at, 2);
  const m = digits(s, at + 3, 2);
  const sec = digits(s, at + 6, 2);
  if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60) return false;
  let i = at + 8;
  if (s.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < s.length && isDigit(s.charCodeAt(i))) i++;
    if (i === start) return false;
  }
  const zone = s.charCodeAt(i);
  if (zone === 90 || zone === 122) return i + 1 === s.length;
  if (zone !== 43 && zone !== 45) return false;
  if (s.length !== i + 6 || s.charCodeAt(i + 3) !== 58) return false;
  const zh = digits(s, i + 1, 2);
  const zm = digits(s, i + 4, 2);
  return zh >= 0 && zh <= 23 && zm >= 0 && zm <= 59;
}

/** RFC 3339 date-time: a {@link isDate} date, `T` (or `t`, or a space), and a time with its offset. */
export function isDateTime(s: string): boolean {
  if (s.length < 20) return false;
  const t = s.charCodeAt(10);
  return (t === 84 || t === 116 || t === 32) && isDate(s.slice(0, 10)) && isTime(s, 11);
}

/** Four decimal octets 0–255 without leading zeros. */
export function isIpv4(s: string): boolean {
  return ipv4At(s, 0) === s.length;
}

/** The end of an IPv4 address starting at `at`, or -1. */
function ipv4At(s: string, at: number): number {
  let i = at;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (s.charCodeAt(i) !== 46) return -1;
      i++;
    }
    const start = i;
    let value = 0;
    while (i < s.length && i - start < 3 && isDigit(s.charCodeAt(i))) value = value * 10 + (s.charCodeAt(i++) - 48);
    const length = i - start;
    if (length === 0 || value > 255 || (length > 1 && s.charCodeAt(start) === 48)) return -1;
  }
  return i;
}

/** RFC 4291 text form: eight groups of 1–4 hex digits, one `::` for a run of zero groups, an IPv4 tail. */
export function isIpv6(s: string): boolean {
  if (s.length < 2 || s.length > 45) return false;
  let groups = 0;
  let compressed = false;
  let i = 0;
  if (s.charCodeAt(0) === 58) {
    if (s.charCodeAt(1) !== 58) return false;
    compressed = true;
    i = 2;
    if (i === s.length) return true;
  }
  while (i < s.length) {
    const start = i;
    while (i < s.length && i - start < 4 && isHex(s.charCodeAt(i))) i++;
    if (i < s.length && s.charCodeAt(i) === 46) {
      // An IPv4 tail counts as two groups and ends the address.
      return ipv4At(s, start) === s.length && (compressed ? groups + 2 <= 7 : groups + 2 === 8);
    }
    if (i === start) return false;
    groups++;
    if (i === s.length) break;
    if (s.charCodeAt(i) !== 58) return false;
    i++;
    if (s.charCodeAt(i) === 58) {
      if (compressed) return false;
      compressed = true;
      i++;
      if (i === s.length) break;
    } else if (i === s.length) return false;
  }
  return compressed ? groups <= 7 : groups === 8;
}

/** Character classes of e-mail addresses, by code below 128: 1 letter or digit, 2 other local-part character. */
const EMAIL_CHARS = new Uint8Array(128);
for (let c = 48; c < 123; c++) if (isDigit(c) || isAlpha(c)) EMAIL_CHARS[c] = 1;
for (const ch of "!#$%&'*+/=?^_`{|}~-") EMAIL_CHARS[ch.charCodeAt(0)] = 2;

/**
 * `local@domain`: a dot-atom local part of at most 64 characters (letters, digits,
 * ``!#$%&'*+/=?^_`{|}~-``, single inner dots), a domain of at most 253 characters in dot-separated
 * labels of 1–63 letters, digits and inner hyphens. One pass over the string.
 */
export function isEmail(s: string): boolean {
  const n = s.length;
  let i = 0;
  // The character before; a dot at the start, so a leading dot is a double one.
  let prev = 46;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 64) break;
    if (c === 46) {
      if (prev === 46) return false;
    } else if (c > 127 || EMAIL_CHARS[c] === 0) return false;
    prev = c;
  }
  if (i === 0 || i > 64 || i === n || prev === 46 || n - i - 1 > 253) return false;
  let start = ++i;
  prev = 46;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (prev === 46 || prev === 45 || i - start > 63) return false;
      start = i + 1;
    } else if (c === 45) {
      if (prev === 46) return false;
    } else if (c > 127 || EMAIL_CHARS[c] !== 1) return false;
    prev = c;
  }
  return prev !== 46 && prev !== 45 && n - start <= 63;
}

/** Characters a URI may hold outside a `%XX` escape (RFC 3986 unreserved, reserved). */
const URI_CHARS = "-._~:/?#[]@!$&'()*+,;=";

/** An absolute URI (RFC 3986): a scheme (a letter, then letters, digits, `+`, `-`, `.`), `:`, and URI characters or `%XX` escapes. */
export function isUri(s: string): boolean {
  const colon = s.indexOf(':');
  if (colon < 1 || !isAlpha(s.charCodeAt(0))) return false;
  for (let i = 1; i < colon; i++) {
    const c = s.charCodeAt(i);
    if (!isAlpha(c) && !isDigit(c) && c !== 43 && c !== 45 && c !== 46) return false;
  }
  for (let i = colon + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37) {
      if (!isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) return false;
      i += 2;
    } else if (!isAlpha(c) && !isDigit(c) && URI_CHARS.indexOf(s[i]!) < 0) return false;
  }
  return true;
}

/** The checker of each format, by name. */
export const FORMAT_CHECKERS: Readonly<Record<string, (s: string) => boolean>> = {
  email: isEmail,
  uuid: isUuid,
  uri: isUri,
  date: isDate,
  'date-time': isDateTime,
  ipv4: isIpv4,
  ipv6: isIpv6,
};
