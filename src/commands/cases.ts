/** `pushcheck cases`: the case catalogue, as a table or as JSON. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseOptions } from '../core/args.ts';
import { CODE_ROOT } from '../core/package.ts';
import { PACKAGE_ROOT } from '../core/schemas.ts';
import { stringOption, usage } from '../core/errors.ts';
import { citation } from '../core/source.ts';
import { PROFILES } from '../profiles.ts';
import { profileNamed } from './common.ts';

/**
 * Where each case is defined, as `suites/<file>:<line>`: every case id is written out once, as a string, where
 * its check is (a test keeps it so), so the first line that quotes it is its definition.
 */
export function caseLocations(
  ids: readonly string[],
  // A clone has the sources; the package, only what they compile to.
  suites = existsSync(join(PACKAGE_ROOT, 'suites'))
    ? join(PACKAGE_ROOT, 'suites')
    : join(CODE_ROOT, 'suites'),
): Map<string, string> {
  const wanted = new Set(ids);
  const found = new Map<string, string>();
  for (const file of readdirSync(suites, { recursive: true, encoding: 'utf8' }).sort()) {
    if (!/\.(ts|js)$/.test(file)) continue;
    const lines = readFileSync(join(suites, file), 'utf8').split('\n');
    for (const [i, line] of lines.entries()) {
      for (const [, id] of line.matchAll(/'([a-z0-9-]+(?:\.[a-z0-9-]+)+)'/g)) {
        if (id !== undefined && wanted.has(id) && !found.has(id)) {
          found.set(id, `${relative(PACKAGE_ROOT, join(suites, file))}:${i + 1}`);
        }
      }
    }
  }
  return found;
}

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
  const entries = profiles.flatMap((p) => Object.entries(p.registry));
  const where = caseLocations(entries.map(([id]) => id));
  const rows = entries.map(([id, r]) => ({ id, ...r, definedAt: where.get(id) ?? null }));
  if (values.json) {
    console.log(JSON.stringify(rows, null, 2));
    return 0;
  }
  const width = Math.max(...rows.map((r) => r.id.length));
  for (const r of rows) {
    console.log(
      `${r.id.padEnd(width)}  ${r.level.padEnd(6)} ${r.interpreted ? '*' : ' '} ${r.title}${r.security ? ' ⚑' : ''}${r.permitted !== undefined ? ' (permitted: never fails)' : ''}  (${r.definedAt ?? 'no definition'})  [${citation(r.source)}${r.source.document.url ? ` ${r.source.document.url}` : ''}]`,
    );
  }
  console.log(
    `\n${rows.length} cases; * = interpreted (the documents are silent; never above SHOULD); ⚑ = about authenticity: a failure is a security finding (decisions/022)`,
  );
  return 0;
}
