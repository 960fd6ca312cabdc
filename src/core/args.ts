/**
 * Command-line parsing for every command: node:util's parseArgs, with its errors turned into one sentence for
 * people, and a "did you mean" for a misspelt option, profile, command or receiver name.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { usage } from './errors.ts';
import type { OptionValues } from './profile.ts';

/** The edit distance between `a` and `b` (insertions, deletions, substitutions and swaps of neighbours). */
export function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = best;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/**
 * The candidate closest to `word`, if it is close enough to be a slip of the keyboard (at most a third of the
 * word's letters off, and never more than 3), or one begins with the other.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of candidates) {
    const d = distance(word.toLowerCase(), name.toLowerCase());
    if (best === undefined || d < best.d) best = { name, d };
  }
  if (best === undefined) return undefined;
  const prefix = word.length >= 3 && (best.name.startsWith(word) || word.startsWith(best.name));
  return best.d <= Math.min(3, Math.max(1, Math.floor(word.length / 3))) || prefix ? best.name : undefined;
}

/** ` Did you mean "x"?` when one of `candidates` is close to `word`, else nothing. */
export function didYouMean(word: string, candidates: Iterable<string>, prefix = ''): string {
  const near = closest(word, candidates);
  return near === undefined ? '' : ` Did you mean "${prefix}${near}"?`;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses `args` strictly against `options`; `command` names the command in the sentence an unknown option
 * gets (`see pushcheck run --help`).
 */
export function parseOptions(
  args: string[],
  options: Options,
  command: string,
): { values: OptionValues; positionals: string[] } {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (err) {
    const message = (err as Error).message;
    const unknown = /^Unknown option '(-{1,2})([^']+)'/.exec(message);
    if (unknown) {
      const [, dashes, name] = unknown as unknown as [string, string, string];
      const hint = didYouMean(name, Object.keys(options), '--');
      return usage(`unknown option "${dashes}${name}" for ${command}.${hint} See \`${command} --help\``);
    }
    // parseArgs' own sentences name the option and the problem ("Option '--x <value>' argument missing").
    return usage(`${message.replace(/\. To specify.*$/s, '').replace(/\.$/, '')}; see \`${command} --help\``);
  }
}

/** Whether the arguments ask for help (`--help` or `-h` before any `--`). */
export function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}
