/**
 * Failures grouped by root cause (src/report/causes.ts), on made-up cases: what makes two failures share a
 * cause, which case shows it most simply, what stays alone, and that report.md says each failure once. The
 * CLI test (causes-cli.test.ts) shows the same through a real run against a receiver that acks with 204.
 */
import { expect, test } from '@playwright/test';
import type { Level, Outcome } from '../../src/core/case.ts';
import { causeOf, failuresByCause, simplest, withoutListed } from '../../src/report/causes.ts';
import { toHtml } from '../../src/report/html.ts';
import { toMarkdown } from '../../src/report/markdown.ts';
import { type CaseReport, gateOf, type RunReport, summarize, verdictOf } from '../../src/report/model.ts';
import { madeCase } from './helpers.ts';

interface Made {
  level?: Level;
  outcome?: Outcome;
  /** The answer of each request, in order: a status or a transport error. */
  answers?: (number | string)[];
  expected?: string;
  curl?: string;
}

function c(id: string, made: Made = {}): CaseReport {
  const level = made.level ?? 'MUST';
  const outcome = made.outcome ?? 'failed';
  return madeCase(id, level, outcome, {
    title: `does ${id}`,
    ...(outcome === 'failed' ? { reason: `${id} went wrong`, expected: made.expected ?? 'HTTP 200' } : {}),
    ...(outcome === 'failed' ? { actual: 'something else' } : {}),
    wire: (made.answers ?? [204]).map((a, i) => ({
      label: `request ${i + 1}`,
      method: 'POST',
      ...(typeof a === 'number' ? { status: a } : { error: a }),
      startedAt: '2026-01-01T00:00:00.000Z',
      totalMs: 3,
    })),
    ...(outcome === 'failed' ? { curl: made.curl ?? `curl -X POST 'http://127.0.0.1/${id}'` } : {}),
  });
}

const ids = (cases: readonly CaseReport[]) => cases.map((k) => k.id);

test('cases whose last request got the same status where another was expected share one cause', () => {
  const cases = [
    c('burst', {
      level: 'SHOULD',
      answers: [204, 204, 204],
      expected: 'all 3 acked with HTTP 200 within 5000 ms',
    }),
    c('lifecycle'),
    c('event', { curl: `curl -X POST 'http://127.0.0.1/event' --data-binary '{"a long body":1}'` }),
    c('survives', {
      level: 'SHOULD',
      answers: [204, 400, 204],
      expected: 'every genuine push acked with HTTP 200',
    }),
    c('echo', { answers: [200], expected: 'body "abc" (3 bytes)' }),
    c('passes', { outcome: 'passed' }),
  ];
  const { causes, alone } = failuresByCause(cases);
  expect(causes).toHaveLength(1);
  const [cause] = causes;
  expect(cause?.summary).toBe('HTTP 204 where HTTP 200 was expected');
  // One request, a MUST, the shorter curl line.
  expect(cause?.simplest.id).toBe('x.area.lifecycle');
  expect(ids(cause?.others ?? [])).toEqual(['x.area.burst', 'x.area.event', 'x.area.survives']);
  // A wrong body under the expected status is no shared cause; a passed case is no failure.
  expect(ids(alone)).toEqual(['x.area.echo']);
});

test('the status of the last request decides, not an earlier one, and the expected status is part of the cause', () => {
  expect(causeOf(c('a', { answers: [500, 204] }))?.summary).toBe('HTTP 204 where HTTP 200 was expected');
  expect(causeOf(c('b', { answers: [200], expected: 'HTTP 401 (or 403)' }))?.summary).toBe(
    'HTTP 200 where HTTP 401 was expected',
  );
  const { causes, alone } = failuresByCause([
    c('c', { answers: [204] }),
    c('d', { answers: [204], expected: 'HTTP 201' }),
  ]);
  expect(causes).toEqual([]);
  expect(ids(alone)).toEqual(['x.area.c', 'x.area.d']);
});

test('a failure that got the status it expected, or no request at all, has no cause of its own to share', () => {
  expect(causeOf(c('ok-status', { answers: [200] }))).toBeUndefined();
  expect(causeOf(c('no-request', { answers: [] }))).toBeUndefined();
  // Without an expected status, only a server error is a cause: a 400 may be what the case wanted.
  expect(causeOf(c('bad', { answers: [400], expected: 'any answer below 500' }))).toBeUndefined();
  expect(causeOf(c('crash', { answers: [503], expected: 'any answer below 500' }))?.summary).toBe(
    'HTTP 503, a server error',
  );
});

