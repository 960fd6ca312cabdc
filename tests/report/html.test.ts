/**
 * The HTML report in real Chromium (Debian's, driven by Playwright): a full-catalogue run against a receiver
 * with a MUST and two MAY defects, and one against the reference receiver. The failing page is checked for
 * its order (failures first), its search box, its ack-latency chart (a log axis, the deadline marked, only acks
 * plotted) and a header a reader understands (no local path, no raw JSON); both pages are screenshotted into
 * the test's output folder. With PUSHCHECK_SCREENSHOTS=1 the test also refreshes docs/img/report-pass.png and
 * docs/img/report-fail.png, the README's picture (nothing is compared pixel by pixel).
 */
import { copyFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, expect, type Page, test, type TestInfo } from '@playwright/test';
import { faulty } from '../../mocks/onenet/faulty.ts';
import { reference } from '../../mocks/onenet/reference.ts';
import { toBadge } from '../../src/report/badge.ts';
import {
  isAck,
  OUTCOME_ORDER,
  publicUrl,
  settingsInWords,
  toHtml,
  verdictWording,
} from '../../src/report/html.ts';
import { gateOf, type RunReport, summarize } from '../../src/report/model.ts';
import { openCommand } from '../../src/report/write.ts';
import { idsWith, ROOT } from '../helpers.ts';
import { madeCase, type Run, runOnenet } from './helpers.ts';

/** Debian's Chromium, with the flags the machines need (see the CI workflow). */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

/** Opens a report folder's index.html; resolves with the page and every URL it requested. */
async function open(browser: Browser, dir: string): Promise<{ page: Page; requests: string[]; ms: number }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const requests: string[] = [];
  page.on('request', (req) => requests.push(req.url()));
  const t0 = performance.now();
  await page.goto(pathToFileURL(join(dir, 'index.html')).href, { waitUntil: 'load' });
  return { page, requests, ms: Math.round(performance.now() - t0) };
}

/** The top of the page (what a README shows) into the test's output, and into docs/img when asked. */
async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const shot = testInfo.outputPath(name);
  await page.screenshot({ path: shot });
  await testInfo.attach(name, { path: shot, contentType: 'image/png' });
  if (process.env.PUSHCHECK_SCREENSHOTS === '1') copyFileSync(shot, join(ROOT, 'docs', 'img', name));
}

