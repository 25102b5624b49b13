import { createRequire } from 'node:module';
import type { Node } from 'jsonc-parser';
import type { ConfigIssue } from '../errors.js';

type JsoncParser = typeof import('jsonc-parser');
let jsonc: JsoncParser | undefined;
/**
 * jsonc-parser, loaded the first time a file is parsed: a process without a configuration file
 * never loads it, and bundlers leave it to Node (its CommonJS build requires its parts by name).
 */
const parser = (): JsoncParser => (jsonc ??= createRequire(import.meta.url)('jsonc-parser') as JsoncParser);

/** A configuration file's text, parsed: its value and where each key path is written. */
export interface ParsedConfigText {
  /** The document; objects have no prototype, so no key of the file can reach `Object.prototype`. */
  readonly value: unknown;
  /** `line:column` (1-based) of the key of the value at `path`, or of the nearest enclosing value written. */
  locate(path: readonly (string | number)[]): string;
}

/** What each parse error code means, in words. */
const SYNTAX_PROBLEMS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: "expected ':'",
  CommaExpected: "expected ','",
  CloseBraceExpected: "expected '}'",
  CloseBracketExpected: "expected ']'",
  EndOfFileExpected: 'expected the end of the file',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in a string',
};

/** 1-based line and column of an offset into `text`. */
function position(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `${line}:${offset - lineStart + 1}`;
}

/** Keys written twice in one object: JSON.parse would keep the last silently. */
function duplicateKeys(node: Node | undefined, path: (string | number)[], found: { path: (string | number)[]; offset: number }[]): void {
  if (!node?.children) return;
  if (node.type === 'object') {
    const seen = new Set<string>();
    for (const property of node.children) {
      const [keyNode, valueNode] = property.children ?? [];
      if (!keyNode) continue;
      const key = String(keyNode.value);
      if (seen.has(key)) found.push({ path: [...path, key], offset: keyNode.offset });
      seen.add(key);
      duplicateKeys(valueNode, [...path, key], found);
    }
  } else if (node.type === 'array') {
    node.children.forEach((child, i) => duplicateKeys(child, [...path, i], found));
  }
}

/**
 * Parses a configuration file as strict JSON (no comments, no trailing commas). The first syntax
 * error, or every duplicated key, is reported with its line and column.
 *
 * @param origin how issues name the file, e.g. its path relative to the working directory
 * @returns the parsed text, or the issues found
 */
export function parseConfigText(text: string, origin: string): ParsedConfigText | ConfigIssue[] {
  const errors: { error: number; offset: number }[] = [];
  // A byte-order mark is not an error an editor shows: skip it.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return [{ key: '', message: `${origin}: the file is empty; write a JSON object such as {}` }];
  const { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode } = parser();
  const tree = parseTree(body, errors as never, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  // The first syntax error only: what the parser finds after it depends on how it recovered.
  const issues: ConfigIssue[] = errors.slice(0, 1).map((e) => ({
    key: '',
    message: `${origin}:${position(body, e.offset)}: malformed JSON: ${SYNTAX_PROBLEMS[printParseErrorCode(e.error as never)] ?? printParseErrorCode(e.error as never)}`,
  }));
  if (issues.length > 0) return issues;
  const duplicates: { path: (string | number)[]; offset: number }[] = [];
  duplicateKeys(tree, [], duplicates);
  if (duplicates.length > 0) {
    return duplicates.map((d) => ({
      key: d.path.join('.'),
      message: `${origin}:${position(body, d.offset)}: key '${String(d.path.at(-1))}' is written twice in one object`,
    }));
  }
  return {
    value: getNodeValue(tree!),
    locate(path) {
      for (let p = [...path]; ; p = p.slice(0, -1)) {
        const node = p.length === 0 ? tree : findNodeAtLocation(tree!, p);
        // A property's position is its key's: where an editor shows the problem.
        if (node) return position(body, node.parent?.type === 'property' ? node.parent.offset : node.offset);
      }
    },
  };
}
