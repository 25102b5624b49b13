import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSnapshot, type ConfigSource } from '../../../src/config/config-snapshot.js';
import { readEnvOverrides } from '../../../src/config/env-overrides.js';
import { ConfigError } from '../../../src/errors.js';

const METHODS = [
  { id: 'Shop.flaky', kinds: ['retry', 'timeout'] as const },
  { id: 'Shop.charge', kinds: ['circuitBreaker'] as const },
].map((m) => ({ id: m.id, kinds: [...m.kinds] }));

/** A configuration file in a fresh folder. */
function file(text: string): ConfigSource {
  const dir = mkdtempSync(join(tmpdir(), 'resil-config-'));
  const path = join(dir, 'resil.config.json');
  writeFileSync(path, text);
  return { kind: 'file', file: path, required: true };
}

/** The messages of the ConfigError a load throws. */
function problems(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((i) => i.message.replace(/^.*resil\.config\.json:/, 'resil.config.json:'));
  }
  throw new Error('expected a ConfigError');
}

describe('environment overrides', () => {
  it('parses values by the type of the option they set', () => {
    const env = readEnvOverrides({
      RESIL__Shop__flaky__retry__maxAttempts: '5',
      RESIL__Shop__flaky__retry__backoff: 'linear',
      RESIL__Shop__charge__circuitBreaker__critical: 'TRUE',
      RESIL__Shop__charge__circuitBreaker__failureRateThreshold: '12.5',
      RESIL__Shop__slow__enabled: 'false',
      RESIL_ENABLED: 'true',
      RESIL_CONFIG: 'ignored.json',
      PATH: '/bin',
    });
    expect(env.issues).toEqual([]);
    expect(env.enabled).toBe(true);
    expect(JSON.parse(JSON.stringify(env.policies))).toEqual({
      'Shop.flaky': { retry: { maxAttempts: 5, backoff: 'linear' } },
      'Shop.charge': { circuitBreaker: { critical: true, failureRateThreshold: 12.5 } },
      'Shop.slow': { enabled: false },
    });
    expect(env.variables.get('policies.Shop.flaky.retry.maxAttempts')).toBe('RESIL__Shop__flaky__retry__maxAttempts');
  });

  it('names the variable of every value that does not fit, and every name that cannot be read', () => {
    const env = readEnvOverrides({
      RESIL__Shop__flaky__retry__maxAttempts: 'five',
      RESIL__Shop__flaky__retry__maxAtempts: '5',
      RESIL__Shop__flaky__retyr__maxAttempts: '5',
      RESIL__Shop__flaky__retry__retryOn: 'Error',
      RESIL__Shop__flaky__enabled: 'nope',
      RESIL__flaky__retry: '5',
      RESIL_ENABLED: 'off',
    });
    expect(env.issues.map((i) => i.message)).toEqual([
      'environment variable RESIL_ENABLED: must be true or false, got "off"',
      'environment variable RESIL__Shop__flaky__enabled: must be true or false, got "nope"',
      'environment variable RESIL__Shop__flaky__retry__maxAtempts: unknown option \'maxAtempts\' of retry (did you mean \'maxAttempts\'?); options: maxAttempts, backoff, baseDelayMs, maxDelayMs, multiplier, jitter, budgetMs',
      'environment variable RESIL__Shop__flaky__retry__maxAttempts: must be a number, got "five"',
      "environment variable RESIL__Shop__flaky__retry__retryOn: option 'retryOn' can only be given in code, not from configuration",
      "environment variable RESIL__Shop__flaky__retyr__maxAttempts: unknown policy kind 'retyr' (did you mean 'retry'?); kinds: validated, cache, fallback, deadLetter, retry, circuitBreaker, rateLimit, timeout, bulkhead",
      'environment variable RESIL__flaky__retry: expected RESIL__<Class>__<method>__<kind>__<option> or RESIL__<Class>__<method>__enabled',
    ]);
  });
});

