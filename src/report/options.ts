/**
 * The `pushcheck run` options of reports and the gate: --fail-on, --expectations, --label and --shard. The CLI
 * spreads them into its own options and into the run configuration.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Level } from '../core/case.ts';
import type { RunConfig } from '../core/config.ts';
import { stringOption, usage } from '../core/errors.ts';
import type { OptionSpec, OptionValues } from '../core/profile.ts';
import { PROFILES } from '../profiles.ts';
import { EXPECTATIONS_FILE, readExpectations } from './expectations.ts';

export const REPORT_RUN_OPTIONS: OptionSpec = {
  'fail-on': { type: 'string' },
  expectations: { type: 'string' },
  label: { type: 'string' },
  shard: { type: 'string' },
};

export const REPORT_RUN_HELP = `  --fail-on LEVEL      must (default), should (= --strict) or may: the lowest level whose failures fail
  --expectations FILE  known failures the gate tolerates (default ./${EXPECTATIONS_FILE} if it exists)
  --label NAME         the receiver's name in reports and on a merged site (default: the target's host/path)
  --shard I/N          run part I of N (Playwright's --shard); \`pushcheck report merge\` joins the parts`;

/** Every case id of every profile, so an expectations file cannot name a case that does not exist. */
export function allCaseIds(): Set<string> {
  return new Set(Object.values(PROFILES).flatMap((p) => Object.keys(p.registry)));
}

function failOnOption(values: OptionValues): Level | undefined {
  const raw = stringOption(values['fail-on']);
  if (raw === undefined) return undefined;
  const level = raw.toUpperCase();
  if (level !== 'MUST' && level !== 'SHOULD' && level !== 'MAY') {
    usage(`--fail-on must be must, should or may, got "${raw}"`);
  }
  if (values.strict === true && level === 'MUST') usage('--strict means --fail-on should; give one of them');
  return level;
}

function shardOption(values: OptionValues): string | undefined {
  const raw = stringOption(values.shard);
  if (raw === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(raw);
  if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) {
    usage(`--shard must be I/N with 1 ≤ I ≤ N, e.g. 1/3; got "${raw}"`);
  }
  return raw;
}

/** What the report options add to a run's configuration; UsageError on a bad value or expectations file. */
export function reportRunConfig(
  values: OptionValues,
  cwd = process.cwd(),
): Pick<RunConfig, 'failOn' | 'expectations' | 'label' | 'shard'> {
  const failOn = failOnOption(values);
  const given = stringOption(values.expectations);
  const file = given ?? (existsSync(resolve(cwd, EXPECTATIONS_FILE)) ? EXPECTATIONS_FILE : undefined);
  const expectations =
    file === undefined
      ? undefined
      : { file, entries: readExpectations(resolve(cwd, file), allCaseIds()).expectations };
  const label = stringOption(values.label);
  const shard = shardOption(values);
  return {
    ...(failOn ? { failOn } : {}),
    ...(expectations ? { expectations } : {}),
    ...(label !== undefined ? { label } : {}),
    ...(shard !== undefined ? { shard } : {}),
  };
}
