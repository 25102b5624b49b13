import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { configuration } from '../../src/config/configuration.js';
import { configure, ConfigError } from '../../src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const shop = (file: string) => join(root, 'fixtures', 'shop', file);
const schema = JSON.parse(readFileSync(shop('resil.schema.json'), 'utf8')) as {
  properties: { policies: { properties: Record<string, { properties: Record<string, unknown> }> } };
};
const example = readFileSync(shop('resil.config.json'), 'utf8');
/** The shop's methods as its generated module declares them. */
const methods = Object.entries(schema.properties.policies.properties).map(([id, s]) => ({
  id,
  kinds: Object.keys(s.properties).filter((k) => k !== 'enabled') as never[],
}));

afterEach(() => {
  vi.unstubAllEnvs();
  configuration.reset(true);
});

describe("the README's example configuration", () => {
  it('is the bundled example file, shown verbatim in the README', () => {
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(example.trim());
  });

  it('is accepted by Ajv against the generated schema, and a typo is not', () => {
    const validate = new Ajv2020({ strict: true, allErrors: true }).compile(schema);
    expect(validate(JSON.parse(example)), JSON.stringify(validate.errors)).toBe(true);
    const typo = JSON.parse(example.replace('"maxAttempts"', '"maxAttempt"')) as unknown;
    expect(validate(typo)).toBe(false);
    expect(validate.errors).toEqual([
      expect.objectContaining({ keyword: 'additionalProperties', instancePath: '/policies/ShopService.stock/retry', params: { additionalProperty: 'maxAttempt' } }),
    ]);
  });

  it('loads in compiled mode, where other method ids are errors with a did-you-mean', () => {
    configuration.knowMethods(methods);
    configure({ config: shop('resil.config.json') });
    expect(configuration.optionsFor('ShopService.stock', 'retry', { maxAttempts: 3, baseDelayMs: 20 })).toEqual({
      jitter: 'equal',
      maxDelayMs: 2000,
      maxAttempts: 4,
      baseDelayMs: 20,
    });
    expect(() => configure({ config: { policies: { 'ShopService.stok': { retry: { maxAttempts: 2 } } } } })).toThrow(
      "configure({ config }): unknown method id 'ShopService.stok' in policies (did you mean 'ShopService.stock'?); no decorated method has this id",
    );
  });

  it('is checked again when a generated module arrives after it was loaded', () => {
    configure({ config: { policies: { 'ShopService.ship': { timeout: { ms: 100 } } } } });
    expect(() => configuration.knowMethods(methods)).toThrow(ConfigError);
    expect(() => configuration.knowMethods(methods)).toThrow(
      'configure({ config }): ShopService.ship has no @Timeout; configure only the policies the method has (deadLetter, retry)',
    );
  });
});

describe("the README's example of a configuration with mistakes", () => {
  it('gives exactly the ConfigError the README shows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'resil-readme-'));
    const file = join(dir, 'resil.config.json');
    writeFileSync(file, readFileSync(join(root, 'test', 'support', 'readme-bad-config.json')));
    configuration.knowMethods(methods);
    vi.stubEnv('RESIL__ShopService__price__circuitBreaker__failureRateThreshold', '150');
    let message = '';
    try {
      configure({ config: file });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as ConfigError).message.replaceAll(file, 'resil.config.json');
    }
    expect(message).toMatch(/^6 configuration problems:/);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain(message);
    expect(readme).toContain(readFileSync(join(root, 'test', 'support', 'readme-bad-config.json'), 'utf8').trim());
  });
});

describe('config.watch() in a process of its own', () => {
  it('keeps no process alive', () => {
    const dir = mkdtempSync(join(tmpdir(), 'resil-watch-'));
    writeFileSync(join(dir, 'resil.config.json'), '{ "enabled": true }');
    const script = `
      import { config, configure } from ${JSON.stringify(join(root, 'dist', 'src', 'index.js'))};
      configure({ config: ${JSON.stringify(join(dir, 'resil.config.json'))} });
      config.watch();
      process.on('exit', (code) => process.stdout.write('exited ' + code));
    `;
    // The script ends by itself once its last line has run: no watcher or timer holds it.
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(child.stderr).toBe('');
    expect(child.signal).toBeNull();
    expect(child.stdout).toBe('exited 0');
  });
});
