/** What several commands share: finding a profile, reading an option early, checking a spec and an output path. */
import { randomInt } from 'node:crypto';
import { resolve } from 'node:path';
import { didYouMean } from '../core/args.ts';
import { type RunConfig, targetSecrets } from '../core/config.ts';
import { usage } from '../core/errors.ts';
import { checkOutputDir } from '../core/paths.ts';
import type { Profile } from '../core/profile.ts';
import { checkSchemas, SpecError } from '../core/schemas.ts';
import { stateUrlSecrets } from '../core/state-url.ts';
import { PROFILE_NAMES, PROFILES } from '../profiles.ts';
import { exitCodeOf } from '../report/model.ts';
import type { RunReport } from '../report/reporter.ts';

/** The profile called `name`; `missing` says what to do when no name was given. */
export function profileNamed(name: string | undefined, missing: string): Profile {
  if (!name) return usage(`${missing}: one of ${PROFILE_NAMES}`);
  const profile = PROFILES[name];
  if (!profile) {
    const hint = didYouMean(name, Object.keys(PROFILES));
    return usage(`unknown profile "${name}": known profiles are ${PROFILE_NAMES}.${hint}`);
  }
  return profile;
}

/** `path` resolved, once a folder is known to be writable there (else a UsageError naming `flag`). */
export function outputDir(path: string, flag: string): string {
  checkOutputDir(path, flag);
  return resolve(path);
}

/** The value of `--name` anywhere in `args`, before the options are known (they depend on the profile). */
export function peek(args: readonly string[], name: string): string | undefined {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const arg = args[i] ?? '';
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[i + 1];
}

/** Throws a UsageError naming the file when a shipped spec of `profile` is malformed. */
export function checkSpec(profile: string): void {
  try {
    checkSchemas(profile);
  } catch (err) {
    if (err instanceof SpecError)
      usage(`the ${profile} spec is malformed: ${err.message}. Reinstall pushcheck, or fix the file`);
    throw err;
  }
}

/** The gate's exit code of a run's report: 0 pass, 1 a new failure at the gate's level, 3 incomplete. */
export function exitCodeOfReport(report: RunReport): number {
  return exitCodeOf(report.gate);
}

/** What a run is, beyond the profile's defaults: `run` reads it from its options, `demo` from its receivers. */
export interface RunSpec<S> {
  target: string;
  settings: S;
  reportDir: string;
  strict: boolean;
  label?: string;
  observeFile?: string;
  stateUrl?: string;
  seed?: number;
  observeTimeoutMs?: number;
  /** Secrets beyond the profile's own, the state hook's and the target's. */
  secrets?: readonly string[];
}

/** The run's configuration, as Playwright's workers and the reporter read it. */
export function runConfigOf<S>(profile: Profile<S>, spec: RunSpec<S>): RunConfig {
  const mode = profile.mode?.(spec.settings);
  return {
    profile: profile.name,
    ...(spec.label !== undefined ? { label: spec.label } : {}),
    target: spec.target,
    settings: spec.settings,
    secrets: [
      ...profile.secrets(spec.settings),
      ...stateUrlSecrets(spec.stateUrl),
      ...targetSecrets(spec.target),
      ...(spec.secrets ?? []),
    ].filter((s) => s.length > 0),
    ...(mode !== undefined ? { mode } : {}),
    ...(spec.observeFile !== undefined ? { observeFile: spec.observeFile } : {}),
    ...(spec.stateUrl !== undefined ? { stateUrl: spec.stateUrl } : {}),
    seed: spec.seed ?? randomInt(0, 2 ** 31),
    // Makes message ids unique to the run, so that reruns never collide in a receiver's memory.
    runTag: String(randomInt(10_000_000, 99_999_999)),
    reportDir: spec.reportDir,
    strict: spec.strict,
    deadlineMs: profile.deadlineOf?.(spec.settings) ?? profile.deadlineMs,
    observeTimeoutMs: spec.observeTimeoutMs ?? 3000,
  };
}
