/**
 * Loads a profile's JSON Schemas (2020-12) into one ajv instance, so every body pushcheck builds, and every
 * body the reference receivers accept, is checked against the same documents the specs publish.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PACKAGE_VERSION } from './package.ts';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';

/**
 * ajv and its formats, loaded when a schema set is first made: Playwright's runner imports the suites only to
 * list their cases, and needs neither (about 0.1 s of its start-up).
 */
let ajvModules: { Ajv: typeof Ajv2020; addFormats: (ajv: Ajv2020) => Ajv2020 } | undefined;
function ajvModule(): NonNullable<typeof ajvModules> {
  if (!ajvModules) {
    const require = createRequire(import.meta.url);
    const formats = require('ajv-formats') as { default: (ajv: Ajv2020) => Ajv2020 };
    ajvModules = {
      Ajv: (require('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 }).Ajv2020,
      addFormats: formats.default,
    };
  }
  return ajvModules;
}

/** The root of the package (package.json, specs/), whatever the working directory, from source or dist/src/core. */
export const PACKAGE_ROOT = join(
  import.meta.dirname,
  '..',
  '..',
  import.meta.filename.endsWith('.ts') ? '' : '..',
);

/** Validators of one profile, by schema file name (`push.json`), each compiled when first asked for. */
export interface SchemaSet {
  /** The schema files, by name. */
  readonly files: readonly string[];
  /** Reports every error: for what a receiver sent, or to explain a failure. */
  validator(file: string): ValidateFunction;
  /**
   * Stops at the first error, about twice as fast on a schema with `oneOf`: for what pushcheck builds itself,
   * which is valid unless pushcheck has a bug (a burst builds thousands a second). On a failure, ask
   * {@link validator} for every error.
   */
  quickValidator(file: string): ValidateFunction;
}

/** Thrown when a schema file does not parse or compile: the spec itself is malformed. */
export class SpecError extends Error {}

function newAjv(allErrors: boolean, validateSchema = true): Ajv2020 {
  const { Ajv, addFormats } = ajvModule();
  const ajv = new Ajv({ strict: true, allErrors, validateSchema });
  addFormats(ajv);
  return ajv;
}

/**
 * Reads and parses every `*.json` under `<specsDir>/<profile>/schemas/`, reporting a file that is not JSON or
 * has no `$id` at once. Each schema compiles when its validator is first asked for, and is not checked against
 * the meta-schema: a Playwright worker needs a few validators of each profile it runs, and compiling every
 * schema of a profile, and the meta-schema, cost it about 100 ms per profile (half a second for the demo's
 * shared workers). {@link checkSchemas} does both for every file, for the CLI's check before any case runs.
 */
export function loadSchemas(profile: string, specsDir = join(PACKAGE_ROOT, 'specs')): SchemaSet {
  return load(profile, specsDir, false);
}

function load(profile: string, specsDir: string, validateSchema: boolean): SchemaSet {
  const dir = join(specsDir, profile, 'schemas');
  const where = (file: string) => `specs/${profile}/schemas/${file}`;
  const ajv = newAjv(true, validateSchema);
  const ids = new Map<string, string>();
  const parsed: object[] = [];
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    throw new SpecError(`specs/${profile}/schemas/ is missing`);
  }
  for (const file of files) {
    let schema: { $id?: string };
    try {
      schema = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { $id?: string };
    } catch (err) {
      throw new SpecError(`${where(file)} is not valid JSON: ${(err as Error).message}`);
    }
    if (typeof schema.$id !== 'string') throw new SpecError(`${where(file)} has no $id`);
    try {
      ajv.addSchema(schema);
    } catch (err) {
      throw new SpecError(`${where(file)} is not a valid schema: ${(err as Error).message}`);
    }
    ids.set(file, schema.$id);
    parsed.push(schema);
  }
  const compileIn = (instance: Ajv2020, file: string): ValidateFunction => {
    const id = ids.get(file);
    if (id === undefined) throw new SpecError(`${where(file)} does not exist`);
    try {
      const validate = instance.getSchema(id);
      if (!validate) throw new Error('ajv returned no validator');
      return validate;
    } catch (err) {
      throw new SpecError(`${where(file)} does not compile: ${(err as Error).message}`);
    }
  };
  const compiled = new Map<string, ValidateFunction>();
  // Most runs never ask for a quick validator: its instance is made on first use.
  let quick: Ajv2020 | undefined;
  const quickCompiled = new Map<string, ValidateFunction>();
  return {
    files,
    validator(file) {
      let validate = compiled.get(file);
      if (!validate) {
        validate = compileIn(ajv, file);
        compiled.set(file, validate);
      }
      return validate;
    },
    quickValidator(file) {
      let validate = quickCompiled.get(file);
      if (!validate) {
        if (!quick) {
          quick = newAjv(false, false);
          for (const schema of parsed) quick.addSchema(schema);
        }
        validate = compileIn(quick, file);
        quickCompiled.set(file, validate);
      }
      return validate;
    },
  };
}

/**
 * Loads every schema of a profile, checks it against the meta-schema and compiles it, so that a malformed spec
 * is reported at once, by file, before any case runs (`pushcheck run` and `pushcheck demo` call it). Throws
 * {@link SpecError}.
 */
export function checkSchemas(profile: string, specsDir = join(PACKAGE_ROOT, 'specs')): void {
  const stamp = checkedStamp(profile, specsDir);
  if (stamp !== undefined && existsSync(stamp)) return;
  const schemas = load(profile, specsDir, true);
  for (const file of schemas.files) schemas.validator(file);
  if (stamp === undefined) return;
  try {
    mkdirSync(dirname(stamp), { recursive: true, mode: 0o700 });
    writeFileSync(stamp, '');
  } catch {
    // Unrecorded, the next run checks the same files again: slower, never wrong.
  }
}

/**
 * Where {@link checkSchemas} records that a profile's schema files, byte for byte, passed its check under this
 * version of pushcheck and of ajv: an empty file named by their digest, in the user's cache folder ($XDG_CACHE_HOME,
 * else ~/.cache), never in the temporary folder, where a run leaves nothing. The check (the
 * meta-schema compiled, every schema compiled) costs half a second of CPU and a dozen MiB at every run's start;
 * a changed file has another digest and is checked again. Undefined when the files cannot be read (the check
 * then reports why).
 */
function checkedStamp(profile: string, specsDir: string): string | undefined {
  try {
    const dir = join(specsDir, profile, 'schemas');
    const hash = createHash('sha256');
    const ajvVersion = (createRequire(import.meta.url)('ajv/package.json') as { version: string }).version;
    hash.update(`pushcheck ${PACKAGE_VERSION}\0ajv ${ajvVersion}\0${resolve(dir)}\0`);
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      hash
        .update(`${file}\0`)
        .update(readFileSync(join(dir, file)))
        .update('\0');
    }
    const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
    return join(cache, 'pushcheck', 'checked-specs', hash.digest('hex'));
  } catch {
    return undefined;
  }
}

/** ajv's errors as one line each: "/data/status must be equal to one of the allowed values". */
export function formatErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`).join('; ');
}
