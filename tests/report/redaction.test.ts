/**
 * Redaction: every secret given to a run (the token, the AES key, the password of the target URL) is replaced
 * in every file of the report folder, the log, the job summary and the annotations, proven by grepping them
 * all. The receiver here leaks every secret into every answer, so a missed path would show.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { reportProblems } from '../../src/report/schema.ts';
import { REPORT_FILES } from '../../src/report/write.ts';
import { onenetRun, pushcheck, scratch } from '../helpers.ts';
import { everyFile } from './helpers.ts';

const TOKEN = 'leaky-token-5150';
const AES_KEY = 'Zx9+Qw/Er=Ty7Ui8';
const PASSWORD = 'url-pa55word';
const BASIC = Buffer.from(`pushcheck:${PASSWORD}`).toString('base64');
const GREP = 'onenet\\.(verify|secure)\\.|onenet\\.push\\.(property|event)-acked';
const FORMS = [TOKEN, AES_KEY, encodeURIComponent(AES_KEY), PASSWORD, BASIC];

test('no secret survives in any file of the report folder, the log, the job summary or the annotations', async () => {
  test.setTimeout(600_000);
  const dump = `token=${TOKEN} key=${AES_KEY} key-encoded=${encodeURIComponent(AES_KEY)} password=${PASSWORD}`;
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(500, { 'x-debug': dump, 'x-auth-seen': req.headers.authorization ?? '' });
    res.end(`config dump: ${dump}; you sent ${JSON.stringify(req.headers)}`);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const dir = join(scratch(), 'report');
  const summary = join(scratch(), 'step-summary.md');
  let r: Awaited<ReturnType<typeof pushcheck>>;
  try {
    const { port } = server.address() as AddressInfo;
    const target = `http://pushcheck:${PASSWORD}@127.0.0.1:${port}/onenet`;
    r = await pushcheck(
      // The cases whose failures keep the leaking answers: every verification, the secure push, two acks.
      onenetRun(target, ['--aes-key', AES_KEY, '--grep', GREP, '--report', dir], TOKEN),
      dir,
      { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    );
  } finally {
    server.close();
  }
  expect(r.code, r.stdout + r.stderr).toBe(1);
  expect(
    r.report?.summary.failed,
    'the leaks are in the failures, whose wire logs are kept',
  ).toBeGreaterThanOrEqual(4);

  const files = [...everyFile(dir), { path: 'summary', text: readFileSync(summary, 'utf8') }];
  for (const name of REPORT_FILES) expect(existsSync(join(dir, name)), name).toBe(true);
  expect(
    files.some((f) => f.path.includes('.artifacts')),
    "Playwright's own artifacts are checked too",
  ).toBe(true);
  for (const { path, text } of [
    ...files,
    { path: 'stdout', text: r.stdout },
    { path: 'stderr', text: r.stderr },
  ]) {
    for (const secret of FORMS) expect(text.includes(secret), `${secret} in ${path}`).toBe(false);
  }
  // Not vacuous: the receiver's answers are in the reports, with the secrets replaced.
  for (const name of ['report.json', 'index.html', 'report.md', 'junit.xml']) {
    const text = readFileSync(join(dir, name), 'utf8');
    expect(text, name).toContain('[REDACTED]');
    expect(text, name).toContain('config dump');
  }
  expect(readFileSync(summary, 'utf8')).toContain('[REDACTED]');
  expect(r.stdout).toMatch(
    /^::error file=suites\/onenet\/[a-z]+\.spec\.ts,line=\d+,title=FAILED MUST onenet\./m,
  );
  expect(r.stdout).toContain('[REDACTED]');

  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as unknown;
  expect(reportProblems(report)).toBe('');
});
