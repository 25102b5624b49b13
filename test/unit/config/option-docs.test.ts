import { fileURLToPath } from 'node:url';
import { Project } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { OPTION_SPECS } from '../../../src/config/defaults.js';
import type { PolicyKind } from '../../../src/policies/kinds.js';

/** The options interface of each kind, as users see it in their editor. */
const INTERFACES: Record<PolicyKind, string> = {
  retry: 'RetryOptions',
  circuitBreaker: 'CircuitBreakerOptions',
  timeout: 'TimeoutOptions',
  rateLimit: 'RateLimitOptions',
  cache: 'CachedOptions',
  bulkhead: 'BulkheadOptions',
  fallback: 'FallbackOptions',
  deadLetter: 'DeadLetterOptions',
  validated: 'ValidatedOptions',
};

describe('option descriptions', () => {
  const project = new Project({ skipAddingFilesFromTsConfig: true, compilerOptions: {} });
  const file = project.addSourceFileAtPath(fileURLToPath(new URL('../../../src/options.ts', import.meta.url)));

  it.each(Object.entries(INTERFACES))('%s: the JSDoc of each option is its description in the schema, then its default', (kind, name) => {
    const specs = OPTION_SPECS[kind as PolicyKind];
    const properties = file.getInterfaceOrThrow(name).getProperties();
    expect(properties.map((p) => p.getName()).sort()).toEqual(Object.keys(specs).sort());
    for (const property of properties) {
      const doc = property.getJsDocs().map((d) => d.getDescription().trim().replace(/\s+/g, ' ')).join(' ');
      const { description } = specs[property.getName()]!;
      expect(doc.startsWith(description), `${kind}.${property.getName()}: "${doc}" should begin "${description}"`).toBe(true);
      expect(doc.slice(description.length).trim(), `${kind}.${property.getName()}`).toMatch(/^((Default\b.*)|Required\.)?$/);
    }
  });
});
