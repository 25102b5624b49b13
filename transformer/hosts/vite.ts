/**
 * `resil/vite`: the resil plugin for Vite (SPEC §6), one of the {@link resilUnplugin} hosts.
 *
 * ```ts
 * // vite.config.ts
 * import resil from 'resil/vite';
 * export default { plugins: [resil()] };
 * ```
 */
import type { UnpluginInstance } from 'unplugin';
import { resilUnplugin, type ResilPluginOptions } from './unplugin.js';

export type { ResilPluginOptions } from './unplugin.js';

/** The resil plugin for Vite: `resil({ tsconfig? })`. */
const resil: UnpluginInstance<ResilPluginOptions | undefined, false>['vite'] = resilUnplugin.vite;
export default resil;
