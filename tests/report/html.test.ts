/**
 * The HTML report in real Chromium (Debian's, driven by Playwright): a full-catalogue run against a receiver
 * with a MUST and two MAY defects, filtered to the failed cases, checked for what it shows, screenshotted
 * (kept as a test artifact), and timed.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, expect, test } from '@playwright/test';
import { faulty } from '../../mocks/onenet/faulty.ts';
import { reference } from '../../mocks/onenet/reference.ts';
import { idsWith } from '../helpers.ts';
import { runOnenet } from './helpers.ts';

/** Debian's Chromium, with the flags the machines need (see the CI workflow). */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

test('index.html, opened in Chromium and filtered to the failed cases, shows what failed and why', async ({}, testInfo) => {
  test.setTimeout(300_000);
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`).toBe(true);
  const receiver = {
    ...reference,
    ...faulty['quoted-echo'].behaviour,
    ...faulty['unvalidated-500'].behaviour,
  };
  const r = await runOnenet(receiver);
  const failed = idsWith(r.report, 'failed').sort();
  expect(failed, r.stdout).toEqual([
    'onenet.robust.missing-fields',
    'onenet.robust.wrong-types',
    'onenet.verify.echo-verbatim',
  ]);
  const file = join(r.dir, 'index.html');
  const bytes = statSync(file).size;

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    page.on('request', (req) => requests.push(req.url()));
    const t0 = performance.now();
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const renderMs = Math.round(performance.now() - t0);

    await expect(page.locator('#verdict')).toHaveText('NON-CONFORMANT');
    await expect(page.locator('#gate')).toHaveText('FAIL');
    const total = r.report?.summary.total ?? 0;
    await expect(page.locator('#shown')).toHaveText(`${total} of ${total} shown`);
    await expect(page.locator('#counts tr').nth(1)).toContainText('MUST');
    expect(
      await page.locator('svg[aria-label="ack latency of every request"] circle').count(),
    ).toBeGreaterThan(20);

    // The two robustness cases answered 500 alike: one cause, said once, with one curl line.
    await expect(page.locator('#causes .cause h3')).toHaveText([
      '2 cases fail the same way (2 MAY): HTTP 500, a server error',
    ]);
    await expect(page.locator('#causes .curl')).toHaveCount(1);

    await page.selectOption('#f-outcome', 'failed');
    await expect(page.locator('#shown')).toHaveText(`3 of ${total} shown`);
    const visible = await page.locator('article.case:visible').evaluateAll((els) => els.map((e) => e.id));
    expect(visible.sort()).toEqual(failed);

    const echo = page.locator('article[id="onenet.verify.echo-verbatim"]');
    await expect(echo.locator(':scope > details > summary')).toContainText('FAILED');
    // The vendor's words are stored once, in the requirement's source: the report shows them from there, with
    // the translation, and the requirement text (pushcheck's own words) does not repeat them.
    const quote = '需在响应中原样返回msg参数';
    await expect(echo.locator('.requirement')).toContainText('the msg parameter, unchanged');
    await expect(echo.locator('.requirement')).not.toContainText(quote);
    await expect(echo.locator('.source q')).toContainText(quote);
    await expect(echo.locator('.source')).toContainText('return the msg parameter unchanged');
    expect((await echo.innerText()).split(quote)).toHaveLength(2);
    await expect(echo.locator('.source')).toContainText('OneNET 数据推送 · HTTP推送, 2. 实例验证');
    await expect(echo.locator('.source a').first()).toHaveAttribute(
      'href',
      /^https:\/\/open\.iot\.10086\.cn\//,
    );
    await expect(echo.locator('.expected')).toContainText('body "');
    await expect(echo.locator('.actual')).toContainText('HTTP 200 with body "\\"');
    await expect(echo.locator('.curl')).toHaveText(
      /^curl -sS -i -X GET .*--path-as-is 'http:\/\/127\.0\.0\.1:\d+\/onenet\?msg=/,
    );
    await expect(echo.locator('table.wire tr')).toHaveCount(2);
    const robust = page.locator('article[id="onenet.robust.missing-fields"]');
    await expect(robust.locator(':scope > details > summary')).toContainText('INFORMATIONAL');
    await expect(robust.locator('.actual')).toContainText('HTTP 500');

    await page.selectOption('#f-level', 'MAY');
    await expect(page.locator('article.case:visible')).toHaveCount(2);
    await page.selectOption('#f-level', 'MUST');
    await expect(page.locator('#shown')).toHaveText(`1 of ${total} shown`);
    await page.selectOption('#f-level', '');
    await page.selectOption('#f-outcome', 'skipped');
    await expect(page.locator('article.case:visible summary')).toContainText(['UNIMPLEMENTED']);
    await page.selectOption('#f-outcome', 'failed');

    const shot = testInfo.outputPath('report-failed-cases.png');
    await page.screenshot({ path: shot, fullPage: true });
    await testInfo.attach('report filtered to the failed cases', { path: shot, contentType: 'image/png' });
    expect(
      requests.every((u) => u.startsWith('file://')),
      requests.join('\n'),
    ).toBe(true);

    const note = `index.html of ${total} cases: ${bytes} bytes (${(bytes / 1024).toFixed(1)} KiB); loaded and rendered in Chromium in ${renderMs} ms`;
    testInfo.annotations.push({ type: 'measured', description: note });
    console.log(note);
  } finally {
    await browser.close();
  }
  expect(readFileSync(file, 'utf8')).not.toMatch(/<(link|img|script)[^>]+(src|href)="https?:/);
  // report.md quotes the vendor's sentence once too, beside the requirement, from the source.
  const md = readFileSync(join(r.dir, 'report.md'), 'utf8');
  expect(md.split('需在响应中原样返回msg参数')).toHaveLength(2);
  expect(md).toMatch(
    /^> “若确认此次GET请求来自OneNET平台，需在响应中原样返回msg参数.*” \(If the server confirms/m,
  );
});
