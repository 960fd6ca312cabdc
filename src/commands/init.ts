/**
 * `pushcheck init`: sets a receiver's repository up for pushcheck. It writes a commented config file for one
 * profile (what `pushcheck run` reads when given no flags), an empty expectations file (the gate's known
 * failures) and a GitHub workflow that runs pushcheck's action, then says what to run next. It never writes over
 * a file unless told to, and checks every path before it writes any, so a refusal leaves the folder as it was.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parseOptions } from '../core/args.ts';
import { CONFIG_FILES } from '../core/config-file.ts';
import { folderProblem } from '../core/paths.ts';
import { profileNamed } from './common.ts';
import { stringOption, UsageError, usage } from '../core/errors.ts';
import type { Profile } from '../core/profile.ts';
import { PACKAGE_VERSION } from '../core/package.ts';
import { PROFILE_NAMES, PROFILES } from '../profiles.ts';
import { EXPECTATIONS_FILE } from '../report/expectations.ts';

/** Where the workflow goes, relative to the repository. */
export const WORKFLOW_FILE = '.github/workflows/pushcheck.yml';

/**
 * The repository whose root holds pushcheck's action (action.yml), as a workflow's `uses:` names it; the workflow
 * pins it to the version of pushcheck that wrote it. `--action` names another (a fork, a mirror).
 */
const ACTION_REPOSITORY = 'your-org/pushcheck';

/** How many wrong answers the prompt takes before it gives up. */
const PROMPT_ATTEMPTS = 3;

/** The exit code of an interrupted command (128 + SIGINT). */
const INTERRUPTED = 130;

export const INIT_HELP = `Usage: pushcheck init [--profile P] [--json] [--force] [--action OWNER/REPO@REF]

Writes, into the current folder (your repository):
  pushcheck.config.ts            a commented config for the profile: \`npx pushcheck run\` runs it
                                 (pushcheck.config.json with --json)
  ${EXPECTATIONS_FILE}    the known failures the gate tolerates: none yet
  ${WORKFLOW_FILE}
                                 a GitHub workflow: starts your receiver (a step you fill in), then
                                 runs pushcheck's action against it, secrets from the repository's secrets

  --profile P            the protocol your receiver speaks: ${PROFILE_NAMES}
                         (asked when a terminal is attached)
  --json                 write pushcheck.config.json instead of pushcheck.config.ts
  --force                write over files that exist (never otherwise: nothing is written then)
  --action OWNER/REPO@REF
                         the action the workflow uses (default ${ACTION_REPOSITORY}@v<this version>)

Exit codes: 0 written, 2 nothing written (bad usage, a file exists, a folder cannot be written), 130 interrupted.`;

/** One option of a profile, from its help text. */
interface OptionDoc {
  name: string;
  /** Its help lines, as `pushcheck --help` prints them. */
  help: string[];
  /** The environment variable it falls back to: such an option is a secret, never written in a file. */
  env?: string;
  /** A value to show in the commented line: its default, or what its help calls the value. */
  example: string | number | boolean;
}

/** The entries of a help text (`  --name VALUE   what it is`, continued on indented lines), by option name. */
function helpEntries(help: string): Map<string, string[]> {
  const entries = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of help.split('\n')) {
    const start = /^\s*--([a-z0-9-]+)/.exec(line);
    if (start?.[1] !== undefined) {
      current = [line.trim()];
      entries.set(start[1], current);
    } else if (current && line.trim() !== '') {
      current.push(`  ${line.trim()}`);
    }
  }
  return entries;
}

function exampleOf(type: 'string' | 'boolean', help: string[]): string | number | boolean {
  if (type === 'boolean') return true;
  const text = help.join(' ');
  const fallback = /\(default ([^),;\s]+)/.exec(text)?.[1];
  if (fallback !== undefined)
    // A number that would not survive the trip (an int64 id above 2^53) stays a string.
    return String(Number(fallback)) === fallback ? Number(fallback) : fallback;
  return /^--[a-z0-9-]+ (\S+)/.exec(text)?.[1] ?? '';
}

