/** `pushcheck cases`: the case catalogue, as a table or as JSON. */
import { parseOptions } from '../core/args.ts';
import { stringOption, usage } from '../core/errors.ts';
import { PROFILES } from '../profiles.ts';
import { profileNamed } from './common.ts';

/** `pushcheck cases …`: resolves with the exit code. */
export function cmdCases(args: string[]): number {
  const { values, positionals } = parseOptions(
    args,
    { profile: { type: 'string' }, json: { type: 'boolean', default: false } },
    'pushcheck cases',
  );
  if (positionals.length) usage(`unexpected argument "${positionals[0]}"; see \`pushcheck cases --help\``);
  const wanted = stringOption(values.profile);
  const profiles =
    wanted === undefined ? Object.values(PROFILES) : [profileNamed(wanted, '--profile needs a name')];
  const rows = profiles.flatMap((p) => Object.entries(p.registry).map(([id, r]) => ({ id, ...r })));
  if (values.json) {
    console.log(JSON.stringify(rows, null, 2));
    return 0;
  }
  const width = Math.max(...rows.map((r) => r.id.length));
  for (const r of rows) {
    console.log(
      `${r.id.padEnd(width)}  ${r.level.padEnd(6)} ${r.interpreted ? '*' : ' '} ${r.title}  [${r.source}]`,
    );
  }
  console.log(`\n${rows.length} cases; * = interpreted (the documents are silent; never above SHOULD)`);
  return 0;
}
