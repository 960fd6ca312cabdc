/**
 * Where the package's own files are, run from source (`src/core/package.ts`, in a clone) or compiled
 * (`dist/src/core/package.js`, as published): the compiled tree mirrors the source under `dist/`, beside
 * package.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const compiled = !import.meta.filename.endsWith('.ts');
/** The folder the code runs from: the repository's root from source, `dist/` compiled. */
export const CODE_ROOT = join(import.meta.dirname, '..', '..');

/** The Playwright config pushcheck's runs use, in the language the rest of the code runs in. */
export const PLAYWRIGHT_CONFIG = join(CODE_ROOT, compiled ? 'playwright.config.js' : 'playwright.config.ts');

/** The version in package.json. */
export const PACKAGE_VERSION = (
  JSON.parse(readFileSync(join(CODE_ROOT, compiled ? '..' : '.', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;
