/**
 * What `pushcheck --help` and `pushcheck COMMAND --help` print: an overview, and each command's own options
 * (`pushcheck run --profile onenet --help` adds that profile's). The version comes from package.json.
 */
import { SETUP_HELP } from '../core/run-setup.ts';
import { PACKAGE_VERSION } from '../core/package.ts';
import { PROFILE_NAMES, PROFILES } from '../profiles.ts';
import { peek } from './common.ts';
import { INIT_HELP } from './init.ts';
import { REPORT_COMMANDS_HELP } from '../report/commands.ts';
import { REPORT_RUN_HELP } from '../report/options.ts';

export const VERSION = PACKAGE_VERSION;

export const EXIT_CODES = `Exit codes: 0 conformant, 1 non-conformant, 2 could not run (bad usage or input, a path that
cannot be written, a wrong or unreachable target), 3 incomplete (cases the gate needs were not assessed),
128+N stopped by signal N (130: Ctrl-C).`;

/** Each command's usage line(s) and what it does, as the overview lists them. */
export const COMMANDS: Record<string, string> = {
  init: `  pushcheck init [--profile P] [--json] [--force]
                                     set this repository up: a config, an expectations file, a CI workflow`,
  run: `  pushcheck run --profile P --target URL [options]
                                     play the platform against your receiver and write a report
  pushcheck run [--config FILE] [--parallel N]
                                     every run of the config file (default: pushcheck.config.ts or .json),
                                     in one Playwright process, N runs side by side (default 1)`,
  demo: `  pushcheck demo [--profile P] [--report DIR] [--parallel N]
                                     run the suites against the built-in reference receivers, N side by
                                     side (default: the number of CPU cores)`,
  cases: `  pushcheck cases [--profile P] [--json]
                                     list the case catalogue (id, level, title, source)`,
  serve: `  pushcheck serve P [--faulty NAME|help] [--port N] [--host H] [--https] [options]
                                     serve a reference (or faulty) receiver to try things against`,
  send: `  pushcheck send P --target URL [options]
                                     play the platform (the sender) against a receiver, with its retries`,
  listen: `  pushcheck listen P [options]       play the receiver and grade the sender that pushes to it`,
  report: REPORT_COMMANDS_HELP.split('\n').slice(0, 3).join('\n'),
  expectations: REPORT_COMMANDS_HELP.split('\n').slice(3).join('\n'),
  emulate: Object.values(PROFILES)
    .map((p) => p.emulate?.help)
    .filter((h) => h !== undefined)
    .join('\n'),
};

const RUN_OPTIONS = `Options of run, for every profile:
  --profile P          the protocol: ${PROFILE_NAMES}
  --target URL         your receiver's URL, as configured on the platform
  --observe-file PATH  a file your receiver appends what it processed to; cases that need to see
                       processing are not-assessed without it
  --state-url URL      your receiver's provider-state hook: pushcheck POSTs {"state": …, "params": …}
                       there to set up a case (specs/provider-state/openapi.yaml); the cases that need
                       a state are not assessed without it
  --report DIR         where the report goes: index.html, report.json, junit.xml, report.md,
                       badge.svg (default reports/<profile>)
  --strict             SHOULD failures fail the run too
  --grep PATTERN       run only the cases whose id or title matches
  --seed N             reproduce a run's generated data (default: random, printed in the report)
  --observe-timeout MS how long processing may take to show in the observer (default 3000)
  --no-preflight       run the cases even when the platform's first request finds a wrong target
                       (a 404, bytes that are not HTTP, or no answer within the deadline: exit 2)
  --fuzz N             after the cases, N malformed inputs, each followed by a liveness probe (a valid
                       message that must still be acked; controlid: a device's poll); a failure is
                       shrunk and shown with its curl line (--strict: it fails the run)`;

/** The profiles `args` name (by `--profile P`, or as the first word), or all of them. */
function profilesOf(args: readonly string[], positional: boolean) {
  const name = positional && !args[0]?.startsWith('-') ? args[0] : peek(args, 'profile');
  const one = name === undefined ? undefined : PROFILES[name];
  return one ? [one] : Object.values(PROFILES);
}

function overview(): string {
  return `pushcheck ${VERSION}: conformance tests for the HTTP push protocols of IoT platforms and devices

Usage:
${Object.values(COMMANDS).join('\n')}

Profiles: ${PROFILE_NAMES}
\`pushcheck COMMAND --help\` lists a command's options; \`pushcheck run --profile P --help\` adds the
profile's own.

${EXIT_CODES}`;
}

/** The help of `command` (the overview for an unknown or empty one); `args` may name a profile. */
export function commandHelp(command: string, args: readonly string[] = []): string {
  const usageOf = COMMANDS[command];
  if (usageOf === undefined) return overview();
  if (command === 'init') return INIT_HELP;
  const body = (() => {
    switch (command) {
      case 'run':
        return [
          RUN_OPTIONS,
          SETUP_HELP,
          `Reports and the gate:\n${REPORT_RUN_HELP}`,
          ...profilesOf(args, false).map(
            (p) => `Options of run --profile ${p.name} (${p.summary}):\n${p.help}`,
          ),
        ].join('\n\n');
      case 'serve':
        return profilesOf(args, true)
          .map((p) => {
            const extra = Object.keys(p.serveOptions).map((o) => `--${o}`);
            return `serve ${p.name}: --faulty help lists its faulty receivers${extra.length ? `; also takes ${extra.join(', ')} (as run does)` : ''}`;
          })
          .join('\n');
      case 'send':
      case 'listen':
        return profilesOf(args, true)
          .map((p) => p[command]?.help)
          .filter((h) => h !== undefined)
          .join('\n\n');
      default:
        return '';
    }
  })();
  return `Usage:\n${usageOf}${body ? `\n\n${body}` : ''}\n\n${EXIT_CODES}`;
}
