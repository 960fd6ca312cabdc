#!/usr/bin/env node
/**
 * `npm run build`: compiles what runs (tsconfig.build.json: src, suites, mocks, specs' TypeScript and the
 * Playwright config) into dist/, JavaScript and declaration files, and copies beside it the camera's frames,
 * which the compiled code finds from its own folder (dist/ mirrors the source tree). The JSON Schemas are read
 * from the package's specs/ (PACKAGE_ROOT in src/core/schemas.ts), from source and compiled alike. In a clone,
 * source maps take Playwright's case locations (the reporter's annotations) back to the TypeScript; the package
 * leaves them out, and its annotations point at its own JavaScript. Incremental: an up-to-date dist/ costs
 * about half a second. `--clean` starts from an empty dist/.
 *
 * Also the self-tests' global setup (playwright.config.ts): they run the CLI as users do, compiled.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');

/** Compiles, then copies the run-time files; throws one sentence when the compiler reports errors. */
export function build({ clean = false } = {}) {
  if (clean) rmSync(DIST, { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const compiled = spawnSync(process.execPath, [tsc, '-b', join(ROOT, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
  if (compiled.status !== 0) throw new Error('the build failed: the TypeScript errors are above');
  cpSync(join(ROOT, CAMERA), join(DIST, CAMERA), { recursive: true });
  prune(DIST);
}

/** The run-time files build() copies, by their folder. */
const CAMERA = join('src', 'protocols', 'alertpush', 'camera');

/**
 * Removes what no source makes any more (a deleted or renamed .ts file's outputs), so that an incremental
 * build packs no stale file and prepack need not empty dist/ under the self-tests that run it.
 */
function prune(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name);
    const rel = relative(DIST, file);
    if (entry.isDirectory()) {
      prune(file);
      if (readdirSync(file).length === 0) rmSync(file, { recursive: true });
      continue;
    }
    if (rel === '.tsbuildinfo') continue;
    const source = rel.replace(/(\.d)?\.js(\.map)?$|\.d\.ts(\.map)?$/, '.ts');
    const made = source.endsWith('.ts') && existsSync(join(ROOT, source));
    const copied = rel.startsWith(CAMERA) && existsSync(join(ROOT, rel));
    if (!made && !copied) rmSync(file);
  }
}

/** The self-tests' global setup. */
export default function globalSetup() {
  build();
}

if (process.argv[1] === import.meta.filename) {
  const started = performance.now();
  try {
    build({ clean: process.argv.includes('--clean') });
    console.error(`built dist/ in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (err) {
    console.error(err.message);
    process.exitCode = 1;
  }
}
