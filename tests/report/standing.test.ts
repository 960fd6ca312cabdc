/**
 * A receiver that verifies nothing never looks clean (decisions/022): through the real CLI and real HTTP, the
 * 26-line receiver of mocks/onenet/verifies-nothing.ts stays conformant (exit 0: the gate is MUST) but its
 * verdict, badge, terminal summary, report.md, report.json, junit.xml and index.html say "conformant, with N
 * SHOULD failures and M security findings" in amber and list the security findings; the reference receiver,
 * run on the same cases, is a clean green "conformant". The wording itself is checked on crafted reports.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { onenetHandlers, reference } from '../../mocks/onenet/reference.ts';
import { verifiesNothing } from '../../mocks/onenet/verifies-nothing.ts';
import type { RequestHandler } from 'msw';
import { toBadge } from '../../src/report/badge.ts';
import { annotations } from '../../src/report/github.ts';
import { type CaseReport, type RunReport, standingOf, verdictOf } from '../../src/report/model.ts';
import { runServed, scratch, TOKEN } from '../helpers.ts';

/** The cases about the signature and the verification, where a receiver that verifies nothing differs. */
const GREP = 'onenet\\.(verify|sign)\\.';
const SECURITY = [
  'onenet.sign.forged-not-processed',
  'onenet.sign.tampered-not-processed',
  'onenet.verify.forged-not-echoed',
];

async function runAgainst(handlers: (observeFile: string) => RequestHandler[], extra: string[] = []) {
  const dir = scratch();
  const observeFile = join(dir, 'processed.log');
  const r = await runServed(
    handlers(observeFile),
    (origin) => ['--profile', 'onenet', '--target', `${origin}/onenet`, '--token', TOKEN, '--seed', '7'],
    { dir, observeFile },
    { extra: ['--grep', GREP, ...extra] },
  );
  const file = (name: string) => readFileSync(join(dir, 'report', name), 'utf8');
  return { ...r, file };
}

test('a receiver that verifies nothing is "conformant, with SHOULD failures and security findings", amber everywhere', async () => {
  const r = await runAgainst((observeFile) => verifiesNothing({ observeFile }));
  expect(r.code, r.stdout + r.stderr).toBe(0);
  const report = r.report as RunReport;
  expect(report.verdict).toBe('conformant');
  expect(report.standing).toMatchObject({ tone: 'qualified', short: 'conformant*' });
  const findings = report.standing?.securityFindings ?? [];
  expect([...findings].sort()).toEqual(SECURITY);
  const should = report.cases.filter((c) => c.outcome === 'failed' && c.level === 'SHOULD').length;
  expect(should).toBeGreaterThan(0);
  const label = `conformant, with ${should} SHOULD failure${should === 1 ? '' : 's'} and 3 security findings`;
  expect(report.standing?.label).toBe(label);
  expect(report.verdictReason).toMatch(
    /^\d+ SHOULD requirement\(s\) failed: graded non-strict, they fail the run only with --fail-on should/,
  );
  for (const id of SECURITY) expect(report.cases.find((c) => c.id === id)?.security).toBe(true);
  // The document permits echoing without verifying: that case passed, with its finding (decisions/022).
  expect(report.cases.find((c) => c.id === 'onenet.verify.forged-not-echoed')).toMatchObject({
    outcome: 'passed',
    grade: 'ok',
    finding: 'a verification whose signature does not match the token was accepted',
  });
  expect(r.stdout).toContain('FINDING MAY onenet.verify.forged-not-echoed');
  expect(r.file('report.md')).toContain('### Findings the document permits (1)');
  expect(r.file('junit.xml')).toContain('<property name="finding" value="a verification whose signature');

  const badge = r.file('badge.svg');
  expect(badge).not.toContain('#2da44e');
  expect(badge).toContain('#d97706');
  expect(badge).toContain(`conformant* ${report.summary.passed}/`);
  expect(badge).toContain(`${should} SHOULD failed · 3 security findings`);

  expect(r.stdout).toContain(`verdict: ${label.toUpperCase()}`);
  expect(r.stdout).toContain('security findings (3)');
  for (const id of SECURITY) expect(r.stdout).toMatch(new RegExp(`! \\w+ ${id.replace(/\./g, '\\.')}`));

  const md = r.file('report.md');
  expect(md).toContain(`🟧 pushcheck onenet`);
  expect(md).toContain(`: ${label.toUpperCase()}`);
  expect(md).toContain('### ⚑ Security findings (3)');

  const junit = r.file('junit.xml');
  expect(junit.match(/<property name="security" value="finding"\/>/g)).toHaveLength(3);
  expect(junit).toContain('message="security finding: ');

  const html = r.file('index.html');
  expect(html).toContain('t-qualified');
  expect(html).toContain(label.toUpperCase());

  // --fail-on should turns the same SHOULD failures into a failing verdict: the exit code is the gate's.
  const strict = await runAgainst((observeFile) => verifiesNothing({ observeFile }), ['--fail-on', 'should']);
  expect(strict.code, strict.stdout).toBe(1);
  expect(strict.report?.standing).toMatchObject({
    tone: 'failed',
    label: 'non-conformant, with 3 security findings',
  });
  expect(strict.file('badge.svg')).toContain('#cf222e');
});

