/**
 * `resil/esbuild`: the resil plugin for esbuild (SPEC §6), one of the {@link resilUnplugin} hosts.
 *
 * ```ts
 * import { build } from 'esbuild';
 * import resil from 'resil/esbuild';
 * await build({ entryPoints: ['src/main.ts'], bundle: true, platform: 'node', format: 'esm', plugins: [resil()] });
 * ```
 */
import type { UnpluginInstance } from 'unplugin';
import { resilUnplugin, type ResilPluginOptions } from './unplugin.js';

export type { ResilPluginOptions } from './unplugin.js';

/** The resil plugin for esbuild: `resil({ tsconfig? })`. */
const resil: UnpluginInstance<ResilPluginOptions | undefined, false>['esbuild'] = resilUnplugin.esbuild;
export default resil;
