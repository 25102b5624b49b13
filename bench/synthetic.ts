// A synthetic project for timing `resil gen`: services in domains, each file importing its
// domain's types, the shared settings and the service it depends on, with the decorators mixed as
// an application mixes them. Written to bench/.synthetic (gitignored), its `resil` resolving to
// this repository.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Options of {@link writeSyntheticProject}. */
export interface SyntheticOptions {
  /** Source files in all (each domain has one types file and services). */
  files: number;
  /** Decorated methods in all. */
  methods: number;
  /** Files per domain folder, its types file included. */
  filesPerDomain: number;
}

/** The project written, and the files the timing changes. */
export interface SyntheticProject {
  tsconfig: string;
  /** A service no other file imports: what an edit touches most of the time. */
  leaf: string;
  /** The settings file, imported by the services whose decorators read a shared setting. */
  shared: string;
  /** How many files import {@link shared}. */
  sharedImporters: number;
  files: number;
  methods: number;
}

/**
 * One decorated method of each shape, cycled through: `n` makes the method's name unique in its
 * class. Options are literals where applications write literals and shared settings where they
 * share them; every `@Timeout` method takes the AbortSignal it passes on.
 */
const SHAPES: readonly ((n: number, domain: string) => string[])[] = [
  (n) => [
    `@Retry({ maxAttempts: 3, backoff: 'exponential', baseDelayMs: 100 })`,
    '@CircuitBreaker({ failureThreshold: 5, resetTimeoutMs: 30_000 })',
    '@Timeout(2000)',
    `async get${n}(id: string, signal?: AbortSignal): Promise<Item> {`,
    '  return this.store.load(id, signal);',
    '}',
  ],
  (n) => [
    '@Cached({ ttlMs: 60_000, maxEntries: 1000 })',
    `async list${n}(page: number): Promise<Item[]> {`,
    '  return this.store.page(page);',
    '}',
  ],
  (n) => [
    '@RateLimit({ limit: 100, intervalMs: 1000 })',
    `async create${n}(input: NewItem): Promise<Item> {`,
    '  return this.store.save(input);',
    '}',
  ],
  (n) => [
    `@Fallback('searchOffline')`,
    '@Timeout(settings.fastMs)',
    `async search${n}(query: string, signal?: AbortSignal): Promise<Item[]> {`,
    '  return this.store.find(query, signal);',
    '}',
  ],
  (n) => ['@CircuitBreaker()', `count${n}(): number {`, '  return this.store.size;', '}'],
  (n) => [
    '@Retry({ maxAttempts: 5, retryOn: [TransientError], jitter: settings.jitter })',
    '@Timeout({ ms: settings.slowMs })',
    `async sync${n}(id: string, signal?: AbortSignal): Promise<void> {`,
    '  await this.store.load(id, signal);',
    '}',
  ],
  (n, domain) => [
    `@CircuitBreaker({ name: '${domain}-store', failureThreshold: 10 })`,
    `@Cached({ key: 'id', ttlMs: 5000 })`,
    `async find${n}(id: string): Promise<Item | undefined> {`,
    '  return this.store.load(id);',
    '}',
  ],
  (n) => [
    `@RateLimit({ limit: 10, intervalMs: 1000, key: 'userId', onLimit: 'wait', maxWaitMs: 500 })`,
    '@Retry({ maxAttempts: 2 })',
    `async notify${n}(userId: string, message: string): Promise<boolean> {`,
    '  return this.store.send(userId, message);',
    '}',
  ],
];

const pad = (n: number) => String(n).padStart(3, '0');

function typesFile(domain: string): string {
  return [
    `/** The ${domain} domain's records and errors. */`,
    'export interface Item {',
    '  id: string;',
    '  name: string;',
    '  updatedAt: number;',
    '}',
    '',
    `export type NewItem = Omit<Item, 'id' | 'updatedAt'>;`,
    '',
    'export class TransientError extends Error {}',
    '',
    'export interface Store {',
    '  size: number;',
    '  load(id: string, signal?: AbortSignal): Promise<Item>;',
    '  page(page: number): Promise<Item[]>;',
    '  save(input: NewItem): Promise<Item>;',
    '  find(query: string, signal?: AbortSignal): Promise<Item[]>;',
    '  send(userId: string, message: string): Promise<boolean>;',
    '}',
    '',
  ].join('\n');
}

const SETTINGS = [
  '/** Settings shared by every service. */',
  'export const settings = {',
  '  fastMs: 500,',
  '  slowMs: 5000,',
  `  jitter: 'full',`,
  '} as const;',
  '',
].join('\n');