test('the same transport error is one cause whatever its measured details; different errors are different causes', () => {
  const timeout = (bytes: number) =>
    `no complete response within 5000 ms (${bytes} bytes of response arrived, not a complete response head; cut off at the deadline)`;
  const cases = [
    c('slow-1', { answers: [timeout(0)] }),
    c('slow-2', { answers: [200, timeout(17)], level: 'SHOULD' }),
    c('slow-3', {
      answers: [
        'no complete response within 5000 ms (HTTP 200 arrived after 4990 ms, then 3 body bytes; cut off at the deadline)',
      ],
    }),
    c('reset-1', { answers: ['connection reset by the receiver'] }),
    c('reset-2', { answers: ['connection reset by the receiver'] }),
    c('not-http', {
      answers: ['the receiver answered with something that is not valid HTTP (HPE_INVALID_CONSTANT)'],
    }),
  ];
  const { causes, alone } = failuresByCause(cases);
  expect(causes.map((k) => [k.summary, k.simplest.id, ...ids(k.others)])).toEqual([
    ['no complete response within 5000 ms', 'x.area.slow-1', 'x.area.slow-2', 'x.area.slow-3'],
    ['connection reset by the receiver', 'x.area.reset-1', 'x.area.reset-2'],
  ]);
  expect(ids(alone)).toEqual(['x.area.not-http']);
});

test("pushcheck's own errors are never grouped with the receiver's failures", () => {
  const err: CaseReport = { ...c('own', { outcome: 'error' }), reason: 'pushcheck error: boom' };
  const { causes, alone } = failuresByCause([c('a'), c('b'), err]);
  expect(causes).toHaveLength(1);
  expect(ids(alone)).toEqual(['x.area.own']);
});

test('the simplest case: fewest requests, then the highest level, then the shortest curl line, then the id', () => {
  const one = c('z-one', { level: 'MAY', answers: [204] });
  const two = c('a-two', { answers: [204, 204] });
  expect(simplest([two, one]).id).toBe('x.area.z-one');
  const should = c('a-should', { level: 'SHOULD', curl: 'curl x' });
  const must = c('b-must', { curl: 'curl with a much longer line' });
  expect(simplest([should, must]).id).toBe('x.area.b-must');
  const short = c('b-short', { curl: 'curl x' });
  expect(simplest([must, short]).id).toBe('x.area.b-short');
  expect(simplest([c('b', { curl: 'curl x' }), c('a', { curl: 'curl y' })]).id).toBe('x.area.a');
  expect(() => simplest([])).toThrow();
});

test('a reason loses its list of ids only when every id of it is listed elsewhere', () => {
  const listed = ['x.area.a', 'x.area.b'];
  expect(withoutListed('2 new failure(s): x.area.a, x.area.b; 1 known failure(s) tolerated', listed)).toBe(
    '2 new failure(s), listed above; 1 known failure(s) tolerated',
  );
  expect(withoutListed('pushcheck itself failed in x.area.a, x.area.b', listed, 'below')).toBe(
    'pushcheck itself failed in 2 case(s), listed below',
  );
  // An id that is not listed elsewhere keeps the list whole.
  expect(withoutListed('2 new failure(s): x.area.a, x.area.c', listed)).toBe(
    '2 new failure(s): x.area.a, x.area.c',
  );
  expect(withoutListed('pushcheck itself failed: ENOSPC', listed)).toBe('pushcheck itself failed: ENOSPC');
});

function runReport(cases: CaseReport[]): RunReport {
  const { verdict, reason } = verdictOf(cases, 'MUST');
  return {
    pushcheck: '0.0.0',
    profile: 'x',
    label: 'x',
    target: 'http://127.0.0.1/',
    seed: 1,
    runTag: 't',
    grep: null,
    shard: null,
    observer: null,
    mode: null,
    settings: {},
    strict: false,
    failOn: 'MUST',
    deadlineMs: 5000,
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    verdict,
    verdictReason: reason,
    gate: gateOf(cases, 'MUST', null),
    summary: summarize(cases),
    errors: [],
    cases,
  };
}

test('report.md and index.html say a shared cause once, with the curl line of its simplest case only', () => {
  const cases = [
    c('a'),
    c('b', { answers: [204, 204] }),
    c('c', { level: 'SHOULD' }),
    c('echo', { answers: [200] }),
  ];
  const r = runReport(cases);
  const md = toMarkdown(r);
  expect(md.match(/HTTP 204 where HTTP 200 was expected/g)).toHaveLength(1);
  expect(md).toContain('3 cases fail the same way (2 MUST, 1 SHOULD): HTTP 204 where HTTP 200 was expected');
  // The group's simplest case and the lone failure carry a curl line; the other two do not.
  expect(md.match(/^curl /gm)).toEqual(['curl ', 'curl ']);
  expect(md).toContain("curl -X POST 'http://127.0.0.1/a'");
  expect(md).not.toContain("http://127.0.0.1/b'");
  for (const k of cases) expect(md.split(`<code>${k.id}</code>`), k.id).toHaveLength(2);
  expect(md).toContain('**CI gate:** fail (3 new failure(s), listed below)');

  const html = toHtml(r);
  expect(html.match(/<section id="causes">/g)).toHaveLength(1);
  expect(html).toContain(
    '3 cases fail the same way (2 MUST, 1 SHOULD): HTTP 204 where HTTP 200 was expected',
  );
  expect(html).toContain('new failure(s), listed below');
});

test('without a shared cause, report.md lists each failure as before and shows no cause', () => {
  const md = toMarkdown(runReport([c('a'), c('echo', { answers: [200] })]));
  expect(md).not.toContain('fail the same way');
  expect(md).toContain('### Failures (2)');
  expect(toHtml(runReport([c('a')]))).not.toContain('id="causes"');
});
