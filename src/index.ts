/**
 * What a project imports from the package: `defineConfig` types its `pushcheck.config.ts`.
 *
 * ```ts
 * import { defineConfig } from 'pushcheck';
 * export default defineConfig({ runs: [{ name: 'local', profile: 'onenet', options: { target: '…' } }] });
 * ```
 */
import type { ConfigFile } from './core/config-file.ts';

export type { ConfigFile, ConfigRun } from './core/config-file.ts';

/** Returns the config as given: it only lets the editor and `tsc` check it against {@link ConfigFile}. */
export function defineConfig(config: ConfigFile): ConfigFile {
  return config;
}
