/** Errors for people: the CLI prints the message alone and exits with the code the README's table gives. */
import { constants } from 'node:os';

/** The exit codes of every command (README "Exit codes"). */
export const EXIT = {
  /** The gate passed: conformant, or every failure is known or below the gate's level. */
  conformant: 0,
  /** A failure at the gate's level. */
  nonConformant: 1,
  /** Nothing was assessed: bad usage or input, an output path that cannot be written, a wrong target. */
  couldNotRun: 2,
  /** The run ran, but the gate lacks assessments it needs (no observer, a run stopped early). */
  incomplete: 3,
} as const;

/** An error whose message is for the user: what is wrong and what to do. */
export class UsageError extends Error {}

/** A run stopped by a signal (Ctrl-C, SIGTERM, SIGHUP): the CLI exits with 128 and the signal's number. */
export class Interrupted extends Error {
  constructor(
    readonly signal: NodeJS.Signals,
    message: string,
  ) {
    super(message);
  }

  get exitCode(): number {
    return 128 + (constants.signals[this.signal] ?? 0);
  }
}

/** Throws a {@link UsageError}. */
export function usage(message: string): never {
  throw new UsageError(message);
}

/** An integer option's value, or `fallback` when absent; a UsageError names the option when out of range. */
export function integerOption(
  value: unknown,
  name: string,
  fallback: number,
  min = 0,
  max = 2 ** 31 - 1,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    usage(`--${name} must be an integer from ${min} to ${max}, got "${String(value)}"`);
  }
  return Number(value);
}

/** A string option's value (the last one given), or undefined. */
export function stringOption(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A factor that compresses a schedule: above 0, at most 1; `fallback` when absent. */
export function timeScaleOption(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const f = Number(value);
  if (typeof value !== 'string' || !(f > 0 && f <= 1)) {
    usage(
      `--${name} must be a number above 0 and at most 1 (0.001 runs the 2 h 45 min retry schedule in about 10 s), got "${String(value)}"`,
    );
  }
  return f;
}

/** A number above 0 and at most 10,000 (a rate, a count of seconds), or `fallback` when the option is absent. */
export function positiveNumberOption(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !(n > 0 && n <= 10_000))
    usage(`--${name} must be a number above 0, got "${String(value)}"`);
  return n;
}
