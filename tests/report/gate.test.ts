/**
 * The CI gate through the real CLI: --fail-on, the expectations ratchet both ways (a listed failure passes
 * the gate and a new one fails it; a listed case that now passes is reported and `expectations update`
 * removes it), and the usage errors of the new options.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { faultyBehaviour } from '../../mocks/onenet/faulty.ts';
import { reference } from '../../mocks/onenet/reference.ts';
import { idsWith, pushcheck, scratch } from '../helpers.ts';
import { reportProblems } from '../../src/report/schema.ts';
import { only, runOnenet } from './helpers.ts';

const ECHO = 'onenet.verify.echo-verbatim';
const RAW = 'onenet.verify.signature-raw';
const VERIFY = ['--grep', 'onenet\\.verify'];
const NO_TYPE = ['--grep', 'onenet\\.robust\\.no-content-type'];

function expectations(entries: Record<string, { outcome: string; reason: string }>): string {
  const file = join(scratch(), 'pushcheck.expectations.json');
  writeFileSync(file, JSON.stringify({ expectations: entries }, null, 2));
  return file;
}

test.describe.configure({ mode: 'serial' });

test('a listed failure does not fail the gate, and is still reported as a failure', async () => {
  const file = expectations({ [ECHO]: { outcome: 'failed', reason: 'https://example.org/issues/7' } });
  const r = await runOnenet(faultyBehaviour('quoted-echo'), { extra: [...VERIFY, '--expectations', file] });
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(r.report?.verdict, 'the verdict is about the receiver, not the gate').toBe('non-conformant');
  expect(r.report?.gate).toMatchObject({ result: 'pass', knownFailures: [ECHO], newFailures: [], fixed: [] });
  const c = r.report?.cases.find((k) => k.id === ECHO);
  expect(c).toMatchObject({ outcome: 'failed', grade: 'failed', known: { outcome: 'failed' } });
  expect(r.stdout).toContain(
    `FAILED MUST ${ECHO}: echoes msg verbatim to a genuine verification (known failure)`,
  );
  expect(readFileSync(join(r.dir, 'junit.xml'), 'utf8')).toContain('known failed (expectations file)');
  expect(readFileSync(join(r.dir, 'report.md'), 'utf8')).toContain('(known)');
  // Every format carries the vendor document's URL (the failure's source is OneNET's HTTP push document).
  const url = 'https://open.iot.10086.cn/doc/iot_platform/book/application-develop/push/http_push.html';
  expect(c?.sourceUrl).toBe(url);
  expect(c?.quote).toContain('原样返回msg参数');
  expect(readFileSync(join(r.dir, 'junit.xml'), 'utf8')).toContain(
    `<property name="source.url" value="${url}"/>`,
  );
  expect(readFileSync(join(r.dir, 'report.md'), 'utf8')).toContain(`](${url})`);
  // The schema checks the links: the report as written passes, a source link that is not https does not.
  expect(reportProblems(r.report)).toBe('');
  const bad = structuredClone(r.report) as { cases: { sourceUrl?: string }[] };
  bad.cases[0]!.sourceUrl = 'javascript:alert(1)';
  expect(reportProblems(bad)).toContain('sourceUrl');
});

test('a new failure fails the gate, and a listed case that now passes is reported, then removed by update', async () => {
  const file = expectations({ [RAW]: { outcome: 'failed', reason: 'our proxy re-encodes +' } });
  const r = await runOnenet(faultyBehaviour('quoted-echo'), { extra: [...VERIFY, '--expectations', file] });
  expect(r.code, r.stdout + r.stderr).toBe(1);
  expect(r.report?.gate).toMatchObject({ result: 'fail', newFailures: [ECHO], fixed: [RAW] });
  expect(r.stdout).toMatch(/now passing: onenet\.verify\.signature-raw; tighten the file/);
  expect(readFileSync(join(r.dir, 'report.md'), 'utf8')).toMatch(/now passing.*signature-raw/s);

  const tighten = await pushcheck(['expectations', 'update', '--report', r.dir, '--file', file]);
  expect(tighten.code, tighten.stderr).toBe(0);
  expect(tighten.stdout).toContain(`- ${RAW} (now passes)`);
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ expectations: {} });

  const adopt = await pushcheck(['expectations', 'update', '--report', r.dir, '--file', file, '--add-new']);
  expect(adopt.code, adopt.stderr).toBe(0);
  const listed = JSON.parse(readFileSync(file, 'utf8')) as {
    expectations: Record<string, { outcome: string }>;
  };
  expect(Object.keys(listed.expectations)).toEqual([ECHO]);

  // The ratchet holds the other way too: the fixed receiver now passes, and the entry is reported as fixed.
  const fixed = await runOnenet(reference, { extra: ['--grep', only([ECHO]), '--expectations', file] });
  expect(fixed.code, fixed.stdout).toBe(0);
  expect(fixed.report?.gate.fixed).toEqual([ECHO]);
});

test('--fail-on should fails on a SHOULD failure, which the default grades non-strict and lets pass', async () => {
  const soft = await runOnenet(faultyBehaviour('no-type-500'), { extra: NO_TYPE });
  expect(soft.code, soft.stdout).toBe(0);
  const c = soft.report?.cases.find((k) => k.id === 'onenet.robust.no-content-type');
  expect(c).toMatchObject({ outcome: 'failed', level: 'SHOULD', grade: 'non-strict' });
  expect(soft.report).toMatchObject({ failOn: 'MUST', strict: false, verdict: 'conformant' });

  const strict = await runOnenet(faultyBehaviour('no-type-500'), {
    extra: [...NO_TYPE, '--fail-on', 'should'],
  });
  expect(strict.code).toBe(1);
  expect(strict.report).toMatchObject({ failOn: 'SHOULD', strict: true, verdict: 'non-conformant' });
  expect(strict.report?.verdictReason).toMatch(/SHOULD requirement\(s\) failed \(--fail-on should\)/);
  expect(strict.report?.gate.newFailures).toEqual(['onenet.robust.no-content-type']);
});

test('a capability the receiver does not offer is graded unimplemented', async () => {
  const r = await runOnenet(reference, { extra: ['--grep', only(['onenet.secure.decrypted', ECHO])] });
  expect(r.code, r.stdout).toBe(0);
  expect(idsWith(r.report, 'skipped')).toEqual(['onenet.secure.decrypted']);
  expect(r.report?.cases.find((k) => k.id === 'onenet.secure.decrypted')?.grade).toBe('unimplemented');
  expect(r.report?.summary.grades).toMatchObject({ ok: 1, unimplemented: 1 });
});

test('bad report options are one sentence and exit 2, before anything is sent', async () => {
  const base = ['run', '--profile', 'onenet', '--target', 'http://127.0.0.1:9/x', '--token', 't0ken'];
  const cases: [string[], RegExp][] = [
    [['--fail-on', 'often'], /--fail-on must be must, should or may, got "often"/],
    [['--strict', '--fail-on', 'must'], /--strict means --fail-on should/],
    [['--shard', '3/2'], /--shard must be I\/N/],
    [['--expectations', '/nonexistent/x.json'], /the expectations file \/nonexistent\/x.json does not exist/],
    [
      ['--expectations', expectations({ 'onenet.verify.echo-verbatin': { outcome: 'failed', reason: 'x' } })],
      /"onenet.verify.echo-verbatin" is not the id of a pushcheck case/,
    ],
    [
      ['--expectations', expectations({ [ECHO]: { outcome: 'passed', reason: 'x' } })],
      /needs "outcome": "failed" or "not-assessed"/,
    ],
    [['--expectations', expectations({ [ECHO]: { outcome: 'failed', reason: '' } })], /needs a "reason"/],
  ];
  for (const [args, message] of cases) {
    const r = await pushcheck([...base, ...args]);
    expect(r.code, args.join(' ')).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  }
  const merge = await pushcheck(['report', 'merge', scratch(), '--out', scratch()]);
  expect(merge.code).toBe(2);
  expect(merge.stderr).toMatch(/^pushcheck: no report\.json under /);
  const update = await pushcheck(['expectations', 'update']);
  expect(update.stderr).toMatch(/needs --report DIR/);
});
