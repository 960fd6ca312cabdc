/**
 * The run configuration the CLI hands to the Playwright workers (in one environment variable), and the
 * redaction every report and log goes through.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TlsOptions } from './http.ts';
import type { ObserverSpec } from './observers.ts';
import type { Level } from './case.ts';

export const CONFIG_ENV = 'PUSHCHECK_CONFIG';
/** How many of those runs go side by side (each run's own cases go one at a time). */
export const WORKERS_ENV = 'PUSHCHECK_WORKERS';
/** A receiver pushcheck started for the run (src/core/launchers.ts). */
export interface LaunchedReceiver {
  /** `process` or `container`. */
  kind: string;
  /** The command, or the image and container id. */
  what: string;
  /** Milliseconds from launch to ready. */
  readyMs: number;
  /** Its stdout and stderr; the report quotes the end of it, redacted. */
  logFile: string;
}

export interface RunConfig<S = unknown> {
  profile: string;
  /** The receiver's URL. */
  target: string;
  /** What the profile made of its own options (src/core/profile.ts `configure`). */
  settings: S;
  /** Every secret of the run: never printed, never written unredacted. */
  secrets: string[];
  /** The profile's mode, when it has one ("secure mode"). */
  mode?: string;
  observeFile?: string;
  /** The run's observer, when it is not `observeFile` (src/core/observers.ts). */
  observer?: ObserverSpec;
  /** The receiver's provider-state hook (`--state-url`, src/core/state.ts), for the cases that need a state. */
  stateUrl?: string;
  /** How an https:// target's certificate is checked (`--ca`, `--insecure`). */
  tls?: TlsOptions;
  /** The receiver pushcheck launched (`--receiver-cmd`, `--receiver-image`). */
  receiver?: LaunchedReceiver;
  /** Reproduces every generated value (nonces, payloads, keys searched for). */
  seed: number;
  /** Makes message ids and markers unique to this run, so reruns do not collide in a receiver's memory. */
  runTag: string;
  reportDir: string;
  strict: boolean;
  /** The lowest level whose failures fail the run (`--fail-on`); absent: SHOULD when strict, else MUST. */
  failOn?: Level;
  /** The expectations file the gate weighs (src/report/expectations.ts), as the CLI read it. */
  expectations?: {
    file: string;
    entries: Record<string, { outcome: 'failed' | 'not-assessed'; reason: string }>;
  };
  /** Names the receiver in published reports (`--label`). */
  label?: string;
  /** `I/N`: this run is part I of N (Playwright's `--shard`); `pushcheck report merge` joins the parts. */
  shard?: string;
  /** Only the cases whose title matches (recorded in the report, so a subset is never mistaken for a run). */
  grep?: string;
  /** The protocol's per-request deadline (the profile's `deadlineMs`). */
  deadlineMs: number;
  /** How long a processed message may take to reach the observer. */
  observeTimeoutMs: number;
}

/** The last configuration read, so that a case does not parse it again. */
let parsed: { raw: string; runs: RunConfig[] } | undefined;

/**
 * The runs of one Playwright process, in order: the CLI passes one run, or several (a demo, a config file's
 * targets). Each case is registered once per run of its profile (suites/fixtures.ts `defineConformance`), so
 * that the runs share Playwright's workers. Undefined when none was passed.
 */
export function runConfigs(): RunConfig[] | undefined {
  const raw = process.env[CONFIG_ENV];
  if (!raw) return undefined;
  if (parsed?.raw !== raw) {
    const value = JSON.parse(raw) as RunConfig | RunConfig[];
    parsed = { raw, runs: Array.isArray(value) ? value : [value] };
  }
  return parsed.runs;
}

/** The name of the `index`th run in Playwright's titles: its label, or the profile and its place. */
export function runTitle(runs: readonly RunConfig[], index: number): string {
  const run = runs[index];
  if (!run) throw new Error(`no run ${index}`);
  return run.label ?? (runs.length === 1 ? run.profile : `${run.profile} #${index + 1}`);
}

/**
 * Where Playwright's artifacts go when several runs share one process: a scratch folder named for the first
 * run, which pushcheck removes when the runner is gone (Playwright writes its last-run file there at the very
 * end). A single run's go beside its report. Undefined for a single run.
 */
export function artifactsScratch(runs: readonly Pick<RunConfig, 'runTag'>[]): string | undefined {
  return runs.length > 1 ? join(tmpdir(), `pushcheck-artifacts-${runs[0]?.runTag ?? 'none'}`) : undefined;
}

/** The lock that keeps a run's cases one at a time: no case's timing is another's load on the same receiver. */
export function runLock(index: number): string {
  return `pushcheck-run-${index}`;
}

/** Per case: the worst is several requests each cut off at the deadline (5 s for OneNET). */
export const CASE_TIMEOUT_MS = 90_000;

/** A case's time limit in a run: a longer deadline (Control iD's --request-timeout) gets as many cut-offs. */
export function caseTimeoutMs(run: Pick<RunConfig, 'deadlineMs'>): number {
  return Math.max(CASE_TIMEOUT_MS, 6 * run.deadlineMs);
}

/**
 * Reads the `index`th run's configuration in a worker or the reporter; throws a message for people, not a stack,
 * when it is absent.
 */
export function readRunConfig(index = 0): RunConfig {
  const runs = runConfigs();
  const run = runs?.[index];
  if (!run) {
    throw new Error(`${CONFIG_ENV} is not set: run the suite with \`pushcheck run\` (or \`pushcheck demo\`)`);
  }
  return run;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Secrets this long are replaced wherever they occur; shorter ones only where they stand as a word. */
const ANYWHERE_LENGTH = 8;

/**
 * Replaces every secret (raw or percent-encoded), and the password of a URL's credentials, with a
 * placeholder. A short secret is replaced only where no letter or digit touches it, so that a token like `t`
 * does not garble every word, and so give itself away by the gaps.
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text.replace(/(\/\/[^/:@\s]+:)[^@/\s]+@/g, '$1[REDACTED]@');
  for (const secret of secrets) {
    for (const form of new Set([secret, encodeURIComponent(secret)])) {
      if (form.length === 0) continue;
      out =
        form.length >= ANYWHERE_LENGTH
          ? out.replaceAll(form, '[REDACTED]')
          : out.replace(
              new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(form)}(?![A-Za-z0-9])`, 'g'),
              '[REDACTED]',
            );
    }
  }
  return out;
}

/**
 * The secrets a target URL carries: its password, and the Basic credentials made of it (a receiver that
 * echoes request headers would show them).
 */
export function targetSecrets(target: string): string[] {
  try {
    const url = new URL(target);
    if (!url.password) return [];
    const password = decodeURIComponent(url.password);
    const basic = `${decodeURIComponent(url.username)}:${password}`;
    return [password, Buffer.from(basic).toString('base64')];
  } catch {
    return [];
  }
}

/** {@link redact} applied to every string in a JSON-like value, before it is serialized or escaped. */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === 'string') return redact(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, secrets)])) as T;
  }
  return value;
}
