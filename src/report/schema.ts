/** Validates a report.json against specs/report.schema.json (JSON Schema 2020-12). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { formatErrors, PACKAGE_ROOT } from '../core/schemas.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

export const REPORT_SCHEMA = join(PACKAGE_ROOT, 'specs', 'report.schema.json');

let compiled: ValidateFunction | undefined;

/** The problems of `report` against the schema, one line each; empty when it is valid. */
export function reportProblems(report: unknown): string {
  if (!compiled) {
    // strictRequired would reject the if/then that makes a failed case carry expected, actual and its wire log.
    const ajv = new Ajv2020({ strict: true, strictRequired: false, allowUnionTypes: true, allErrors: true });
    addFormats(ajv);
    compiled = ajv.compile(JSON.parse(readFileSync(REPORT_SCHEMA, 'utf8')) as object);
  }
  return compiled(report) ? '' : formatErrors(compiled.errors);
}
