/**
 * The fuzzer (`pushcheck run --fuzz N`): N structural mutations of valid messages, each followed by a
 * liveness probe (a fresh valid message must still be acked, or the profile's own probe answered). A failure
 * is shrunk by fast-check to the least damage that still shows it (unless the receiver stopped answering,
 * when nothing smaller can be tried), and reported with the exact bytes and a `curl` line. Seeded by the
 * run's `--seed`, bounded in time, and protocol-agnostic: the profile's fuzz hook gives the valid messages.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describeResponse } from '../core/case.ts';
import { redact } from '../core/config.ts';
import { type Exchange, send } from '../core/http.ts';
import type { FuzzHook, FuzzMessage, FuzzProbe, FuzzSession } from '../core/profile.ts';
import { createRng } from '../core/rng.ts';
import { applyMutation, type Mutated, type Mutation, mutation } from './mutations.ts';

/** The whole fuzz, shrinking included, stops here; what ran by then is reported. */
export const FUZZ_BUDGET_MS = 120_000;

export interface FuzzOptions<S> {
  hook: FuzzHook<S>;
  settings: S;
  target: string;
  seed: number;
  runTag: string;
  /** Inputs to try. */
  inputs: number;
  /** Each request is cut off here (the profile's deadline). */
  deadlineMs: number;
  /** Where `fuzz.json` and the failing body go. */
  reportDir: string;
  secrets: readonly string[];
  budgetMs?: number;
  /**
   * Starts the receiver afresh (one pushcheck launched): an input that kills it is then shrunk against a live
   * receiver each time, instead of every later input meeting a dead one.
   */
  restart?: () => Promise<void>;
}

/** At most this many restarts in one fuzz: the shrinker's attempts that kill the receiver, each costing one. */
export const MAX_RESTARTS = 100;

export interface FuzzFinding {
  /** What the smallest failing input does to the valid message. */
  input: string;
  /** Why it failed: the answer to it, or the liveness probe's. */
  failure: string;
  /** Reproduces the input; its body is `bodyFile`. */
  curl: string;
  bodyFile: string;
  bodyBytes: number;
  shrinks: number;
  /** The first failing input, before shrinking: a receiver that stays broken fails every later input. */
  firstInput: string;
  firstBodyBytes: number;
  firstFailure: string;
  /**
   * The receiver no longer answered once the fuzz ended: every input after the first failing one met a dead
   * receiver, so shrinking showed nothing and the input reported (and written) is the first failing one.
   */
  stoppedAnswering: boolean;
  /**
   * How often pushcheck restarted the receiver it launched because an input killed it: each smaller input was
   * tried against a live receiver, so the input reported is the smallest one that kills it.
   */
  restarts: number;
}

export interface FuzzReport {
  seed: number;
  requested: number;
  /** Inputs run (to the first failure, when one failed). */
  ran: number;
  interrupted: boolean;
  durationMs: number;
  finding: FuzzFinding | null;
  /** Why no input was sent: what the receiver needs first could not be set up (a sentence). */
  notRun?: string;
  /** What the fuzz set up and could not remove after (a sentence). */
  cleanup?: string;
}

interface Attempt {
  mutated: Mutated;
  message: FuzzMessage;
  failure: string;
}

