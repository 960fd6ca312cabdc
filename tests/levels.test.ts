/**
 * The levels table (decisions/022-levels.md) and the registries agree: every requirement of every registry (each
 * profile's, the OneNET sender grader's, the Control iD device grader's) has exactly one row, with the
 * registry's level; the rule in the row gives that level; `permitted` and ⚑ (security) rows are exactly the
 * requirements that carry `permitted` and `security`; no interpreted requirement is graded `requires`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { deviceRequirements } from '../specs/controlid/device-requirements.ts';
import { senderRequirements } from '../specs/onenet/sender-requirements.ts';
import type { Level, Registry, Requirement } from '../src/core/case.ts';
import { PROFILES } from '../src/profiles.ts';
import { pushcheck, ROOT } from './helpers.ts';

/** The rules of decisions/022 and the level each gives. */
const RULES: Record<string, Level> = {
  requires: 'MUST',
  recommends: 'SHOULD',
  'literal form': 'SHOULD',
  purpose: 'SHOULD',
  interpretation: 'MAY',
  'interpretation, stated harm': 'SHOULD',
  permitted: 'MAY',
};

interface Row {
  id: string;
  security: boolean;
  level: string;
  rule: string;
  words: string;
  why: string;
}

/** The rows of the table under "## Every requirement". */
function tableRows(markdown: string): Row[] {
  const section = markdown.split(/^## Every requirement$/m)[1] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const cells = line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim());
      const [name = '', level = '', rule = '', words = '', why = ''] = cells;
      const id = /^`([^`]+)`/.exec(name)?.[1] ?? '';
      return { id, security: name.endsWith('⚑'), level, rule, words, why };
    });
}

function registries(): Record<string, Requirement> {
  const all: Record<string, Requirement> = {};
  const regs: Registry[] = [
    ...Object.values(PROFILES).map((p) => p.registry),
    senderRequirements,
    deviceRequirements,
  ];
  for (const reg of regs) {
    for (const [id, req] of Object.entries(reg)) {
      expect(all[id], `${id} is in two registries`).toBeUndefined();
      all[id] = req;
    }
  }
  return all;
}

/** What is wrong between a table and the registries, one line each; empty when they agree. */
export function mismatches(markdown: string, reqs: Record<string, Requirement>): string[] {
  const rows = tableRows(markdown);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.id)) problems.push(`${row.id}: two rows`);
    seen.add(row.id);
    const req = reqs[row.id];
    if (!req) {
      problems.push(`${row.id}: a row for no requirement`);
      continue;
    }
    if (row.level !== req.level)
      problems.push(`${row.id}: the table says ${row.level}, the registry ${req.level}`);
    const ruled = RULES[row.rule];
    if (ruled === undefined) problems.push(`${row.id}: no such rule "${row.rule}"`);
    else if (ruled !== row.level)
      problems.push(`${row.id}: rule "${row.rule}" gives ${ruled}, not ${row.level}`);
    if ((row.rule === 'permitted') !== (req.permitted !== undefined))
      problems.push(`${row.id}: "permitted" in the table and in the registry disagree`);
    if (row.security !== (req.security === true))
      problems.push(`${row.id}: ⚑ in the table and security in the registry disagree`);
    if (req.interpreted && row.rule === 'requires')
      problems.push(`${row.id}: an interpreted requirement cannot be "requires"`);
    if (row.words.length < 5 || row.why.length < 10) problems.push(`${row.id}: no words or no reason`);
  }
  for (const id of Object.keys(reqs)) if (!seen.has(id)) problems.push(`${id}: no row`);
  return problems;
}

const TABLE = join(ROOT, 'decisions', '022-levels.md');

test('every requirement of every registry has one row in decisions/022-levels.md, with its level, by its rule', () => {
  const reqs = registries();
  expect(Object.keys(reqs).length).toBeGreaterThan(100);
  expect(mismatches(readFileSync(TABLE, 'utf8'), reqs)).toEqual([]);
});

test('the check catches a level changed on either side, a missing row, a wrong rule and a lost ⚑', () => {
  const reqs = registries();
  const table = readFileSync(TABLE, 'utf8');
  const row = (id: string) => table.split('\n').find((l) => l.startsWith(`| \`${id}\``)) ?? '';
  const ack = 'onenet.ack.within-5s';
  expect(row(ack)).toContain('| MUST ');

  // The registry moves, the table does not.
  const moved = { ...reqs, [ack]: { ...(reqs[ack] as Requirement), level: 'SHOULD' as const } };
  expect(mismatches(table, moved)).toContain(`${ack}: the table says MUST, the registry SHOULD`);
  // A row removed.
  expect(mismatches(table.replace(`${row(ack)}\n`, ''), reqs)).toEqual([`${ack}: no row`]);
  // A rule that does not give the level.
  const wrongRule = table.replace(row(ack), row(ack).replace('| requires ', '| purpose '));
  expect(mismatches(wrongRule, reqs)).toEqual([`${ack}: rule "purpose" gives SHOULD, not MUST`]);
  // A security case whose ⚑ is lost.
  const forged = 'onenet.sign.forged-not-processed';
  const unflagged = table.replace(row(forged), row(forged).replace(' ⚑', '  '));
  expect(mismatches(unflagged, reqs)).toEqual([
    `${forged}: ⚑ in the table and security in the registry disagree`,
  ]);
  // A permitted requirement graded as a plain interpretation.
  const echo = 'onenet.verify.forged-not-echoed';
  const unpermitted = table.replace(row(echo), row(echo).replace('| permitted ', '| interpretation '));
  expect(mismatches(unpermitted, reqs)).toEqual([
    `${echo}: "permitted" in the table and in the registry disagree`,
  ]);
});

test('`cases` marks the security cases ⚑ and the permitted ones, in the text and in --json', async () => {
  const text = await pushcheck(['cases', '--profile', 'onenet']);
  expect(text.code).toBe(0);
  const line = (id: string) => text.stdout.split('\n').find((l) => l.startsWith(`${id} `)) ?? '';
  expect(line('onenet.sign.forged-not-processed')).toContain('signed with another token ⚑');
  expect(line('onenet.verify.forged-not-echoed')).toContain('⚑ (permitted: never fails)');
  expect(line('onenet.ack.within-5s')).not.toContain('⚑');
  const json = await pushcheck(['cases', '--profile', 'onenet', '--json']);
  const rows = JSON.parse(json.stdout) as { id: string; security?: boolean; permitted?: string }[];
  expect(rows.filter((r) => r.security).map((r) => r.id)).toEqual([
    'onenet.verify.forged-not-echoed',
    'onenet.sign.forged-not-processed',
    'onenet.sign.tampered-not-processed',
  ]);
  expect(rows.filter((r) => r.permitted !== undefined).map((r) => r.id)).toEqual([
    'onenet.verify.forged-not-echoed',
  ]);
});
