/**
 * What a protocol plugs into pushcheck: its requirement registry, the `run` options it adds, how those become
 * the settings its cases read, which of them are secret, its reference receivers for `pushcheck demo`, and its
 * faulty receivers for `pushcheck serve`. The CLI, the fixtures and the reporter know profiles only through
 * this interface; `src/profiles.ts` lists them.
 */
import type { Need, Registry } from './case.ts';
import type { Exchange, OutgoingRequest } from './http.ts';
import type { Rng } from './rng.ts';
import type { RunConfig } from './config.ts';

/** Options in node:util `parseArgs` form (every value arrives as a string or a boolean). */
export type OptionSpec = Record<
  string,
  { type: 'string' | 'boolean'; multiple?: boolean; default?: string | boolean }
>;

/** Parsed option values, by option name. */
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** A valid message as the platform sends it, for the fuzzer (src/fuzz/) to mutate and to probe liveness with. */
export interface FuzzMessage {
  method: 'POST' | 'PUT';
  /** Appended to the target (a path and query); none for the target itself. */
  path?: string;
  headers: Record<string, string>;
  /** The body as the platform sends it (JSON text, for the structural mutations to work on). */
  body: string;
}

/** The liveness probe, when it is not a valid message: a request the receiver must still answer as `acked` says. */
export interface FuzzProbe {
  /** What it is, as a finding names it: "a device's poll (GET /push)". */
  what: string;
  method: 'GET' | 'POST' | 'PUT';
  /** Appended to the target (a path and query); none for the target itself. */
  path?: string;
  headers: Record<string, string>;
  body?: string;
}

/** What the fuzz needs set up around it (an eKuiper stream, an alert server's token), and how to undo it. */
export interface FuzzSession<S> {
  /** The settings the fuzz runs with: the run's, with what the set-up learnt (a token) added. */
  settings: S;
  /** Secrets the set-up learnt, redacted in the findings like the run's. */
  secrets: string[];
  close(): Promise<void>;
}

/** What a profile gives the fuzzer: `pushcheck run --fuzz N` works for every profile that has one. */
export interface FuzzHook<S> {
  /** A fresh valid message (signed, encrypted as the settings say), its values drawn from `rng`. */
  valid(settings: S, ctx: { runTag: string; rng: Rng }): FuzzMessage;
  /** Whether `ex`, the answer to a valid message (or to the probe, when the profile has one), is the ack. */
  acked(ex: Exchange): boolean;
  /**
   * The liveness probe after each input, when the protocol allows a better one than a valid message (a
   * device's poll, which changes nothing on the server). Without it, a fresh valid message is the probe.
   */
  probe?(settings: S, ctx: { runTag: string; rng: Rng }): FuzzProbe;
  /** Sets up what the receiver needs before the first input; undone once the fuzz ends, however it ends. */
  open?(target: string, settings: S, ctx: { runTag: string; deadlineMs: number }): Promise<FuzzSession<S>>;
}

/**
 * The request a receiver gets first from its platform (or device), for the preflight (src/core/preflight.ts),
 * with what the sentence that ends a run against a wrong target says of it.
 */
export interface FirstRequest extends Pick<OutgoingRequest, 'method' | 'url' | 'headers' | 'body'> {
  /** What it is, as the sentence names it: "the verification GET", "a device's poll (GET /push)". */
  what: string;
  /** The option its URL comes from, for the user to check: "--target". */
  option: string;
  /** What to check when it is answered 404, when not "is the path in <option> right?". */
  hint?: string;
  /** How long the platform waits for its answer: the run's deadline, unless this request has its own. */
  deadlineMs: number;
}

/** A receiver `pushcheck demo` runs the suite against, started by the profile. */
export interface DemoTarget<S> {
  /** Names the report folder: `reports/demo/<label>`. */
  label: string;
  target: string;
  settings: S;
  observeFile?: string;
  /** The reference receiver's provider-state hook, when it serves one (the run's `--state-url`). */
  stateUrl?: string;
  close(): Promise<void>;
}

/** A receiver `pushcheck serve` started. */
export interface Served {
  /** What to print: where it listens and how to use it (no secrets but demo ones). */
  lines: string[];
  close(): Promise<void>;
}

/** A command a profile adds (`pushcheck send <profile>`, `pushcheck listen <profile>`). */
export interface ProfileCommand {
  options: OptionSpec;
  /** The usage line and the options' help lines. */
  help: string;
  /** Runs it with the parsed options; resolves with the exit code. Throws `UsageError` on bad input. */
  run(values: OptionValues): Promise<number>;
}