test('the reference receiver, on the same cases, is a clean green "conformant" without findings', async () => {
  const r = await runAgainst((observeFile) => onenetHandlers({ token: TOKEN, observeFile }, reference));
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(r.report?.standing).toMatchObject({ tone: 'clean', label: 'conformant', securityFindings: [] });
  const badge = r.file('badge.svg');
  expect(badge).toContain('#2da44e');
  expect(badge).not.toContain('security finding');
  expect(r.stdout).toContain('verdict: CONFORMANT (every assessed requirement passed');
  expect(r.stdout).not.toContain('security findings');
});

/** A case of a crafted report. */
function kase(
  id: string,
  outcome: CaseReport['outcome'],
  level: CaseReport['level'],
  extra: Partial<CaseReport> = {},
): CaseReport {
  return {
    id,
    title: id,
    level,
    interpreted: false,
    outcome,
    grade: outcome === 'passed' ? 'ok' : level === 'MUST' ? 'failed' : 'non-strict',
    requirement: 'r',
    source: 's',
    durationMs: 1,
    wire: [],
    ...extra,
  };
}

function crafted(cases: CaseReport[], failOn: RunReport['failOn'] = 'MUST'): RunReport {
  const { verdict } = verdictOf(cases, failOn);
  return {
    profile: 'onenet',
    verdict,
    cases,
    failOn,
    summary: { total: cases.length, skipped: 0, passed: cases.filter((c) => c.outcome === 'passed').length },
    gate: { newFailures: [], knownFailures: [], fixed: [] },
  } as unknown as RunReport;
}

test('the standing words each verdict, counting SHOULD failures only below the gate and security findings always', () => {
  const clean = crafted([kase('a.b.c', 'passed', 'MUST')]);
  expect(standingOf(clean)).toMatchObject({ tone: 'clean', label: 'conformant' });
  expect(toBadge(clean)).toContain('conformant 1/1');

  const may = crafted([kase('a.b.c', 'passed', 'MUST'), kase('a.b.d', 'failed', 'MAY')]);
  expect(standingOf(may).tone, 'a MAY failure is informational').toBe('clean');

  const one = crafted([kase('a.b.c', 'passed', 'MUST'), kase('a.b.d', 'failed', 'SHOULD')]);
  expect(standingOf(one)).toMatchObject({ tone: 'qualified', label: 'conformant, with 1 SHOULD failure' });
  expect(toBadge(one)).toContain('conformant* 1/2 · 1 SHOULD failed');

  // A permitted case that found what it looks for passed, and is still a security finding.
  const permitted = crafted([
    kase('a.b.c', 'passed', 'MUST'),
    kase('a.b.e', 'passed', 'MAY', { security: true, finding: 'a forged verification was echoed' }),
    kase('a.b.f', 'passed', 'SHOULD', { security: true }),
  ]);
  expect(standingOf(permitted)).toMatchObject({
    tone: 'qualified',
    label: 'conformant, with 1 security finding',
    securityFindings: ['a.b.e'],
  });
  expect(toBadge(permitted)).toContain('conformant* 3/3 · 1 security finding<');
  // On GitHub, the finding is a warning titled as a security finding; the clean security case says nothing.
  const notes = annotations(permitted, new Map(), '/');
  expect(notes).toHaveLength(1);
  expect(notes[0]).toMatch(
    /^::warning title=SECURITY FINDING · OK MAY a\.b\.e%3A a\.b\.e::passed, with a finding/,
  );

  const failed = crafted([
    kase('a.b.c', 'failed', 'MUST'),
    kase('a.b.g', 'failed', 'SHOULD', { security: true }),
  ]);
  expect(standingOf(failed)).toMatchObject({
    tone: 'failed',
    label: 'non-conformant, with 1 security finding',
    shouldFailures: 1,
  });
});