/** The profile's own `run` options, each with its help and, for a secret, the variable it is read from. */
export function profileOptions(profile: Profile): OptionDoc[] {
  const entries = helpEntries(profile.help);
  return Object.entries(profile.options).map(([name, spec]) => {
    const help = entries.get(name) ?? [`--${name}`];
    const env = /\(or env ([A-Z0-9_]+)\)/.exec(help.join(' '))?.[1];
    return { name, help, ...(env !== undefined ? { env } : {}), example: exampleOf(spec.type, help) };
  });
}

/** A placeholder receiver URL for the profile: the user's own goes in its place. */
function exampleTarget(profile: Profile): string {
  return `http://127.0.0.1:8080/${profile.name}`;
}

/**
 * The secret options a run of `profile` cannot do without. The profile's own `configure` is asked, with a target
 * and nothing else: an option it says is required ("--token is required …") is, and is asked again with that
 * one set, so a new profile needs no table here.
 */
export function requiredSecrets(profile: Profile, options: readonly OptionDoc[]): OptionDoc[] {
  const secrets = options.filter((o) => o.env !== undefined);
  const env: Record<string, string> = {};
  const required: OptionDoc[] = [];
  for (let i = 0; i <= secrets.length; i++) {
    try {
      profile.configure({ target: exampleTarget(profile) }, env);
      break;
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      const missing = secrets.find(
        (s) => !required.includes(s) && err.message.startsWith(`--${s.name} is required`),
      );
      if (missing?.env === undefined) break;
      required.push(missing);
      env[missing.env] = 'placeholder';
    }
  }
  return required;
}

type Literal = string | number | boolean | { env: string };

function tsValue(v: Literal): string {
  if (typeof v === 'object') return `{ env: '${v.env}' }`;
  return typeof v === 'string' ? `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : String(v);
}

function tsKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : `'${key}'`;
}

/** What the config says about the options every profile has, before the profile's own. */
function commonLines(
  profile: Profile,
): { comment: string[]; key: string; value: Literal; active: boolean }[] {
  const own = helpEntries(profile.help);
  const targetHelp = own.get('target') ?? [
    "--target URL         your receiver's URL, as configured on the platform",
  ];
  const stateHelp = own.get('state-url') ?? [
    "--state-url URL      your receiver's provider-state hook, to set up the cases that need a state",
  ];
  return [
    {
      comment: [
        ...targetHelp,
        'Start the receiver before `pushcheck run`, or let pushcheck start it (below).',
      ],
      key: 'target',
      value: exampleTarget(profile),
      active: true,
    },
    {
      comment: [
        '--receiver-cmd "CMD"  or pushcheck starts your receiver itself (sh -c CMD), gives it PORT (the',
        "  target's port, or a free one without target), waits until it is ready, and stops it at the end",
      ],
      key: 'receiver-cmd',
      value: 'npm start',
      active: false,
    },
    {
      comment: [
        '--receiver-path PATH   with receiver-cmd and no target: the target is http://127.0.0.1:PORT PATH',
      ],
      key: 'receiver-path',
      value: `/${profile.name}`,
      active: false,
    },
    {
      comment: [
        'How pushcheck sees what your receiver processed: cases that need it are not assessed without.',
        '--observe-file PATH  a file your receiver appends to when it processes a message',
      ],
      key: 'observe-file',
      value: 'receiver.log',
      active: false,
    },
    {
      comment: ['--observe-log        the launched receiver (receiver-cmd) logs what it processed'],
      key: 'observe-log',
      value: true,
      active: false,
    },
    { comment: stateHelp, key: 'state-url', value: 'http://127.0.0.1:8080/pushcheck/state', active: false },
    {
      comment: [
        '--fail-on LEVEL      the gate: must, should (= --strict) or may, the lowest level whose failures',
        `  fail the run; known failures in ${EXPECTATIONS_FILE} are tolerated`,
      ],
      key: 'fail-on',
      value: 'must',
      active: true,
    },
  ];
}

/** Every line the config has for the profile: the common options, then the profile's own. */
function configLines(profile: Profile) {
  const options = profileOptions(profile);
  const required = requiredSecrets(profile, options);
  const own = options.map((o) => ({
    comment: o.help,
    key: o.name,
    value: (o.env !== undefined ? { env: o.env } : o.example) as Literal,
    active: required.includes(o),
  }));
  return { common: commonLines(profile), own, secrets: options.filter((o) => o.env !== undefined), required };
}

function header(profile: Profile): string[] {
  return [
    `pushcheck's configuration for this repository, written by \`pushcheck init --profile ${profile.name}\`.`,
    '`npx pushcheck run` runs each run below and writes its report to reports/<name>/; the exit code is the',
    "gate's. Options are `pushcheck run` options by their long names (`npx pushcheck --help` lists them);",
    `a commented one is off. Secrets are never written here: { env: 'NAME' } reads one from the environment`,
    'when the run starts, so this file can be checked in.',
  ];
}

