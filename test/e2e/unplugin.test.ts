import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ts } from 'ts-morph';
import type { UnpluginBuildContext, UnpluginContext, UnpluginContextMeta, UnpluginOptions } from 'unplugin';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { analyzeProject } from '../../transformer/analyze/index.js';
import { emitModule } from '../../transformer/emit/index.js';
import { resilPluginFactory, VIRTUAL_MODULE_ID } from '../../transformer/hosts/unplugin.js';
import { errorsFixture, fixture, linkResil, outDir, removeOut } from './hosts-fixture.js';

type Framework = 'esbuild' | 'vite' | 'rollup' | 'webpack';
type Context = UnpluginBuildContext & UnpluginContext;
type Handler<A extends unknown[]> = { handler: (this: Context, ...args: A) => unknown };

/** The plugin as `framework` would create it, with its hooks callable as that bundler calls them. */
function plugin(framework: Framework, tsconfig: string) {
  const raw = resilPluginFactory({ tsconfig }, { framework } as UnpluginContextMeta) as UnpluginOptions;
  const context = { error: vi.fn(), warn: vi.fn() } as unknown as Context & { error: ReturnType<typeof vi.fn>; warn: ReturnType<typeof vi.fn> };
  const resolve = (id: string) => (raw.resolveId as Handler<[string, string | undefined, { isEntry: boolean }]>).handler.call(context, id, undefined, { isEntry: false });
  return {
    context,
    resolve: (id: string) => resolve(id) as { id: string; moduleSideEffects: boolean } | null,
    load: (id: string) => (raw.load as Handler<[string]>).handler.call(context, id) as string | null,
    transform: (code: string, id = join(fixture, 'src', 'x.ts')) => (raw.transform as Handler<[string, string]>).handler.call(context, code, id) as { code: string } | null,
    watchChange: (id: string) => raw.watchChange!.call(context, id, { event: 'update' }),
  };
}

const outs: string[] = [];
beforeAll(linkResil);
afterAll(() => outs.forEach(removeOut));

describe('the resil unplugin factory', () => {
  it.each(['esbuild', 'vite'] as const)('serves, in %s, the text emitModule writes for the same project', (framework) => {
    const tsconfig = join(fixture, 'tsconfig.json');
    const p = plugin(framework, tsconfig);
    const resolved = p.resolve(VIRTUAL_MODULE_ID);
    expect(resolved).toEqual({ id: join(fixture, 'src', 'resil.generated.ts'), moduleSideEffects: true });
    expect(p.load(resolved!.id)).toBe(emitModule(analyzeProject({ tsconfig })));
    expect(p.context.error).not.toHaveBeenCalled();
  });

  it('serves the same module with its types stripped in Rollup, which compiles no TypeScript', () => {
    const tsconfig = join(fixture, 'tsconfig.json');
    const p = plugin('rollup', tsconfig);
    const { id } = p.resolve(VIRTUAL_MODULE_ID)!;
    expect(id).toBe(join(fixture, 'src', 'resil.generated.js'));
    const compilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext };
    expect(p.load(id)).toBe(ts.transpileModule(emitModule(analyzeProject({ tsconfig })), { compilerOptions, fileName: id }).outputText);
  });

  it('adds the import on the first line of modules that import resil, after directives', () => {
    const p = plugin('vite', join(fixture, 'tsconfig.json'));
    const first = `import '${VIRTUAL_MODULE_ID}';`;
    expect(p.transform("import { Retry } from 'resil';\nexport class A {}\n")?.code).toBe(`${first}import { Retry } from 'resil';\nexport class A {}\n`);
    expect(p.transform("// a comment\n'use client';\nimport * as r from \"resil\";\n")?.code).toBe(`// a comment\n'use client';\n${first}import * as r from "resil";\n`);
    expect(p.transform("#!/usr/bin/env node\nimport 'resil';")?.code).toBe(`#!/usr/bin/env node\n${first}import 'resil';`);
    expect(p.transform("import type { RetryOptions } from 'resil';\n")).toBeNull();
    expect(p.transform("import { Retry } from 'resil-like';\n")).toBeNull();
  });

  it('imports the module by its path in webpack, which reads virtual: as a URL scheme, and requires it from CommonJS', () => {
    const p = plugin('webpack', join(fixture, 'tsconfig.json'));
    const path = join(fixture, 'src', 'resil.generated.js');
    expect(p.transform("import { Retry } from 'resil';")?.code).toBe(`import ${JSON.stringify(path)};import { Retry } from 'resil';`);
    expect(p.transform('"use strict";\nconst resil_1 = require("resil");')?.code).toBe(`"use strict";\nrequire(${JSON.stringify(path)});const resil_1 = require("resil");`);
    expect(p.resolve(path)).toEqual({ id: path, moduleSideEffects: true });
  });

  it('keeps its analysis until a TypeScript file changes, then analyses again', () => {
    const project = outDir('unplugin-watch');
    outs.push(project);
    cpSync(join(fixture, 'src'), join(project, 'src'), { recursive: true });
    cpSync(join(fixture, 'tsconfig.json'), join(project, 'tsconfig.json'));
    const p = plugin('vite', join(project, 'tsconfig.json'));
    const id = p.resolve(VIRTUAL_MODULE_ID)!.id;
    const first = p.load(id);
    expect(first).not.toContain('OrderService.cancel');

    const orders = join(project, 'src', 'orders.ts');
    const cancel = `\n  @Retry()\n  async cancel(id: number): Promise<number> {\n    return id;\n  }\n}\n`;
    writeFileSync(orders, readFileSync(orders, 'utf8').replace(/\n}\n$/, cancel));
    expect(p.load(id)).toBe(first);
    p.watchChange(orders);
    const second = p.load(id);
    expect(second).toContain('"OrderService.cancel": {');
    expect(second).toBe(emitModule(analyzeProject({ tsconfig: join(project, 'tsconfig.json') })));
  });

  it('reports every error in one build error and each warning as a warning', () => {
    const p = plugin('esbuild', join(errorsFixture, 'tsconfig.json'));
    p.load(p.resolve(VIRTUAL_MODULE_ID)!.id);
    expect(p.context.error).toHaveBeenCalledTimes(1);
    const message = p.context.error.mock.calls[0]![0] as string;
    expect(message).toContain(
      ['src/orders.ts:6:3 - error RSL1004: @Retry on Orders.total must wait, so Orders.total must return a promise; it returns number', '', '6 |   @Again({ maxAttempts: 3 })', '  |   ^'].join('\n'),
    );
    expect([...message.matchAll(/ - error (RSL\d{4})/g)].map((m) => m[1])).toEqual(['RSL1004', 'RSL1001', 'RSL1005', 'RSL1006']);
    expect(p.context.warn.mock.calls.map((c) => String(c[0]).split('\n')[0])).toEqual([expect.stringMatching(/^resil: src\/orders\.ts:26:3 - warning RSL1011: /)]);
  });

  it('refuses, as a build error, a tsconfig that does not exist', () => {
    const p = plugin('esbuild', join(fixture, 'no-such-tsconfig.json'));
    expect(p.load(p.resolve(VIRTUAL_MODULE_ID)!.id)).toBeNull();
    expect(p.context.error).toHaveBeenCalledWith(expect.stringMatching(/^resil: no tsconfig at .*no-such-tsconfig\.json; give the plugin's tsconfig option$/));
  });
});