export interface Profile<S = unknown> {
  name: string;
  summary: string;
  registry: Registry;
  /** The options `pushcheck run --profile <name>` takes beyond the common ones. */
  options: OptionSpec;
  /** Help lines for those options, each `  --name VALUE   what it is`. */
  help: string;
  /** The protocol's per-request deadline: every request of a case is cut off there unless it says otherwise. */
  deadlineMs: number;
  /** The run's deadline when the receiver's configuration sets it (Control iD's `--request-timeout`). */
  deadlineOf?(settings: S): number;
  /**
   * The ids of the cases that wait on the receiver's clock (Control iD's idle gap): they hold a lock of their
   * own and go beside the run's other cases, and a run that has any adds a worker for them (decisions/023).
   */
  besideCases?: readonly string[];
  /**
   * Turns the parsed options (with the environment as fallback for secrets) into the settings the cases read,
   * which must survive JSON. Throws `UsageError` (src/core/errors.ts) with a sentence for people.
   */
  configure(values: OptionValues, env: NodeJS.ProcessEnv): S;
  /** Every secret in the settings: redacted wherever it would be printed or written. */
  secrets(settings: S): string[];
  /** A short description of the settings' mode for the terminal and the report ("secure mode"), if any. */
  mode?(settings: S): string | undefined;
  /**
   * Whether a case needing `need` can run with these settings: undefined when it can, otherwise why not and
   * whether that makes the case skipped (the receiver's configuration does not offer it) or not assessed (the
   * run lacks something). `observer` and `state-hook` are handled by the core.
   */
  check?(need: Need, settings: S): { skip: string } | { notAssessed: string } | undefined;
  /**
   * The URL whose reachability shows the run can start, when it is not the target (eKuiper opens its data
   * server only once a rule reads an httppush stream, which the run itself creates through the REST API).
   */
  probe?(target: string, settings: S): string | string[];
  /**
   * The first request the platform (or device) genuinely sends, built with the profile's own builders from the
   * target and settings: the preflight sends it once the `probe` URLs accept connections, and ends the run
   * when it is answered 404, with bytes that are not HTTP, or not at all (src/core/preflight.ts). Anything a
   * receiver could record carries a fresh marker of `ctx.runTag`; its values come from `ctx.rng`. Imports what
   * it needs when called, like `demo`. A profile without it gets the reachability check alone.
   */
  firstRequest?(
    target: string,
    settings: S,
    ctx: { runTag: string; rng: Rng; deadlineMs: number },
  ): Promise<FirstRequest>;
  /**
   * After the preflight: a sentence when the receiver looks like one of another profile (it refuses this
   * profile's genuine message and accepts the other's), printed before the cases; undefined otherwise.
   */
  lookalike?(run: RunConfig, settings: S): Promise<string | undefined>;
  /**
   * What else must hold before any case runs, beyond reachable URLs (a port the run will listen on is free);
   * throws `UsageError` (src/core/errors.ts) saying what to do.
   */
  preflight?(settings: S): Promise<void>;
  /**
   * Starts the reference receivers `pushcheck demo` runs the suite against. Like `faulty` and `serve`, it
   * imports the receivers (and msw) when called: the profile table is loaded by every command and every
   * Playwright worker, and most of them start no receiver.
   */
  demo(scratchDir: string): Promise<DemoTarget<S>[]>;
  /** One-defect receivers, each naming the cases meant to catch it. */
  faulty(): Promise<Readonly<Record<string, { defect: string; caughtBy: readonly string[] }>>>;
  /** The options of `pushcheck serve <name>` beyond --faulty, --host and --port. */
  serveOptions: OptionSpec;
  /** Valid messages, the ack and the liveness probe, for `--fuzz`. */
  fuzz: FuzzHook<S>;
  /** Serves the reference receiver, or the faulty one named. */
  serve(opts: {
    faulty?: string;
    host: string;
    port: number;
    values: OptionValues;
    /** Serve HTTPS with this key and certificate (`pushcheck serve --https`). */
    tls?: { key: string; cert: string };
  }): Promise<Served>;
  /** `pushcheck send <name>`: pushcheck as the sender, with the platform's retry policy. */
  send?: ProfileCommand;
  /** `pushcheck listen <name>`: pushcheck as the receiver, grading the sender under test. */
  listen?: ProfileCommand;
  /** `pushcheck emulate <name>`: pushcheck as a device that polls the server under test. */
  emulate?: ProfileCommand;
}