/** The text of `pushcheck.config.ts` for `profile`. */
export function configTs(profile: Profile): string {
  const { common, own } = configLines(profile);
  const line = (l: { comment: string[]; key: string; value: Literal; active: boolean }) => [
    ...l.comment.map((c) => `        // ${c}`),
    `        ${l.active ? '' : '// '}${tsKey(l.key)}: ${tsValue(l.value)},`,
  ];
  return `${[
    ...header(profile).map((c) => `// ${c}`),
    "import { defineConfig } from 'pushcheck';",
    '',
    'export default defineConfig({',
    '  runs: [',
    '    {',
    `      name: '${profile.name}',`,
    `      // ${profile.summary}`,
    `      profile: '${profile.name}',`,
    '      options: {',
    ...common.flatMap(line),
    '',
    `        // The ${profile.name} profile's options:`,
    ...own.flatMap(line),
    '      },',
    '    },',
    '  ],',
    '});',
  ].join('\n')}\n`;
}

/** The text of `pushcheck.config.json` for `profile`: JSON has no comments, so `$comment` holds them. */
export function configJson(profile: Profile): string {
  const { common, own } = configLines(profile);
  const all = [...common, ...own];
  const off = all.filter((l) => !l.active);
  const value = (v: Literal) => JSON.stringify(v).replace(/":"/g, '": "');
  const config = {
    $comment: [
      ...header(profile),
      'Options you may add to "options" (each line: "key": value, then what it is):',
      ...off.flatMap((l) => [`"${l.key}": ${value(l.value)}`, ...l.comment.map((c) => `    ${c}`)]),
    ],
    runs: [
      {
        name: profile.name,
        profile: profile.name,
        options: Object.fromEntries(all.filter((l) => l.active).map((l) => [l.key, l.value])),
      },
    ],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** The text of the empty expectations file, as `src/report/expectations.ts` reads it. */
export function expectationsJson(): string {
  const file = {
    $comment:
      'Known failures the gate tolerates, by case id: { "outcome": "failed" or "not-assessed", "reason": "why, or a link" }. `pushcheck expectations update --report DIR` removes the cases that now pass.',
    expectations: {},
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** The text of the GitHub workflow for `profile`, running the action `action` (OWNER/REPO@REF). */
export function workflowYaml(profile: Profile, action: string): string {
  const { secrets, required } = configLines(profile);
  const env = secrets.map((s) => {
    const line = `${s.env}: \${{ secrets.${s.env} }}`;
    const what = s.help[0]?.replace(/^--\S+ \S+\s+/, '').replace(/\s*\(or env [A-Z0-9_]+\)/, '');
    return required.includes(s) ? `          ${line}` : `          # ${line}    # ${what}`;
  });
  return `${[
    `# pushcheck's conformance gate for this repository, written by \`pushcheck init --profile ${profile.name}\`.`,
    `# On every push and pull request: start the receiver, run the ${profile.name} suite against it with`,
    "# pushcheck's action, upload the report as an artifact, and fail the job on a failure the gate counts",
    `# (the known ones are listed in ${EXPECTATIONS_FILE}). Secrets come from the repository's Actions`,
    '# secrets (Settings → Secrets and variables → Actions) through env, never from this file.',
    'name: pushcheck',
    'on: [push, pull_request]',
    '',
    'jobs:',
    '  conformance:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - name: Start the receiver',
    '        # Fill this in: start your receiver in the background, listening where `target` below says, and',
    '        # wait until it answers, e.g.',
    '        #   npm ci && npm start > receiver.log 2>&1 &',
    '        #   npx --yes wait-on tcp:127.0.0.1:8080',
    '        run: |',
    `          echo "::error::fill in the step that starts your receiver in ${WORKFLOW_FILE}"`,
    '          exit 1',
    '      - name: pushcheck',
    `        uses: ${action}`,
    ...(env.length > 0 ? ['        env:', ...env] : []),
    '        with:',
    `          profile: ${profile.name}`,
    "          # Your receiver's URL, as in pushcheck.config: the step above started it.",
    `          target: ${exampleTarget(profile)}`,
    `          fail-on: must`,
    `          expectations: ${EXPECTATIONS_FILE}`,
    '          # More `pushcheck run` options on one line, e.g. --observe-file receiver.log (secrets go in env).',
    "          config: ''",
    '          report: pushcheck-report',
  ].join('\n')}\n`;
}

/**
 * Asks which profile, on a terminal: a numbered list, then a number or a name, again after a wrong answer.
 * Resolves with the profile's name, or undefined when interrupted (Ctrl-C, or `signal` aborted); throws a UsageError at the end of
 * the input or after {@link PROMPT_ATTEMPTS} wrong answers.
 */
export function askProfile(
  input: Readable,
  output: Writable,
  opts: { terminal?: boolean; signal?: AbortSignal } = {},
): Promise<string | undefined> {
  const names = Object.keys(PROFILES);
  const width = Math.max(...names.map((n) => n.length));
  output.write('Which protocol does your receiver speak?\n');
  names.forEach((n, i) => output.write(`  ${i + 1}. ${n.padEnd(width)}  ${PROFILES[n]?.summary ?? ''}\n`));
  const rl = createInterface({ input, output, terminal: opts.terminal ?? true });
  return new Promise<string | undefined>((done, fail) => {
    let attempts = 0;
    let settled = false;
    const finish = (f: () => void) => {
      settled = true;
      rl.close();
      f();
    };
    const ask = () => {
      rl.setPrompt(`Profile (1-${names.length} or a name): `);
      rl.prompt();
    };
    rl.on('line', (line) => {
      const answer = line.trim();
      const chosen = /^\d+$/.test(answer) ? names[Number(answer) - 1] : names.find((n) => n === answer);
      if (chosen !== undefined) return finish(() => done(chosen));
      attempts += 1;
      if (attempts >= PROMPT_ATTEMPTS) {
        return finish(() =>
          fail(new UsageError(`no profile chosen; pass --profile P, one of ${PROFILE_NAMES}`)),
        );
      }
      output.write(`"${answer}" is not one of them: answer a number from 1 to ${names.length}, or a name.\n`);
      ask();
    });
    rl.on('SIGINT', () => finish(() => done(undefined)));
    opts.signal?.addEventListener('abort', () => finish(() => done(undefined)), { once: true });
    rl.on('close', () => {
      if (!settled) fail(new UsageError(`no profile chosen; pass --profile P, one of ${PROFILE_NAMES}`));
    });
    ask();
  });
}

function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' || rel.startsWith(`..${sep}`) || rel === '..' ? path : rel;
}

function names(list: readonly string[]): string {
  return list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
}

/**
 * Checks that each file can be written: its folder exists and is writable, or can be made in one that is, and
 * the file itself is not a folder. A UsageError names the first path that fails and what is wrong.
 */
function checkWritable(cwd: string, files: readonly string[]): void {
  for (const file of files) {
    if (existsSync(file) && !statSync(file).isFile()) {
      usage(`${shown(cwd, file)} exists and is not a file: move it away, then run pushcheck init again`);
    }
    const folder = dirname(file);
    const problem = folderProblem(folder);
    if (problem?.kind === 'file') {
      usage(
        `cannot make the folder ${shown(cwd, folder)}: ${shown(cwd, problem.at)} is a file, not a folder; move it away, then run pushcheck init again`,
      );
    }
    if (problem?.kind === 'unwritable') {
      usage(
        `cannot write into ${shown(cwd, problem.at)} (${problem.why}): run pushcheck init where you may write`,
      );
    }
  }
}

/** `pushcheck init …`: resolves with the exit code. */
export async function cmdInit(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    args,
    {
      profile: { type: 'string' },
      json: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      action: { type: 'string' },
    },
    'pushcheck init',
  );
  if (positionals.length) usage(`unexpected argument "${positionals[0]}"; see \`pushcheck init --help\``);
  const action = stringOption(values.action) ?? `${ACTION_REPOSITORY}@v${PACKAGE_VERSION}`;
  if (!/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[\w./-]+$/.test(action)) {
    usage(
      `--action "${action}" is not an action reference: give OWNER/REPO@REF, e.g. my-org/pushcheck@v0.1.0`,
    );
  }
  let name = stringOption(values.profile);
  if (name === undefined) {
    if (!(process.stdin.isTTY && process.stdout.isTTY)) {
      usage(`init needs --profile P when no terminal is attached to ask: one of ${PROFILE_NAMES}`);
    }
    // SIGTERM and SIGHUP (a closed terminal) interrupt the question as Ctrl-C does, before anything is written.
    const interrupt = new AbortController();
    const stop = () => interrupt.abort();
    for (const sig of ['SIGTERM', 'SIGHUP'] as const) process.once(sig, stop);
    try {
      name = await askProfile(process.stdin, process.stdout, { signal: interrupt.signal });
    } finally {
      for (const sig of ['SIGTERM', 'SIGHUP'] as const) process.off(sig, stop);
    }
    if (name === undefined) {
      console.error('pushcheck init: interrupted; nothing was written');
      return INTERRUPTED;
    }
  }
  const profile = profileNamed(name, '--profile needs a name');

  const cwd = process.cwd();
  const config = values.json ? 'pushcheck.config.json' : 'pushcheck.config.ts';
  const files: [string, string][] = [
    [resolve(cwd, config), values.json ? configJson(profile) : configTs(profile)],
    [resolve(cwd, EXPECTATIONS_FILE), expectationsJson()],
    [resolve(cwd, WORKFLOW_FILE), workflowYaml(profile, action)],
  ];
  // Another config file already here would be read by `pushcheck run` beside (or instead of) the new one.
  const others = CONFIG_FILES.filter((f) => f !== config).map((f) => resolve(cwd, f));
  const existing = [...files.map(([f]) => f), ...others].filter((f) => existsSync(f));
  if (existing.length > 0 && !values.force) {
    const list = existing.map((f) => shown(cwd, f));
    usage(
      `${names(list)} already exist${list.length === 1 ? 's' : ''} here, so nothing was written: pass --force to write pushcheck init's files over ${list.length === 1 ? 'it' : 'them'}`,
    );
  }
  checkWritable(
    cwd,
    files.map(([f]) => f),
  );
  for (const [file, text] of files) {
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    } catch (err) {
      usage(`could not write ${shown(cwd, file)}: ${(err as Error).message}`);
    }
  }

  // `pushcheck run` reads the first config file it finds: a file left before this one wins over it.
  const first = CONFIG_FILES.find((f) => existsSync(resolve(cwd, f)));
  const run = first === config ? 'npx pushcheck run' : `npx pushcheck run --config ${config}`;
  const needed = configLines(profile).required.flatMap((s) => (s.env === undefined ? [] : [s.env]));
  console.log(`wrote ${names(files.map(([f]) => shown(cwd, f)))} for the ${profile.name} profile.`);
  console.log(
    `Next: set your receiver's URL (or the command that starts it) in ${config}, start the receiver, and run`,
  );
  console.log(`  ${needed.map((e) => `${e}=… `).join('')}${run}`);
  console.log(
    `For CI: fill in the step that starts the receiver in ${WORKFLOW_FILE}${needed.length > 0 ? `, and add ${names(needed)} to the repository's Actions secrets` : ''}.`,
  );
  return 0;
}
