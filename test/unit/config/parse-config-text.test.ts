import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/parse-config-text.js';

const messages = (text: string) => {
  const parsed = parseConfigText(text, 'resil.config.json');
  if (!Array.isArray(parsed)) throw new Error('expected issues');
  return parsed.map((i) => i.message);
};

describe('parseConfigText', () => {
  it('parses strict JSON into objects without a prototype', () => {
    const parsed = parseConfigText('{ "policies": { "__proto__": { "retry": {} } } }', 'f.json');
    if (Array.isArray(parsed)) throw new Error(parsed[0]!.message);
    const policies = (parsed.value as { policies: object }).policies;
    expect(Object.getPrototypeOf(policies)).toBeNull();
    expect(Object.keys(policies)).toEqual(['__proto__']);
    expect(({} as { retry?: unknown }).retry).toBeUndefined();
  });

  it('reports the first syntax error with its line and column', () => {
    expect(messages('{\n  "enabled": true,\n  "defaults": { "retry": { "maxAttempts": } }\n  "policies" {}\n}')).toEqual([
      'resil.config.json:3:43: malformed JSON: expected a value',
    ]);
    expect(messages('{\n  "enabled": true\n  "policies": {}\n}')).toEqual(["resil.config.json:3:3: malformed JSON: expected ','"]);
  });

  it('refuses comments, trailing commas and an empty file', () => {
    expect(messages('{ // note\n "enabled": true }')).toEqual(['resil.config.json:1:3: malformed JSON: comments are not allowed in JSON']);
    expect(messages('{ "enabled": true, }')).toEqual(['resil.config.json:1:20: malformed JSON: expected a property name in double quotes']);
    expect(messages('  \n')).toEqual(['resil.config.json: the file is empty; write a JSON object such as {}']);
  });

  it('refuses a key written twice in one object, which JSON.parse would settle silently', () => {
    expect(messages('{\n  "policies": {\n    "A.b": { "enabled": true, "enabled": false }\n  }\n}')).toEqual([
      "resil.config.json:3:31: key 'enabled' is written twice in one object",
    ]);
  });

  it('locates a key path at its key, or at the nearest enclosing value', () => {
    const parsed = parseConfigText('\uFEFF{\n  "defaults": {\n    "retry": { "maxAttempts": 0 }\n  }\n}', 'f.json');
    if (Array.isArray(parsed)) throw new Error(parsed[0]!.message);
    expect(parsed.locate(['defaults', 'retry', 'maxAttempts'])).toBe('3:16');
    expect(parsed.locate(['defaults', 'retry', 'nope'])).toBe('3:5');
    expect(parsed.locate([])).toBe('1:1');
  });
});
