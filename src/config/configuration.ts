import path from 'node:path';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { DECORATOR_NAME, type PolicyKind } from '../policies/kinds.js';
import { registry } from '../registry/registry.js';
import { runtime } from '../runtime.js';
import type { SchemaMethod } from './config-schema.js';
import { defaultSource, loadSnapshot, type ConfigSnapshot, type ConfigSource } from './config-snapshot.js';
import { didYouMean } from './did-you-mean.js';
import { watchConfigFile, type ConfigWatcher } from './watch-config.js';

/** A decorated method as configuration sees it: it can be told to take a new configuration. */
export interface ConfiguredMethod {
  /**
   * Works out what the current configuration changes for the method, without changing anything
   * yet: returns what applies it, or undefined when nothing changes. Throws a {@link ConfigError}
   * when the configuration does not fit the method.
   */
  prepare(): (() => void) | undefined;
}

/**
 * The configuration of the process (SPEC §7): loaded once, by `configure({ config })` or by the
 * first decorated class (`RESIL_CONFIG`, else `./resil.config.json` when present, and the
 * environment), re-applied to the running methods by {@link reload} and {@link watch}.
 */
export class Configuration {
  private snapshot: ConfigSnapshot | undefined;
  private source: ConfigSource | undefined;
  /** The project's methods, when a generated module said what they are. */
  private methods: SchemaMethod[] | undefined;
  private readonly sites = new Map<string, ConfiguredMethod>();
  private unusedCheck: NodeJS.Immediate | undefined;

  /** The configuration in force, loading the default source the first time. */
  current(): ConfigSnapshot {
    if (!this.snapshot) this.use(defaultSource(process.env, process.cwd()), false);
    return this.snapshot!;
  }

  /**
   * Loads a configuration from a file path or an object (`configure({ config })`) and applies it to
   * methods already defined. Throws one {@link ConfigError} listing every problem; the configuration
   * in force then stays.
   */
  load(config: string | object): void {
    const source: ConfigSource =
      typeof config === 'string' ? { kind: 'file', file: config, required: true } : { kind: 'object', value: config };
    this.use(source.kind === 'file' ? { ...source, file: resolvePath(source.file) } : source, true);
  }

  /**
   * Reads the configuration's source and the environment again and applies them. Throws one
   * {@link ConfigError} when the new configuration is invalid; the old one stays in force.
   * @returns ids of the methods whose options or switch changed, sorted
   */
  reload(): string[] {
    return this.use(this.source ?? defaultSource(process.env, process.cwd()), true);
  }

  /**
   * Watches the configuration file and applies each change to the running methods: a `configChange`
   * event says what changed, an invalid change keeps the configuration in force and emits a
   * `configError` event with the {@link ConfigError}. Uses file-system events (no polling) and keeps
   * no process alive; `close()` stops it.
   */
  watch(): ConfigWatcher {
    this.current();
    const source = this.source!;
    if (source.kind !== 'file') {
      throw new ConfigError([{ key: '', message: 'config.watch() needs a configuration file; configure({ config }) was given an object' }]);
    }
    return watchConfigFile(source.file, (text) => {
      if (text === this.snapshot?.text) return;
      try {
        this.use(source, true);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        runtime.events.emit('configError', { file: source.file, error });
      }
    });
  }

  /** The methods of the project, from a generated module: a configuration naming other ids is an error. */
  knowMethods(methods: readonly SchemaMethod[]): void {
    const known = new Map((this.methods ?? []).map((m) => [m.id, m]));
    for (const m of methods) known.set(m.id, m);
    this.methods = [...known.values()];
    // Loaded before the generated module arrived: check it again against the methods now known.
    if (this.snapshot && this.source) loadSnapshot(this.source, process.env, this.methods);
  }

  /** Tracks a method so that reloads reach it; checks that the configuration names only policies it has. */
  track(id: string, kinds: readonly PolicyKind[], method: ConfiguredMethod): void {
    const overrides = this.current().methods.get(id);
    const issues: ConfigIssue[] = [];
    for (const kind of Object.keys(overrides?.kinds ?? {}) as PolicyKind[]) {
      if (kinds.includes(kind)) continue;
      const origin = this.firstOrigin(`policies.${id}.${kind}.`);
      issues.push({
        key: `policies.${id}.${kind}`,
        message: `${origin}: ${id} has no ${DECORATOR_NAME[kind]}; configure only the policies the method has (${kinds.join(', ')})`,
      });
    }
    if (issues.length > 0) throw new ConfigError(issues);
    this.sites.set(id, method);
  }

  untrack(id: string): void {
    this.sites.delete(id);
  }