/**
 * One service class: its decorated methods (shapes `first…first+count-1`), the fallback a
 * `@Fallback` names, and a dependency on the previous service of its domain and, for some, on a
 * service of the previous domain.
 */
function serviceFile(domain: number, index: number, first: number, count: number, crossDomain: string | undefined): string {
  const d = `d${pad(domain)}`;
  const name = `${d.toUpperCase()}Service${index}`;
  const body: string[] = [];
  const used = new Set<string>();
  for (let m = first; m < first + count; m++) {
    const lines = SHAPES[m % SHAPES.length]!(m, d);
    for (const line of lines) for (const match of line.matchAll(/@(\w+)\(/g)) used.add(match[1]!);
    body.push(...lines.map((l) => `  ${l}`), '');
  }
  const text = body.join('\n');
  const types = ['Item', 'Store', ...(text.includes('NewItem') ? ['NewItem'] : [])].sort().map((t) => `type ${t}`);
  const values = text.includes('TransientError') ? ['TransientError'] : [];
  const lines = [
    `import { ${[...used].sort().join(', ')} } from 'resil';`,
    ...(text.includes('settings.') ? [`import { settings } from '../settings.js';`] : []),
    `import { ${[...values, ...types].join(', ')} } from './types.js';`,
  ];
  const ctor: string[] = ['private readonly store: Store'];
  if (index > 1) {
    lines.push(`import type { ${d.toUpperCase()}Service${index - 1} } from './service${index - 1}.js';`);
    ctor.push(`private readonly previous?: ${d.toUpperCase()}Service${index - 1}`);
  }
  if (crossDomain) {
    lines.push(`import type { ${crossDomain} } from '../${importPath(crossDomain)}';`);
    ctor.push(`private readonly upstream?: ${crossDomain}`);
  }
  return [
    ...lines,
    '',
    `export class ${name} {`,
    `  constructor(${ctor.join(', ')}) {}`,
    '',
    ...body,
    '  searchOffline(query: string): Item[] {',
    `    return [{ id: query, name: '${name}', updatedAt: 0 }];`,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** `D007Service3` → `d007/service3.js`. */
function importPath(service: string): string {
  const [, domain, index] = /^D(\d+)Service(\d+)$/.exec(service)!;
  return `d${domain}/service${index}.js`;
}

/** Writes the project into `dir` (emptied first); `repo` is what its `resil` resolves to. */
export function writeSyntheticProject(dir: string, repo: string, options: SyntheticOptions): SyntheticProject {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src'), { recursive: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(relative(join(dir, 'node_modules'), repo), join(dir, 'node_modules', 'resil'));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'synthetic', private: true, type: 'module' }, null, 2)}\n`);
  const tsconfig = join(dir, 'tsconfig.json');
  const compilerOptions = {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2023'],
    types: ['node'],
    strict: true,
    skipLibCheck: true,
    rootDir: 'src',
    outDir: 'dist',
  };
  writeFileSync(tsconfig, `${JSON.stringify({ compilerOptions, include: ['src'] }, null, 2)}\n`);
  writeFileSync(join(dir, 'src', 'settings.ts'), SETTINGS);

  const domains = Math.ceil((options.files - 1) / options.filesPerDomain);
  const services = options.files - 1 - domains;
  const perService = Math.floor(options.methods / services);
  let extra = options.methods - perService * services;
  let written = 1;
  let method = 0;
  let leaf = '';
  let sharedImporters = 0;
  for (let domain = 0; domain < domains; domain++) {
    const folder = join(dir, 'src', `d${pad(domain)}`);
    mkdirSync(folder);
    writeFileSync(join(folder, 'types.ts'), typesFile(`d${pad(domain)}`));
    written++;
    const inDomain = Math.min(options.filesPerDomain - 1, options.files - written);
    for (let index = 1; index <= inDomain; index++) {
      const count = perService + (extra > 0 ? 1 : 0);
      if (extra > 0) extra--;
      const cross = domain > 0 && index % 5 === 0 ? `D${pad(domain - 1)}Service${index}` : undefined;
      const text = serviceFile(domain, index, method, count, cross);
      if (text.includes(`from '../settings.js'`)) sharedImporters++;
      writeFileSync(join(folder, `service${index}.ts`), text);
      method += count;
      written++;
    }
    // The last service of the middle domain: nothing imports it.
    if (domain === Math.floor(domains / 2)) leaf = join(folder, `service${inDomain}.ts`);
  }
  return { tsconfig, leaf, shared: join(dir, 'src', 'settings.ts'), sharedImporters, files: written, methods: method };
}
