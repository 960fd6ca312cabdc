/**
 * Failures grouped by root cause, through the real CLI: a OneNET receiver that acks every push with 204
 * instead of 200 fails a dozen cases for one reason. The terminal and report.md say that reason once, list
 * the cases under it, show one `curl` line, and name no case twice; the verdicts are those of an ungrouped
 * report (the grouping is presentation only).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { faultyBehaviour } from '../../mocks/onenet/faulty.ts';
import { runOnenet } from './helpers.ts';

/**
 * The outcome of every case of the run (with an observer, without an AES key), as a report written before
 * failures were grouped gave them for the same receiver.
 */
const OUTCOMES: Record<string, string> = {
  'onenet.ack.burst': 'failed',
  'onenet.ack.within-5s': 'failed',
  'onenet.dedup.processed-once': 'not-assessed',
  'onenet.dedup.redelivery-acked': 'failed',
  'onenet.push.event-acked': 'failed',
  'onenet.push.lbs-wifi-acked': 'failed',
  'onenet.push.lifecycle-acked': 'failed',
  'onenet.push.processed': 'failed',
  'onenet.push.property-acked': 'failed',
  'onenet.push.scene-log-acked': 'failed',
  'onenet.push.service-reply-acked': 'failed',
  'onenet.retry.delivered': 'failed',
  'onenet.retry.processed-once': 'not-assessed',
  'onenet.robust.bad-json': 'passed',
  'onenet.robust.empty-body': 'passed',
  'onenet.robust.huge-body': 'passed',
  'onenet.robust.missing-fields': 'passed',
  'onenet.robust.no-content-type': 'passed',
  'onenet.robust.survives-bad-input': 'failed',
  'onenet.robust.wrong-types': 'passed',
  'onenet.secure.decrypted': 'skipped',
  'onenet.sign.forged-not-processed': 'not-assessed',
  'onenet.sign.tampered-not-processed': 'not-assessed',
  'onenet.verify.echo-verbatim': 'passed',
  'onenet.verify.forged-not-echoed': 'passed',
  'onenet.verify.signature-percent-encoded': 'passed',
  'onenet.verify.signature-raw': 'passed',
};

/** How many times `id` occurs in `text` as a whole id (not as the start of a longer one). */
function occurrences(text: string, id: string): number {
  const escaped = id.replace(/[.]/g, '\\.');
  return text.match(new RegExp(`(?<![\\w.-])${escaped}(?![\\w-]|\\.\\w)`, 'g'))?.length ?? 0;
}

test('a receiver that acks with 204: one cause, said once, its cases under it, one curl line, no case named twice', async () => {
  test.setTimeout(300_000);
  const r = await runOnenet(faultyBehaviour('ack-204'));
  const report = r.report;
  expect(report, r.stdout + r.stderr).toBeDefined();
  const outcomes = Object.fromEntries((report?.cases ?? []).map((c) => [c.id, c.outcome]));
  expect(outcomes, 'grouping changes no verdict').toEqual(OUTCOMES);
  expect(r.code).toBe(1);
  const failed = Object.keys(OUTCOMES).filter((id) => OUTCOMES[id] === 'failed');

  const out = r.stdout;
  // The summary, for whoever reads the test's output.
  console.log(out.slice(out.indexOf('\n\n')));
  const cause = 'HTTP 204 where HTTP 200 was expected';
  expect(out.split(cause), out).toHaveLength(2);
  const header = out.split('\n').find((l) => l.includes(cause)) ?? '';
  // Every failure but those an observer judged after acked sentinels shares the cause.
  expect(header).toMatch(/^ {2}(\d+) cases fail the same way \(\d+ MUST, \d+ SHOULD\): /);
  const block = out.slice(out.indexOf(header), out.indexOf('  verdict:'));
  const grouped = failed.filter((id) => block.includes(` ${id}: `));
  expect(grouped).toEqual(
    expect.arrayContaining([
      'onenet.push.lifecycle-acked',
      'onenet.ack.within-5s',
      'onenet.retry.delivered',
      'onenet.robust.survives-bad-input',
    ]),
  );
  expect(header).toContain(`${grouped.length} cases fail the same way`);
  // The simplest case comes first, with its details and the run's one curl line.
  expect(block).toMatch(/^ {4}FAILED MUST onenet\.push\.[a-z-]+-acked: .* \(the simplest: 1 request\)$/m);
  expect(out.match(/^\s*curl /gm) ?? []).toHaveLength(1 + failed.length - grouped.length);
  // Each case is named once: as it ends, or in the summary if it failed. (A reason may refer to another
  // case, as a retry case not assessed refers to the one that found the push never acked.)
  const named = out
    .split('\n')
    .map((l) => (/^ {2}[✓?!-] /.test(l) ? l.split('  — ')[0] : l))
    .join('\n');
  for (const id of Object.keys(OUTCOMES)) expect(occurrences(named, id), `${id}\n${out}`).toBe(1);
  const gate = out.split('\n').find((l) => l.startsWith('  gate: ')) ?? '';
  expect(gate).toMatch(/^ {2}gate: FAIL \(\d+ new failure\(s\), listed above\), exit 1$/);
  expect(out).not.toContain('a body that is not JSON');

  // The case that follows bad input with a genuine push says the receiver acks none, bad input or not.
  const survives = report?.cases.find((c) => c.id === 'onenet.robust.survives-bad-input');
  expect(survives?.reason).toMatch(
    /^the receiver acked no genuine push, neither one sent before any bad input/,
  );
  expect(survives?.actual).toMatch(/^HTTP 204 .*; before any bad input: HTTP 204 /);

  const md = readFileSync(join(r.dir, 'report.md'), 'utf8');
  expect(md.split(cause)).toHaveLength(2);
  expect(md).toContain(`#### ${grouped.length} cases fail the same way`);
  for (const id of failed) expect(md.split(`<code>${id}</code>`), id).toHaveLength(2);
  expect(md.match(/^curl /gm) ?? []).toHaveLength(1 + failed.length - grouped.length);
  expect(md).toMatch(/\*\*CI gate:\*\* fail \(\d+ new failure\(s\), listed below\)/);

  const html = readFileSync(join(r.dir, 'index.html'), 'utf8');
  expect(html.split(cause)).toHaveLength(2);
});
