/**
 * What the package's and the Docker image's tests share: programs run to their end or in the background (in
 * a process group of their own, stopped as one), and a report checked against specs/report.schema.json.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@playwright/test';
import { reportProblems } from '../src/report/schema.ts';
import { cleanEnv } from './helpers.ts';
export { waitForPort } from './helpers.ts';

export interface Ran {
  code: number;
  out: string;
  err: string;
}

/** Runs a program to its end in `cwd` (never rejects; bounded by `timeoutMs`). */
export function sh(file: string, args: string[], cwd: string, timeoutMs = 120_000, env = {}): Promise<Ran> {
  return new Promise((done) => {
    execFile(
      file,
      args,
      { cwd, env: cleanEnv(env), timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (err, out, errText) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        done({ code, out, err: errText });
      },
    );
  });
}

/** Starts a program in the background, in its own process group (npx's children go with it). */
export function background(
  file: string,
  cwd: string,
  args: string[],
): { child: ChildProcess; output: () => string } {
  const child = spawn(file, args, {
    cwd,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  return { child, output: () => text };
}

/** Stops a background command and everything it started. */
export function stop(child: ChildProcess | undefined): void {
  if (child?.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** Resolves with its exit code, or -1 once `timeoutMs` has passed. */
export function exitOf(child: ChildProcess, timeoutMs: number): Promise<number> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) => {
    const timer = setTimeout(() => done(-1), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      done(code ?? -1);
    });
  });
}

/** The report of DIR, after checking it against specs/report.schema.json. */
export function validReport(dir: string): { verdict: string; summary: { passed: number } } {
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
    verdict: string;
    summary: { passed: number };
  };
  expect(reportProblems(report), `${dir}/report.json against specs/report.schema.json`).toBe('');
  return report;
}
