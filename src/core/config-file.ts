/**
 * The config file: a repository checks in its conformance setup, and `pushcheck run` with no flags runs it.
 * `pushcheck.config.json` (or `.ts`, `.js`, `.mjs`, whose default export is the same object) holds runs; each
 * names its profile and gives the `run` options by their long names, without the dashes. A value
 * `{ "env": "NAME" }` is read from the environment when the run starts, so secrets stay out of the file, and
 * is treated as a secret. `receiver-env` is an object of variables for the launched receiver.
 *
 * ```json
 * { "runs": [ { "name": "plain", "profile": "onenet",
 *               "options": { "receiver-cmd": "node server.mjs", "observe-log": true,
 *                            "token": { "env": "ONENET_TOKEN" },
 *                            "receiver-env": { "ONENET_TOKEN": { "env": "ONENET_TOKEN" } } } } ] }
 * ```
 * Relative paths in options stay relative to the folder pushcheck runs in; `report` defaults to
 * `reports/<name>`.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { usage, UsageError } from './errors.ts';
import { reaper } from './reaper.ts';

/** The file names `pushcheck run` looks for, in this order, when given no flags. */
export const CONFIG_FILES = [
  'pushcheck.config.ts',
  'pushcheck.config.mjs',
  'pushcheck.config.js',
  'pushcheck.config.json',
];

type Value = string | number | boolean | { env: string };

export interface ConfigRun {
  /** Names the run in the output and its report folder. */
  name: string;
  profile: string;
  options?: Record<string, Value | Value[] | Record<string, Value>>;
}

export interface ConfigFile {
  runs: ConfigRun[];
}

/** One run from the file, as `pushcheck run` arguments and the secrets read from the environment. */
export interface PlannedRun {
  name: string;
  args: string[];
  secrets: string[];
}

/** The config file in `dir`, if there is one. */
export function findConfigFile(dir: string): string | undefined {
  return CONFIG_FILES.map((f) => resolve(dir, f)).find((f) => existsSync(f));
}

async function load(file: string): Promise<unknown> {
  if (file.endsWith('.json')) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as unknown;
    } catch (err) {
      return usage(`${file} is not valid JSON: ${(err as Error).message}`);
    }
  }
  try {
    const mod = (await (file.endsWith('.ts')
      ? importTypeScript(file)
      : import(pathToFileURL(file).href))) as {
      default?: unknown;
    };
    // A CommonJS-compiled default export arrives wrapped once more.
    const value = mod.default as { default?: unknown; runs?: unknown } | undefined;
    return value && value.runs === undefined && value.default !== undefined ? value.default : value;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    return usage(`${file} did not load: ${(err as Error).message.split('\n')[0]}`);
  }
}

/**
 * Loads a TypeScript config on Node 20, which runs no TypeScript itself: the `typescript` package of the
 * project the file sits in (anyone writing a .ts config has it) strips the types, with no type check, and the
 * JavaScript is imported from a file beside the config, so that its imports (`pushcheck`'s `defineConfig`)
 * resolve from that project. One file, as a config is: imports of other .ts files do not load.
 */
async function importTypeScript(file: string): Promise<unknown> {
  let ts: typeof import('typescript') | undefined;
  // The project's own, else one beside pushcheck (a clone's, or one the project's install put there).
  for (const from of [file, import.meta.filename]) {
    try {
      ts ??= createRequire(from)('typescript') as typeof import('typescript');
    } catch {
      // not found from there
    }
  }
  if (!ts) {
    return usage(
      `${file} is TypeScript, which needs the typescript package to load: install it in your project (npm i -D typescript), or write pushcheck.config.mjs or .json instead`,
    );
  }
  const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const js = join(dirname(file), `.${basename(file, '.ts')}.${process.pid}.mjs`);
  // Removed however pushcheck ends: in the finally, or by the watchdog after a SIGKILL.
  const unwatch = reaper.path(js);
  try {
    writeFileSync(js, outputText);
  } catch (err) {
    unwatch();
    return usage(`${file} could not be loaded: writing ${js} failed (${(err as Error).message})`);
  }
  try {
    return (await import(pathToFileURL(js).href)) as unknown;
  } finally {
    rmSync(js, { force: true });
    unwatch();
  }
}

/** Reads the config file and turns each run into command-line arguments. */
export async function planRuns(file: string, env: NodeJS.ProcessEnv): Promise<PlannedRun[]> {
  if (!existsSync(file)) usage(`--config ${file}: no such file`);
  const config = (await load(file)) as Partial<ConfigFile> | undefined;
  if (!config || !Array.isArray(config.runs) || config.runs.length === 0) {
    usage(`${file} has no runs: it must hold { "runs": [ { "name", "profile", "options" } ] }`);
  }
  const names = new Set<string>();
  return config.runs.map((run, i) => {
    const where = `${file}, run ${i + 1}`;
    if (typeof run?.name !== 'string' || !/^[\w.-]+$/.test(run.name)) {
      usage(`${where}: "name" must be letters, digits, dots, dashes or underscores`);
    }
    if (names.has(run.name)) usage(`${where}: the name "${run.name}" is used twice`);
    names.add(run.name);
    if (typeof run.profile !== 'string') usage(`${where}: "profile" is required`);
    const secrets: string[] = [];
    const scalar = (key: string, v: Value): string => {
      if (typeof v === 'object' && v !== null && typeof v.env === 'string') {
        const value = env[v.env];
        if (value === undefined)
          usage(`${where}: "${key}" reads the environment variable ${v.env}, which is not set`);
        secrets.push(value);
        return value;
      }
      if (typeof v === 'string' || typeof v === 'number') return String(v);
      return usage(`${where}: "${key}" must be a string, a number, true, or { "env": "NAME" }`);
    };
    const args = ['--profile', run.profile];
    const options = run.options ?? {};
    for (const [key, v] of Object.entries(options)) {
      if (key === 'profile' || key === 'config') usage(`${where}: "${key}" belongs outside "options"`);
      if (key === 'receiver-env' && typeof v === 'object' && !Array.isArray(v) && !('env' in v)) {
        for (const [name, value] of Object.entries(v as Record<string, Value>)) {
          args.push('--receiver-env', `${name}=${scalar(`receiver-env.${name}`, value)}`);
        }
        continue;
      }
      if (v === true) args.push(`--${key}`);
      else if (v === false) continue;
      else if (Array.isArray(v)) for (const item of v) args.push(`--${key}`, scalar(key, item));
      else args.push(`--${key}`, scalar(key, v as Value));
    }
    if (!('report' in options)) args.push('--report', `reports/${run.name}`);
    return { name: run.name, args, secrets: secrets.filter((s) => s.length > 0) };
  });
}