describe('loading a configuration', () => {
  it('merges the file and the environment, the environment last, and records where each value came from', () => {
    const source = file(JSON.stringify({ enabled: true, defaults: { retry: { maxAttempts: 4 } }, policies: { 'Shop.flaky': { retry: { baseDelayMs: 10, maxAttempts: 2 } } } }, null, 2));
    const snapshot = loadSnapshot(source, { RESIL__Shop__flaky__retry__maxAttempts: '6' }, METHODS);
    expect(snapshot.enabled).toBe(true);
    expect(snapshot.defaults).toEqual({ retry: { maxAttempts: 4 } });
    expect(snapshot.methods.get('Shop.flaky')).toEqual({ kinds: { retry: { baseDelayMs: 10, maxAttempts: 6 } } });
    expect(snapshot.origins.get('policies.Shop.flaky.retry.maxAttempts')).toBe('RESIL__Shop__flaky__retry__maxAttempts');
    expect(snapshot.origins.get('policies.Shop.flaky.retry.baseDelayMs')).toMatch(/resil\.config\.json:11:9$/);
  });

  it('lets RESIL_ENABLED override the file', () => {
    expect(loadSnapshot(file('{ "enabled": true }'), { RESIL_ENABLED: 'false' }).enabled).toBe(false);
    expect(loadSnapshot(file('{ "enabled": false }'), {}).enabled).toBe(false);
  });

  it('lists every problem of the file and the environment in one ConfigError, each with its key path and origin', () => {
    const text = `{
  "$schema": "./resil.schema.json",
  "enabeld": true,
  "defaults": {
    "retry": { "maxAttempts": 0, "backof": "linear" },
    "timeuot": { "ms": 100 }
  },
  "policies": {
    "Shop.flakey": { "retry": { "maxAttempts": 2 } },
    "Shop.flaky": {
      "retry": { "jitter": "some", "retryOn": "Error" },
      "circuitBreaker": { "failureThreshold": 3 },
      "timeout": { "ms": 1.5 },
      "enabled": "yes"
    }
  }
}`;
    expect(problems(() => loadSnapshot(file(text), { RESIL__Shop__charge__circuitBreaker__failureRateThreshold: '150' }, METHODS))).toEqual([
      "resil.config.json:3:3: unknown key 'enabeld' (did you mean 'enabled'?)",
      'resil.config.json:5:16: defaults.retry.maxAttempts must be an integer >= 1, got 0',
      "resil.config.json:5:34: unknown @Retry option 'backof' in defaults.retry (did you mean 'backoff'?); options: maxAttempts, backoff, baseDelayMs, maxDelayMs, multiplier, jitter, budgetMs",
      "resil.config.json:6:5: unknown policy kind 'timeuot' in defaults (did you mean 'timeout'?)",
      "resil.config.json:9:5: unknown method id 'Shop.flakey' in policies (did you mean 'Shop.flaky'?); no decorated method has this id",
      "resil.config.json:11:18: policies.Shop.flaky.retry.jitter must be one of 'full', 'equal', 'none', got \"some\"",
      "resil.config.json:11:36: option 'retryOn' can only be given in code, not from configuration",
      'resil.config.json:12:7: Shop.flaky has no @CircuitBreaker; configure only the policies the method has (retry, timeout)',
      'resil.config.json:13:20: policies.Shop.flaky.timeout.ms must be an integer >= 1 <= 2147483647, got 1.5',
      'resil.config.json:14:7: policies.Shop.flaky.enabled must be true or false, got "yes"',
      'RESIL__Shop__charge__circuitBreaker__failureRateThreshold: policies.Shop.charge.circuitBreaker.failureRateThreshold must be a number > 0 <= 100, got 150',
    ]);
  });

  it('accepts any method id in runtime mode, where methods are not known up front', () => {
    const snapshot = loadSnapshot(file('{ "policies": { "Other.method": { "bulkhead": { "maxConcurrent": 2 } } } }'), {});
    expect(snapshot.methods.get('Other.method')).toEqual({ kinds: { bulkhead: { maxConcurrent: 2 } } });
    expect(problems(() => loadSnapshot(file('{ "policies": { "Other.method": { "bulkhead": { "maxConcurent": 2 } } } }'), {}))).toEqual([
      "resil.config.json:1:49: unknown @Bulkhead option 'maxConcurent' in policies.Other.method.bulkhead (did you mean 'maxConcurrent'?); options: maxConcurrent, maxQueue, queueTimeoutMs",
    ]);
  });

  it('says a named file that cannot be read, and takes a missing default file as no configuration', () => {
    const missing = join(tmpdir(), 'resil-no-such-dir', 'resil.config.json');
    expect(() => loadSnapshot({ kind: 'file', file: missing, required: true }, {})).toThrow(
      /^cannot read configuration file .*resil-no-such-dir\/resil\.config\.json: ENOENT$/,
    );
    expect(loadSnapshot({ kind: 'file', file: missing, required: false }, {}).file).toBeUndefined();
  });

  it("refuses @Validated's options, which shape the generated validators", () => {
    expect(problems(() => loadSnapshot({ kind: 'object', value: { defaults: { validated: { strict: true } } } }, {}))).toEqual([
      "configure({ config }): option 'strict' can only be given in code, not from configuration",
    ]);
    expect(readEnvOverrides({ RESIL__Api__call__validated__returns: 'true' }).issues.map((i) => i.message)).toEqual([
      "environment variable RESIL__Api__call__validated__returns: option 'returns' can only be given in code, not from configuration",
    ]);
  });

  it('checks an object given to configure the same way', () => {
    expect(problems(() => loadSnapshot({ kind: 'object', value: { defaults: { retry: { maxAttempts: '3' } } } }, {}))).toEqual([
      'configure({ config }): defaults.retry.maxAttempts must be a number, got "3"',
    ]);
    expect(problems(() => loadSnapshot({ kind: 'object', value: [] }, {}))).toEqual(['configure({ config }): the configuration must be an object, got an array']);
  });
});
