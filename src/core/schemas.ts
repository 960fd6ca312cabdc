/**
 * Loads a profile's JSON Schemas (2020-12) into one ajv instance, so every body pushcheck builds, and every
 * body the reference receivers accept, is checked against the same documents the specs publish.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** The root of the package, whatever the working directory. */
export const PACKAGE_ROOT = join(import.meta.dirname, '..', '..');

/** Compiled validators of one profile, by schema file name (`push.json`). */
export interface SchemaSet {
  validator(file: string): ValidateFunction;
}

/** Thrown when a schema file does not parse or compile: the spec itself is malformed. */
export class SpecError extends Error {}

/** Reads every `*.json` under `specs/<profile>/schemas/` and compiles them. */
export function loadSchemas(profile: string): SchemaSet {
  const dir = join(PACKAGE_ROOT, 'specs', profile, 'schemas');
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  const ids = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    let schema: { $id?: string };
    try {
      schema = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { $id?: string };
    } catch (err) {
      throw new SpecError(`specs/${profile}/schemas/${file} is not valid JSON: ${(err as Error).message}`);
    }
    if (!schema.$id) throw new SpecError(`specs/${profile}/schemas/${file} has no $id`);
    ajv.addSchema(schema);
    ids.set(file, schema.$id);
  }
  return {
    validator(file) {
      const id = ids.get(file);
      if (!id) throw new SpecError(`specs/${profile}/schemas/${file} does not exist`);
      try {
        const validate = ajv.getSchema(id);
        if (!validate) throw new Error('not compiled');
        return validate;
      } catch (err) {
        throw new SpecError(`specs/${profile}/schemas/${file} does not compile: ${(err as Error).message}`);
      }
    },
  };
}

/** ajv's errors as one line each: "/data/status must be equal to one of the allowed values". */
export function formatErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`).join('; ');
}