/** A shell-quoted string. */
function q(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

function curlFor(
  url: string,
  msg: FuzzMessage,
  mutated: Mutated,
  bodyFile: string,
  deadlineMs: number,
): string {
  const headers = Object.entries(mutated.headers).flatMap(([k, v]) => ['-H', q(`${k}: ${v}`)]);
  // curl adds a form Content-Type to --data-binary unless told otherwise; an empty value removes it.
  if (!Object.keys(mutated.headers).some((k) => k.toLowerCase() === 'content-type'))
    headers.push('-H', q('Content-Type:'));
  const time = String(Math.ceil(deadlineMs / 1000));
  return [
    'curl',
    '-sS',
    '-i',
    '-X',
    msg.method,
    '--max-time',
    time,
    ...headers,
    '--data-binary',
    `@${q(bodyFile)}`,
    q(url),
  ].join(' ');
}

/**
 * Why an answer to bad input is a failure, or undefined: any complete answer below 500 is right. A body past
 * pushcheck's read limit does not make a status wrong (a receiver that echoes a 2 MB field answers 2 MB),
 * as the robustness cases judge the status alone.
 */
export function badAnswer(ex: Exchange): string | undefined {
  const status = ex.response?.status;
  const complete = ex.error === undefined || ex.response?.truncated === true;
  if (complete && status !== undefined && status < 500) return undefined;
  return `the mutated message got ${describeResponse(ex)}; expected any complete answer below 500`;
}

/**
 * Runs the fuzz; writes `fuzz.json` (and, on a failure, `fuzz-input.bin`) to the report folder. What the
 * profile's hook sets up first (`open`) is undone however the fuzz ends.
 */
export async function runFuzz<S>(opts: FuzzOptions<S>): Promise<FuzzReport> {
  const started = performance.now();
  let session: FuzzSession<S> | undefined;
  try {
    session = await opts.hook.open?.(opts.target, opts.settings, {
      runTag: opts.runTag,
      deadlineMs: opts.deadlineMs,
    });
  } catch (err) {
    // What the receiver needed could not be set up (no token, no stream): no input was sent.
    return written(opts, {
      seed: opts.seed,
      requested: opts.inputs,
      ran: 0,
      interrupted: false,
      durationMs: Math.round(performance.now() - started),
      finding: null,
      notRun: redact((err as Error).message, opts.secrets),
    });
  }
  let report: FuzzReport | undefined;
  try {
    report = await fuzzWith(
      session
        ? { ...opts, settings: session.settings, secrets: [...opts.secrets, ...session.secrets] }
        : opts,
      started,
    );
  } finally {
    try {
      await session?.close();
    } catch (err) {
      // The fuzz ran; what it set up stays behind, which the report says.
      if (report)
        report = written(opts, { ...report, cleanup: redact((err as Error).message, opts.secrets) });
    }
  }
  return report;
}

/** Writes `report` to `fuzz.json` in the report folder, and returns it. */
function written<S>(opts: FuzzOptions<S>, report: FuzzReport): FuzzReport {
  writeFileSync(join(opts.reportDir, 'fuzz.json'), `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

async function fuzzWith<S>(opts: FuzzOptions<S>, started: number): Promise<FuzzReport> {
  // A path ("/result?…") joins the target with one slash, whether or not the target ends with one.
  const url = (m: FuzzMessage | FuzzProbe): string =>
    m.path?.startsWith('/') ? `${opts.target.replace(/\/+$/, '')}${m.path}` : `${opts.target}${m.path ?? ''}`;
  // Valid messages come from their own stream, so probes do not shift the inputs fast-check replays.
  const rng = createRng(opts.seed, 'fuzz');
  const valid = (): FuzzMessage => opts.hook.valid(opts.settings, { runTag: opts.runTag, rng });
  const probe = (): FuzzProbe | FuzzMessage =>
    opts.hook.probe?.(opts.settings, { runTag: opts.runTag, rng }) ?? valid();
  let first: Attempt | undefined;
  let last: Attempt | undefined;
  let restarts = 0;
  const liveness = async (): Promise<{ live: FuzzProbe | FuzzMessage; ack: Exchange }> => {
    const live = probe();
    const ack = await send({
      method: live.method,
      url: url(live),
      headers: live.headers,
      ...(live.body !== undefined ? { body: live.body } : {}),
      deadlineMs: opts.deadlineMs,
      label: 'liveness probe',
    });
    return { live, ack };
  };

  const property = fc.asyncProperty(mutation, async (m: Mutation) => {
    const message = valid();
    const mutated = applyMutation(message, m);
    const ex = await send({
      method: message.method,
      url: url(message),
      headers: mutated.headers,
      body: mutated.body,
      deadlineMs: opts.deadlineMs,
      label: 'fuzz input',
    });
    let failure = badAnswer(ex);
    if (failure === undefined) {
      const { live, ack } = await liveness();
      if (!opts.hook.acked(ack)) {
        failure =
          'what' in live
            ? `after it, ${live.what} got ${describeResponse(ack)}`
            : `after it, a valid message was not acked: ${describeResponse(ack)}`;
      }
    }
    if (failure !== undefined) {
      // fast-check's counterexample is the last input that failed, so the last failure recorded is its.
      last = { mutated, message, failure };
      first ??= last;
      // A receiver the input killed is started afresh, so that the shrinker's next input meets a live one.
      if (opts.restart && restarts < MAX_RESTARTS && !opts.hook.acked((await liveness()).ack)) {
        restarts += 1;
        await opts.restart();
      }
      throw new Error(failure);
    }
  });

  const details = await fc.check(property, {
    seed: opts.seed,
    numRuns: opts.inputs,
    interruptAfterTimeLimit: opts.budgetMs ?? FUZZ_BUDGET_MS,
    markInterruptAsFailure: false,
  });

  let finding: FuzzFinding | null = null;
  if (details.failed && last !== undefined && first !== undefined) {
    // A receiver that died fails every input after the one that killed it, the shrinker's too, unless
    // pushcheck restarted it after each.
    const stoppedAnswering = restarts === 0 && !opts.hook.acked((await liveness()).ack);
    const shown = stoppedAnswering ? first : last;
    const bodyFile = join(opts.reportDir, 'fuzz-input.bin');
    writeFileSync(bodyFile, shown.mutated.body);
    finding = {
      input: shown.mutated.what,
      failure: redact(shown.failure, opts.secrets),
      curl: redact(
        curlFor(url(shown.message), shown.message, shown.mutated, bodyFile, opts.deadlineMs),
        opts.secrets,
      ),
      bodyFile,
      bodyBytes: shown.mutated.body.length,
      shrinks: stoppedAnswering ? 0 : details.numShrinks,
      firstInput: first.mutated.what,
      firstBodyBytes: first.mutated.body.length,
      firstFailure: redact(first.failure, opts.secrets),
      stoppedAnswering,
      restarts,
    };
  }
  const report: FuzzReport = {
    seed: opts.seed,
    requested: opts.inputs,
    ran: details.numRuns,
    interrupted: details.interrupted,
    durationMs: Math.round(performance.now() - started),
    finding,
  };
  return written(opts, report);
}

/** The terminal lines of a fuzz report. */
export function fuzzLines(r: FuzzReport): string[] {
  const ran = `${r.ran} of ${r.requested} inputs in ${(r.durationMs / 1000).toFixed(1)} s (seed ${r.seed})`;
  const cut = r.interrupted ? `; stopped at the ${FUZZ_BUDGET_MS / 1000} s budget` : '';
  if (r.notRun !== undefined) return [`fuzz: not run: ${r.notRun}`];
  const cleanup = r.cleanup !== undefined ? [`  after it: ${r.cleanup}`] : [];
  if (!r.finding) return [`fuzz: no failure in ${ran}${cut}`, ...cleanup];
  const f = r.finding;
  if (f.stoppedAnswering) {
    return [
      `fuzz: FAILED after ${ran}${cut}`,
      `  failing input: ${f.input}`,
      `  ${f.failure}`,
      '  the receiver stopped answering after it, so no smaller input could be tried: restart it to reproduce',
      '  (with --receiver-cmd or --receiver-image, pushcheck restarts it after each such input and shrinks)',
      `  reproduce: ${f.curl}`,
      ...cleanup,
    ];
  }
  return [
    `fuzz: FAILED after ${ran}${cut}`,
    `  smallest failing input (${f.shrinks} shrinks): ${f.input}`,
    `  ${f.failure}`,
    ...(f.restarts > 0
      ? [
          `  it kills the receiver: pushcheck restarted the receiver it launched ${f.restarts} times to shrink it`,
        ]
      : []),
    `  reproduce: ${f.curl}`,
    ...(f.firstInput !== f.input
      ? [`  first failing input: ${f.firstInput} (a receiver that stays broken fails every later input too)`]
      : []),
    ...cleanup,
  ];
}