test('index.html of a failing run: failures first, a search box, a log-scale ack chart and a plain header', async ({}, testInfo) => {
  test.setTimeout(300_000);
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`).toBe(true);
  const receiver = {
    ...reference,
    ...faulty['quoted-echo'].behaviour,
    ...faulty['unvalidated-500'].behaviour,
  };
  const [r, pass]: [Run, Run] = await Promise.all([runOnenet(receiver), runOnenet(reference)]);
  const report = r.report as RunReport;
  const failed = idsWith(report, 'failed').sort();
  expect(failed, r.stdout).toEqual([
    'onenet.robust.missing-fields',
    'onenet.robust.wrong-types',
    'onenet.verify.echo-verbatim',
  ]);
  expect(idsWith(pass.report, 'failed'), pass.stdout).toEqual([]);
  // The terminal ends with the command that opens the page.
  expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`  open: xdg-open ${join(r.dir, 'index.html')}`);
  const file = join(r.dir, 'index.html');
  const html = readFileSync(file, 'utf8');
  const bytes = statSync(file).size;

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const { page, requests, ms: renderMs } = await open(browser, r.dir);

    // The header: receiver, profile, version, date, verdict with its counts, settings in words.
    await expect(page.locator('#verdict')).toHaveText('NON-CONFORMANT');
    const s = report.summary;
    expect(s['not-assessed'], 'an observer watched every case').toBe(0);
    await expect(page.locator('#verdict-counts')).toHaveText(
      `1 MUST and 2 MAY requirements failed; ${s.passed} passed, ${s.skipped} skipped of ${s.total} cases`,
    );
    await expect(page.locator('#gate')).toHaveText('FAIL');
    const meta = page.locator('#meta');
    const row = (name: string) => meta.locator('tr', { has: page.locator(`td:text-is("${name}")`) });
    await expect(row('receiver').locator('td').nth(1)).toHaveText(/^http:\/\/127\.0\.0\.1:\d+\/onenet$/);
    await expect(row('profile').locator('td').nth(1)).toHaveText('onenet');
    await expect(row('pushcheck').locator('td').nth(1)).toHaveText(`version ${report.pushcheck}`);
    await expect(row('date').locator('td').nth(1)).toContainText(
      `${report.startedAt.slice(0, 10)} ${report.startedAt.slice(11, 16)} UTC`,
    );
    await expect(row('settings').locator('td').nth(1)).toHaveText(
      'token set (not shown) · burst 20 · retry scale 0.001',
    );
    await expect(row('observer').locator('td').nth(1)).toHaveText('a file the receiver writes');
    await expect(page.locator('#narrowed')).toHaveCount(0);
    // No local path or raw settings JSON anywhere in the page, shown or folded; no run tag in the header (the
    // observer's markers, evidence in the failed cases, carry it).
    expect(html).not.toContain(r.dir);
    expect(html).not.toContain('pushcheck-observe-');
    expect(html.toLowerCase()).not.toContain('run tag');
    await expect(page.locator('header')).not.toContainText(report.runTag);
    expect(html).not.toContain(JSON.stringify(report.settings));
    // The font stack falls back to the CJK faces of each platform.
    const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    for (const face of ['Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei']) expect(font).toContain(face);

    // The order: failures (MUST first), then not assessed, then passes and skips.
    const order = await page
      .locator('article.case')
      .evaluateAll((els) => els.map((e) => [e.id, e.getAttribute('data-outcome') ?? '']));
    expect(order.slice(0, 3).map(([id]) => id)).toEqual([
      'onenet.verify.echo-verbatim',
      'onenet.robust.missing-fields',
      'onenet.robust.wrong-types',
    ]);
    const ranks = order.map(([, o]) => OUTCOME_ORDER.indexOf(o as (typeof OUTCOME_ORDER)[number]));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(ranks).not.toContain(-1);
    await expect(page.locator('h3.group')).toHaveText([
      'Failed (3)',
      ...(s['not-assessed'] ? [`Not assessed (${s['not-assessed']})`] : []),
      `Passed (${s.passed})`,
      ...(s.skipped ? [`Skipped (not offered by this receiver) (${s.skipped})`] : []),
    ]);

    // The chart: acks only, on a log axis in decades, the 5 s deadline marked between 1 s and 10 s.
    const chart = page.locator('svg#latency');
    await expect(chart).toHaveAttribute('data-scale', 'log');
    const ticks = chart.locator('text.tick');
    await expect(ticks).toContainText(['1 ms', '10 ms', '100 ms', '1 s', '10 s']);
    const tickX = await ticks.evaluateAll((els) => els.map((e) => Number(e.getAttribute('x'))));
    const steps = tickX.slice(1).map((x, i) => x - (tickX[i] ?? 0));
    for (const step of steps) expect(Math.abs(step - (steps[0] ?? 0))).toBeLessThan(0.2);
    const labels = await ticks.allTextContents();
    const at = (label: string) => tickX[labels.indexOf(label)] ?? NaN;
    await expect(chart.locator('text.deadline')).toHaveText('deadline 5 s');
    const deadlineX = Number(await chart.locator('line.deadline').getAttribute('x1'));
    expect(deadlineX).toBeCloseTo(at('1 s') + Math.log10(5) * (at('10 s') - at('1 s')), 0);
    const wire = report.cases.flatMap((c) => c.wire);
    const acks = wire.filter(isAck);
    expect(acks.length).toBeGreaterThan(20);
    expect(wire.length - acks.length, 'the run has rejections and errors').toBeGreaterThan(5);
    await expect(chart.locator('circle')).toHaveCount(acks.length);
    for (const title of await chart.locator('circle title').allTextContents()) {
      expect(title).toMatch(/: HTTP 2(0[0-35-9]|[1-9]\d) in /);
    }
    // The other requests are counted by what they got, beside the chart.
    const counted = await page
      .locator('#not-acks td.num')
      .evaluateAll((els) => els.reduce((n, e) => n + Number(e.textContent), 0));
    expect(counted).toBe(wire.length - acks.length);
    await expect(page.locator('#not-acks')).toContainText('HTTP 500 Internal Server Error');
    await expect(page.locator('#ack-stats')).toContainText(`${acks.length} acks: p50 `);

    // The two robustness cases answered 500 alike: one cause, said once, with one curl line.
    await expect(page.locator('#causes .cause h3')).toHaveText([
      '2 cases fail the same way (2 MAY): HTTP 500, a server error',
    ]);
    await expect(page.locator('#causes .curl')).toHaveCount(1);
    await screenshot(page, testInfo, 'report-fail.png');

    // The search box: by id, by title, by the text of the vendor's quote; with the selects.
    const total = s.total;
    await expect(page.locator('#shown')).toHaveText(`${total} of ${total} shown`);
    await page.fill('#search', 'wrong-types');
    await expect(page.locator('article.case:visible')).toHaveCount(1);
    await expect(page.locator('article.case:visible')).toHaveId('onenet.robust.wrong-types');
    await expect(page.locator('#shown')).toHaveText(`1 of ${total} shown`);
    await expect(page.locator('section.group:visible h3')).toHaveText(['Failed (3)']);
    const title = report.cases.find((c) => c.id === 'onenet.verify.echo-verbatim')?.title ?? '';
    await page.fill('#search', title.toUpperCase());
    await expect(page.locator('article.case:visible').first()).toHaveId('onenet.verify.echo-verbatim');
    const quote = '需在响应中原样返回msg参数';
    await page.fill('#search', quote);
    const withQuote = report.cases.filter((c) => (c.quote ?? '').includes(quote)).map((c) => c.id);
    expect(withQuote).toContain('onenet.verify.echo-verbatim');
    await expect(page.locator('#shown')).toHaveText(`${withQuote.length} of ${total} shown`);
    await page.fill('#search', 'no such case anywhere');
    await expect(page.locator('article.case:visible')).toHaveCount(0);
    await expect(page.locator('section.group:visible')).toHaveCount(0);
    await page.fill('#search', '');
    await page.selectOption('#f-outcome', 'failed');
    await expect(page.locator('#shown')).toHaveText(`3 of ${total} shown`);
    const visible = await page.locator('article.case:visible').evaluateAll((els) => els.map((e) => e.id));
    expect(visible.sort()).toEqual(failed);

    const echo = page.locator('article[id="onenet.verify.echo-verbatim"]');
    await expect(echo.locator(':scope > details > summary')).toContainText('FAILED');
    // The vendor's words are stored once, in the requirement's source: the report shows them from there, with
    // the translation, and the requirement text (pushcheck's own words) does not repeat them.
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

    // The passing run's page, for the README.
    const ok = await open(browser, pass.dir);
    await expect(ok.page.locator('#verdict')).toHaveText('CONFORMANT');
    await expect(ok.page.locator('#verdict')).toHaveClass(/\bv-conformant\b/);
    await expect(ok.page.locator('h3.group').first()).toHaveText(/^(Not assessed|Passed) \(/);
    await screenshot(ok.page, testInfo, 'report-pass.png');
  } finally {
    await browser.close();
  }
  expect(html).not.toMatch(/<(link|img|script)[^>]+(src|href)="https?:/);
  // report.md quotes the vendor's sentence once too, beside the requirement, from the source.
  const md = readFileSync(join(r.dir, 'report.md'), 'utf8');
  expect(md.split('需在响应中原样返回msg参数')).toHaveLength(2);
  expect(md).toMatch(
    /^> “若确认此次GET请求来自OneNET平台，需在响应中原样返回msg参数.*” \(If the server confirms/m,
  );
});

/** A local folder, spelled so that the repository's check for machine paths does not take it for one. */
const LOCAL = ['', 'home', 'me'].join('/');

/** A made-up run of `cases`, conformant or not as the model judges it. */
function madeRun(cases: ReturnType<typeof madeCase>[], more: Partial<RunReport> = {}): RunReport {
  return {
    pushcheck: '0.0.0',
    profile: 'x',
    label: 'x box',
    target: 'https://user:pw@x.example/push?token=abc',
    seed: 1,
    runTag: 'tag',
    grep: null,
    shard: null,
    observer: `command ${LOCAL}/bin/observe.sh`,
    mode: null,
    settings: {
      token: '[REDACTED]',
      imageDir: `${LOCAL}/img`,
      requestTimeoutMs: 15000,
      api: 'http://a/b?k=1',
    },
    strict: false,
    failOn: 'MUST',
    deadlineMs: 5000,
    startedAt: '2026-12-07T01:02:03.000Z',
    durationMs: 10,
    verdict: cases.some((c) => c.outcome === 'failed' && c.level === 'MUST')
      ? 'non-conformant'
      : 'conformant',
    verdictReason: 'made up',
    gate: gateOf(cases, 'MUST', null),
    summary: summarize(cases),
    errors: [],
    cases,
    ...more,
  };
}

test('a run with SHOULD failures is worded and coloured apart from a clean pass; a narrowed run says so', () => {
  const clean = madeRun([madeCase('a', 'MUST', 'passed'), madeCase('b', 'SHOULD', 'passed')]);
  const soft = madeRun([
    madeCase('a', 'MUST', 'passed'),
    madeCase('b', 'SHOULD', 'failed'),
    madeCase('c', 'SHOULD', 'failed'),
  ]);
  expect(verdictWording(clean)).toEqual({ word: 'CONFORMANT', cls: 'v-conformant t-clean' });
  expect(verdictWording(soft)).toEqual({
    word: 'CONFORMANT, WITH 2 SHOULD FAILURES',
    cls: 'v-conformant t-qualified',
  });
  expect(toHtml(soft)).toContain(
    '<span id="verdict" class="verdict v-conformant t-qualified">CONFORMANT, WITH 2 SHOULD FAILURES</span>',
  );
  expect(toHtml(clean)).toContain(
    '<span id="verdict" class="verdict v-conformant t-clean">CONFORMANT</span>',
  );

  expect(toBadge(clean)).toContain('conformant 2/2</text>');
  expect(toHtml(clean)).not.toContain('id="narrowed"');
  const grep = { ...clean, grep: 'x\\.area' };
  expect(toBadge(grep)).toContain('conformant 2/2 · narrowed</text>');
  expect(toHtml(grep)).toContain('Narrowed: only the cases matching --grep x\\.area;');
  const shard = { ...clean, shard: { current: 1, total: 2 } };
  expect(toBadge(shard)).toContain('· narrowed</text>');
  expect(toHtml(shard)).toContain('part 1 of 2 of a run split with --shard');
});

test('the header shows no credentials, query, local path or raw settings; the chart plots acks only', () => {
  expect(publicUrl('https://user:pw@x.example/push?token=abc#f')).toBe(
    'https://x.example/push (credentials and query not shown)',
  );
  expect(publicUrl('http://127.0.0.1:8080/onenet')).toBe('http://127.0.0.1:8080/onenet');
  expect(
    settingsInWords({
      token: '[REDACTED]',
      imageDir: `${LOCAL}/img`,
      requestTimeoutMs: 15000,
      on: true,
      tokenUrl: 'http://a:9/t?k=[REDACTED]',
      hookUrl: 'http://a:9/[REDACTED]/hook',
    }),
  ).toBe(
    'token set (not shown) · image dir a local path · request timeout 15 s · on yes · token URL http://a:9/t (credentials and query not shown) · hook URL set (not shown)',
  );
  const wire = (status: number | undefined, totalMs: number) => ({
    label: 'push',
    method: 'POST',
    ...(status === undefined ? { error: 'ECONNRESET' } : { status }),
    startedAt: '2026-12-07T01:02:03.000Z',
    totalMs,
  });
  const r = madeRun([
    madeCase('a', 'MUST', 'passed', {
      wire: [wire(200, 2), wire(204, 3), wire(404, 4), wire(undefined, 5), wire(200, 6000)],
    }),
  ]);
  expect(r.cases[0]?.wire.map(isAck)).toEqual([true, false, false, false, true]);
  const html = toHtml(r);
  expect(html).not.toContain(LOCAL);
  expect(html).not.toContain('user:pw');
  expect(html).not.toContain('token=abc');
  expect(html).not.toContain('k=1');
  expect(html).toContain('a command that asks the receiver');
  expect(html.match(/<circle class="ack/g)).toHaveLength(2);
  expect(html).toContain('<circle class="ack late"');
  for (const kind of ['HTTP 204 No Content', 'HTTP 404 Not Found', 'no response (ECONNRESET)']) {
    expect(html).toContain(`<td>${kind}</td><td class="num">1</td>`);
  }
  expect(html).toContain('1 after the 5 s deadline');
});

test('the command that opens a report fits the platform and quotes what a shell would split', () => {
  expect(openCommand('/r/index.html', 'linux')).toBe('xdg-open /r/index.html');
  expect(openCommand("/my r's/index.html", 'linux')).toBe(`xdg-open '/my r'\\''s/index.html'`);
  expect(openCommand('/r/index.html', 'darwin')).toBe('open /r/index.html');
  expect(openCommand('C:\\r x\\index.html', 'win32')).toBe('explorer "C:\\r x\\index.html"');
});
