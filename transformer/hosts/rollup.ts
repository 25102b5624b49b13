/**
 * `resil/rollup`: the resil plugin for Rollup (SPEC §6), one of the {@link resilUnplugin} hosts.
 *
 * ```ts
 * // rollup.config.js (with a TypeScript plugin for your own files)
 * import resil from 'resil/rollup';
 * export default { input: 'src/main.ts', plugins: [resil(), typescript()] };
 * ```
 */
import type { UnpluginInstance } from 'unplugin';
import { resilUnplugin, type ResilPluginOptions } from './unplugin.js';

export type { ResilPluginOptions } from './unplugin.js';

/** The resil plugin for Rollup: `resil({ tsconfig? })`. */
const resil: UnpluginInstance<ResilPluginOptions | undefined, false>['rollup'] = resilUnplugin.rollup;
export default resil;
