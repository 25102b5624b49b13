/**
 * `resil/webpack`: the resil plugin for webpack (SPEC §6), one of the {@link resilUnplugin} hosts.
 *
 * ```ts
 * // webpack.config.js (with a TypeScript loader for your own files)
 * import resil from 'resil/webpack';
 * export default { entry: './src/main.ts', plugins: [resil()] };
 * ```
 */
import type { UnpluginInstance } from 'unplugin';
import { resilUnplugin, type ResilPluginOptions } from './unplugin.js';

export type { ResilPluginOptions } from './unplugin.js';

/** The resil plugin for webpack: `resil({ tsconfig? })`. */
const resil: UnpluginInstance<ResilPluginOptions | undefined, false>['webpack'] = resilUnplugin.webpack;
export default resil;
