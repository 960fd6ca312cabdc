#!/usr/bin/env node
/**
 * `npm run build`: compiles what runs (tsconfig.build.json: src, suites, mocks, specs' TypeScript and the
 * Playwright config) into dist/, JavaScript and declaration files, and copies beside it the files the compiled
 * code reads at run time: the JSON Schemas and the camera's frames. dist/ mirrors the source tree, so code that
 * finds a file from its own folder finds it there too. Incremental: an up-to-date dist/ costs about half a
 * second. `--clean` starts from an empty dist/ (prepack, the Docker image).
 *
 * Also the self-tests' global setup (playwright.config.ts): they run the CLI as users do, compiled.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

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
  // The schemas (specs/<profile>/schemas/*.json, specs/report.schema.json); not the OpenAPI documents or the
  // generated types' sources, which nothing reads at run time.
  cpSync(join(ROOT, 'specs'), join(DIST, 'specs'), {
    recursive: true,
    filter: (src) => src.endsWith('.json') || statSync(src).isDirectory(),
  });
  const camera = join('src', 'protocols', 'alertpush', 'camera');
  cpSync(join(ROOT, camera), join(DIST, camera), { recursive: true });
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
