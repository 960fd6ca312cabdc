/**
 * The `pushcheck` command: a dispatcher over one module per command (src/commands/). Errors are sentences for
 * people, never stack traces; the exit codes are in src/core/errors.ts `EXIT` and the README's table.
 */
import { didYouMean, wantsHelp } from './core/args.ts';
import { EXIT, Interrupted, UsageError, usage } from './core/errors.ts';
import { cmdCases } from './commands/cases.ts';
import { cmdDemo } from './commands/demo.ts';
import { cmdDirection } from './commands/direction.ts';
import { COMMANDS, commandHelp, VERSION } from './commands/help.ts';
import { cmdInit } from './commands/init.ts';
import { cmdRun } from './commands/run.ts';
import { cmdServe } from './commands/serve.ts';
import { cmdExpectations, cmdReport } from './report/commands.ts';

export { EXIT, UsageError };

/** Each command's entry point. */
const RUNNERS: Record<string, (args: string[]) => Promise<number> | number> = {
  init: cmdInit,
  run: cmdRun,
  demo: cmdDemo,
  cases: cmdCases,
  serve: cmdServe,
  send: (args) => cmdDirection('send', args),
  listen: (args) => cmdDirection('listen', args),
  emulate: (args) => cmdDirection('emulate', args),
  report: cmdReport,
  expectations: cmdExpectations,
};

/** The one line an error prints, and the exit code it ends with. */
function failure(err: unknown): { line: string; code: number } {
  if (err instanceof Interrupted) return { line: err.message, code: err.exitCode };
  if (err instanceof UsageError) return { line: err.message, code: EXIT.couldNotRun };
  const e = err as NodeJS.ErrnoException;
  // A file or folder of the user's that the checks before the run could not foresee (a disk that fills).
  if (e.syscall !== undefined && e.path !== undefined) {
    return {
      line: `cannot ${e.syscall} ${e.path} (${e.code}); check that path and try again`,
      code: EXIT.couldNotRun,
    };
  }
  // Not the user's doing: one line still, with what a bug report needs.
  const what = `${e.code ?? e.name}: ${String(e.message).split('\n')[0]}`;
  return {
    line: `internal error (${what}); please report it with the command you ran`,
    code: EXIT.couldNotRun,
  };
}

/** Runs the command line `argv` (without node and the script); resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      console.log(commandHelp(rest[0] ?? ''));
      return command === undefined ? EXIT.couldNotRun : 0;
    }
    if (command === '--version' || command === '-v' || command === 'version') {
      console.log(VERSION);
      return 0;
    }
    const runner = RUNNERS[command];
    if (runner === undefined) {
      const hint = didYouMean(command, Object.keys(COMMANDS));
      return usage(`unknown command "${command}".${hint} See \`pushcheck --help\``);
    }
    if (wantsHelp(rest)) {
      console.log(commandHelp(command, rest));
      return 0;
    }
    return await runner(rest);
  } catch (err) {
    const { line, code } = failure(err);
    console.error(`pushcheck: ${line}`);
    return code;
  }
}
