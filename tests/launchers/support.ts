/**
 * What the launcher, observer, TLS and config-file tests share: the example receiver, the images built from
 * it with no registry, PostgreSQL, and what to do when Docker or PostgreSQL is missing (CI must have them:
 * .ci/run starts them; elsewhere the tests that need them say so loudly and skip).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from '@playwright/test';
import { ROOT } from '../helpers.ts';
export { listening } from '../helpers.ts';

export const EXAMPLE = join(ROOT, 'examples', 'onenet-receiver');
export const EXAMPLE_SERVER = join(EXAMPLE, 'server.mjs');
/** The image the example's Dockerfile builds, as its pushcheck.config.json names it. */
export const EXAMPLE_IMAGE = 'pushcheck/onenet-example:local';
export const NODE_IMAGE = 'pushcheck/node:local';
/** The role and database scripts/ci-services.sh creates. */
export const PG_ADMIN_URL = 'postgresql://pushcheck:pushcheck@127.0.0.1:5432/pushcheck';

/** Runs a program; resolves with its exit code and output (never rejects). */
export function sh(
  file: string,
  args: string[],
  timeoutMs = 120_000,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    execFile(file, args, { timeout: timeoutMs, env, maxBuffer: 8 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      done({ code, out: `${stdout}${stderr}` });
    });
  });
}

/**
 * Skips the calling test, loudly, when `what` is missing on a developer's machine; fails it on CI, where
 * .ci/run must have provided it.
 */
export function requireService(available: boolean, what: string): void {
  if (available) return;
  const message = `${what} is not available: this test did NOT run (scripts/ci-services.sh installs and starts it)`;
  if (process.env.CI) throw new Error(message);
  console.warn(`\n!!! ${message}\n`);
  test.info().annotations.push({ type: 'NOT RUN', description: message });
  test.skip(true, message);
}

export async function dockerAvailable(): Promise<boolean> {
  return (await sh('docker', ['info'], 20_000)).code === 0;
}

/** Builds the Node base image and the example receiver's image (both cached by Docker). */
export async function buildExampleImage(): Promise<void> {
  const base = await sh('bash', [join(ROOT, 'scripts', 'node-image.sh'), NODE_IMAGE], 300_000);
  if (base.code !== 0) throw new Error(`building ${NODE_IMAGE} failed: ${base.out}`);
  const built = await sh(
    'docker',
    ['build', '-q', '--build-arg', `NODE_IMAGE=${NODE_IMAGE}`, '-t', EXAMPLE_IMAGE, EXAMPLE],
    300_000,
  );
  if (built.code !== 0) throw new Error(`building ${EXAMPLE_IMAGE} failed: ${built.out}`);
}

/** The ids of every container, running or not, made from `image`. */
export async function containersOf(image: string): Promise<string[]> {
  const r = await sh('docker', ['ps', '-a', '-q', '--filter', `ancestor=${image}`], 20_000);
  return r.out.split('\n').filter(Boolean);
}

export async function postgresAvailable(): Promise<boolean> {
  return (await sh('psql', [PG_ADMIN_URL, '-Atc', 'select 1'], 10_000)).code === 0;
}

/** A fresh database for one test; `drop()` removes it. */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `pushcheck_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  const created = await sh('psql', [PG_ADMIN_URL, '-Atc', `create database ${name}`], 20_000);
  if (created.code !== 0) throw new Error(`create database failed: ${created.out}`);
  return {
    url: PG_ADMIN_URL.replace(/\/pushcheck$/, `/${name}`),
    drop: async () => {
      await sh('psql', [PG_ADMIN_URL, '-Atc', `drop database if exists ${name} with (force)`], 20_000);
    },
  };
}

export { freePort } from '../helpers.ts';
