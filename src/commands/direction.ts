/**
 * The commands a profile adds, each playing one side against the software under test: `send` (the platform,
 * against a receiver), `listen` (the receiver, grading a sender), `emulate` (a device, against a server).
 */
import { parseOptions } from '../core/args.ts';
import { usage } from '../core/errors.ts';
import { PROFILES } from '../profiles.ts';
import { profileNamed } from './common.ts';

export type Direction = 'send' | 'listen' | 'emulate';

/** `pushcheck send|listen|emulate <profile> …`, where the profile has it: resolves with the exit code. */
export async function cmdDirection(command: Direction, args: string[]): Promise<number> {
  const name = args[0]?.startsWith('-') ? undefined : args[0];
  if (name === undefined) {
    const having = Object.values(PROFILES).filter((p) => p[command] !== undefined);
    const example = having[0]?.[command]?.help.split('\n')[0]?.trim();
    usage(
      `${command} needs a profile first, one of ${having.map((p) => p.name).join(', ')}, as in \`${example}\``,
    );
  }
  const profile = profileNamed(name, `${command} needs a profile`);
  const cmd = profile[command];
  if (!cmd) usage(`the ${profile.name} profile has no \`${command}\``);
  const { values, positionals } = parseOptions(
    args.slice(1),
    cmd.options,
    `pushcheck ${command} ${profile.name}`,
  );
  if (positionals.length) {
    usage(`unexpected argument "${positionals[0]}"; see \`pushcheck ${command} ${profile.name} --help\``);
  }
  return cmd.run(values);
}