  /**
   * A method's options of one kind with configuration applied, by SPEC §7's precedence: file
   * `defaults` fill what the decorator leaves unset; file `policies` and then the environment
   * override it. Returns the decorator's own object when configuration says nothing.
   */
  optionsFor(id: string, kind: PolicyKind, decorated: unknown): unknown {
    const snapshot = this.current();
    const defaults = snapshot.defaults[kind];
    const overrides = snapshot.methods.get(id)?.kinds[kind];
    if (!defaults && !overrides) return decorated;
    const merged: Record<string, unknown> = { ...defaults };
    if (typeof decorated === 'object' && decorated !== null) {
      for (const [key, value] of Object.entries(decorated)) if (value !== undefined) merged[key] = value;
    }
    return Object.assign(merged, overrides);
  }

  /** Where the configured options of a method's policy come from, for messages; empty when none are configured. */
  sourcesOf(id: string, kind: PolicyKind): string[] {
    const snapshot = this.current();
    const found = new Set<string>();
    for (const [key, origin] of snapshot.origins) {
      if (key.startsWith(`defaults.${kind}.`) || key.startsWith(`policies.${id}.${kind}.`)) found.add(origin);
    }
    return [...found];
  }

  /** Whether the method's policies run: off when configuration switches every policy or this method off. */
  enabledFor(id: string): boolean {
    const snapshot = this.current();
    return snapshot.enabled && snapshot.methods.get(id)?.enabled !== false;
  }

  /** Where the first configured key under `prefix` (`policies.Class.method.`) was written. */
  private firstOrigin(prefix: string): string {
    for (const [key, origin] of this.snapshot?.origins ?? []) if (key.startsWith(prefix)) return origin;
    return 'configuration';
  }

  /** Loads a source and, when methods exist, applies it to all of them or to none. */
  private use(source: ConfigSource, apply: boolean): string[] {
    const snapshot = loadSnapshot(source, process.env, this.methods);
    const before = this.snapshot;
    this.snapshot = snapshot;
    let changed: string[] = [];
    if (apply) {
      try {
        changed = this.applyToSites();
      } catch (error) {
        this.snapshot = before;
        throw error;
      }
    }
    this.source = source;
    if (!this.methods && snapshot.methods.size > 0) this.scheduleUnusedCheck();
    return changed;
  }

  /** Prepares every tracked method for the new configuration; applies only when all of them accept it. */
  private applyToSites(): string[] {
    const issues: ConfigIssue[] = [];
    const commits: (() => void)[] = [];
    const changed: string[] = [];
    for (const [id, site] of this.sites) {
      try {
        const commit = site.prepare();
        if (commit) {
          commits.push(commit);
          changed.push(id);
        }
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        issues.push(...error.issues);
      }
    }
    if (issues.length > 0) throw new ConfigError(issues);
    for (const commit of commits) commit();
    changed.sort();
    runtime.events.emit('configChange', { file: this.snapshot?.file, methods: changed });
    return changed;
  }

  /**
   * Runtime mode cannot know every method id up front: once the program's first turn is over, ids
   * the configuration names that no defined method has are said through a `configUnused` notice.
   */
  private scheduleUnusedCheck(): void {
    if (this.unusedCheck) return;
    this.unusedCheck = setImmediate(() => {
      this.unusedCheck = undefined;
      if (this.methods) return;
      const ids = [...this.sites.keys()];
      for (const id of this.snapshot?.methods.keys() ?? []) {
        if (this.sites.has(id)) continue;
        const guess = didYouMean(id, ids);
        registry.notify({
          method: id,
          code: 'configUnused',
          message: `${this.firstOrigin(`policies.${id}.`)}: no decorated method with id '${id}' is defined${guess ? ` (did you mean '${guess}'?)` : ''}; its configuration is not used`,
        });
      }
    });
    this.unusedCheck.unref();
  }

  /**
   * Forgets the loaded configuration and the tracked methods (tests). The methods a generated
   * module declared stay known, as the module stays loaded, unless `forgetMethods` is set.
   */
  reset(forgetMethods = false): void {
    this.snapshot = undefined;
    this.source = undefined;
    if (forgetMethods) this.methods = undefined;
    this.sites.clear();
    if (this.unusedCheck) clearImmediate(this.unusedCheck);
    this.unusedCheck = undefined;
  }
}

const resolvePath = (file: string): string => path.resolve(process.cwd(), file);

const KEY = Symbol.for('resil.configuration');
type Global = typeof globalThis & { [KEY]?: Configuration };

/** The process's configuration, shared by every copy of the package. */
export const configuration: Configuration = ((globalThis as Global)[KEY] ??= new Configuration());
