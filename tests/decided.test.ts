/**
 * Cases that know they are decided (Requirement.after, src/core/decided.ts): against a receiver that acks
 * every push late, or one that never answers, the cases decided by a precondition that failed at the deadline
 * end not assessed, blocked by it, without spending their own deadlines, and the verdict stays what the failed
 * precondition made it. A precondition that fails otherwise, or is not in the run, blocks nothing.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { faultyBehaviour as alertpushFaulty } from '../mocks/alertpush/faulty.ts';
import { alertpushHandlers, PATHS } from '../mocks/alertpush/reference.ts';
import { serve } from '../mocks/serve.ts';
import { lateAcks } from '../mocks/hostile/late.ts';
import { startHostile } from '../mocks/hostile/receivers.ts';
import { faultyBehaviour } from '../mocks/onenet/faulty.ts';
import { type Behaviour, onenetHandlers, reference } from '../mocks/onenet/reference.ts';
import { legacyHandlers, reference as legacyReference } from '../mocks/onenet-legacy/reference.ts';
import { requirements as onenet } from '../specs/onenet/requirements.ts';
import { requirements as legacy } from '../specs/onenet-legacy/requirements.ts';
import { requirements as alertpush } from '../specs/alertpush/requirements.ts';
import type { Registry, Requirement } from '../src/core/case.ts';
import type { CaseReport, RunReport } from '../src/report/model.ts';
import { gateOf, verdictOf } from '../src/report/model.ts';
import type { defineConformance } from '../suites/fixtures.ts';
import { type CliResult, idsWith, onenetRun, pushcheck, runServed, scratch, TOKEN } from './helpers.ts';
import { madeCase } from './report/helpers.ts';

/** A request cut at the deadline costs this much; a blocked case sends nothing and ends well before. */
const DEADLINE_MS = 5000;

async function onenetAgainst(behaviour: Behaviour, late: boolean, extra: string[] = []): Promise<CliResult> {
  const dir = scratch('pushcheck-blocked-');
  const observeFile = join(dir, 'processed.log');
  const handlers = onenetHandlers({ token: TOKEN, observeFile }, behaviour);
  return runServed(
    late ? lateAcks(handlers) : handlers,
    (origin) => ['--profile', 'onenet', '--target', `${origin}/onenet`, '--token', TOKEN, '--seed', '7'],
    { dir, observeFile },
    { extra },
  );
}

/** The cases of `report` blocked, by id, with the case that blocked each. */
function blocked(report: RunReport | undefined): Record<string, string | undefined> {
  return Object.fromEntries(
    (report?.cases ?? []).filter((c) => c.blockedBy !== undefined).map((c) => [c.id, c.blockedBy]),
  );
}

/** The ids of `registry` declared after `precondition`. */
function after(registry: Registry, precondition: string): string[] {
  return Object.entries(registry)
    .filter(([, r]) => r.after?.includes(precondition))
    .map(([id]) => id);
}

/** Each blocked case says by which case, sent nothing and ended well before a deadline. */
function expectBlockedProperly(r: CliResult): void {
  for (const c of r.report?.cases.filter((k) => k.blockedBy !== undefined) ?? []) {
    expect(c.outcome, c.id).toBe('not-assessed');
    expect(c.reason, c.id).toMatch(
      new RegExp(`^blocked by ${c.blockedBy?.replaceAll('.', '\\.')} \\(failed\\)`),
    );
    expect(c.wire, c.id).toEqual([]);
    expect(c.durationMs, c.id).toBeLessThan(DEADLINE_MS / 2);
    expect(r.stdout).toContain(`${c.id} (`);
  }
}

test('a receiver that acks every push at 6 s fails the ack deadline once; the cases it decides are blocked, exit 1', async () => {
  test.setTimeout(300_000);
  const r = await onenetAgainst(reference, true);
  test.info().annotations.push({ type: 'wall time', description: `${r.ms} ms` });
  expect(r.code, r.stdout + r.stderr).toBe(1);
  expect(r.report?.verdict).toBe('non-conformant');
  // The one MUST that fails: the others that failed with it before (the acks of each push, the retries) are
  // the same lateness, said once.
  expect(
    idsWith(r.report, 'failed').filter((id) => onenet[id as keyof typeof onenet]?.level === 'MUST'),
  ).toEqual(['onenet.ack.within-5s']);
  // Every case declared after the ack deadline is blocked by it (the secure case is skipped first: no key).
  const afterAck = after(onenet, 'onenet.ack.within-5s').filter((id) => id !== 'onenet.secure.decrypted');
  const afterBadJson = after(onenet, 'onenet.robust.bad-json');
  expect(blocked(r.report)).toEqual(
    Object.fromEntries([
      ...afterAck.map((id) => [id, 'onenet.ack.within-5s']),
      ...afterBadJson.map((id) => [id, 'onenet.robust.bad-json']),
    ]),
  );
  expect(afterAck).toContain('onenet.retry.delivered');
  expect(afterAck).toContain('onenet.retry.processed-once');
  expectBlockedProperly(r);
  expect(r.stdout).toMatch(
    /\? MUST {3}onenet\.retry\.delivered \(\d+ ms\) +— blocked by onenet\.ack\.within-5s \(failed\)/,
  );
  // What the late acks do not decide is still assessed: the verification GETs are fast, a 4 MiB body has 30 s.
  for (const id of [
    'onenet.verify.echo-verbatim',
    'onenet.verify.signature-raw',
    'onenet.robust.huge-body',
  ]) {
    expect(r.report?.cases.find((c) => c.id === id)?.outcome, id).toBe('passed');
  }
  expect(r.report?.cases.find((c) => c.id === 'onenet.robust.bad-json')?.outcome).toBe('failed');
  // 359 s before on a loaded machine (the two retry cases alone 85 s each); about 20 s of cases now.
  expect(r.ms).toBeLessThan(150_000);
});

test('a receiver that never answers costs five cases their deadlines, not every case, with --no-preflight, exit 1', async () => {
  test.setTimeout(300_000);
  const receiver = await startHostile('silent');
  try {
    const dir = scratch('pushcheck-blocked-');
    const r = await pushcheck(onenetRun(receiver.url, ['--report', dir, '--no-preflight']), dir);
    test.info().annotations.push({ type: 'wall time', description: `${r.ms} ms` });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.report?.verdict).toBe('non-conformant');
    const by = blocked(r.report);
    expect(by['onenet.verify.signature-raw']).toBe('onenet.verify.echo-verbatim');
    expect(by['onenet.push.lifecycle-acked']).toBe('onenet.ack.within-5s');
    expect(by['onenet.retry.delivered']).toBe('onenet.ack.within-5s');
    expect(by['onenet.robust.empty-body']).toBe('onenet.robust.bad-json');
    expectBlockedProperly(r);
    // A forged verification that gets no answer is not echoed: not decided by the genuine one, so still run.
    expect(r.report?.cases.find((c) => c.id === 'onenet.verify.forged-not-echoed')?.outcome).toBe('passed');
    // 401 s before on a loaded machine; now the deadlines of five cases, one of them the 30 s of a 4 MiB body.
    expect(r.ms).toBeLessThan(200_000);
  } finally {
    await receiver.close();
  }
});

test('the legacy profile blocks the same way against late acks', async () => {
  test.setTimeout(300_000);
  const dir = scratch('pushcheck-blocked-');
  const observeFile = join(dir, 'processed.log');
  const handlers = legacyHandlers({ token: TOKEN, encodingAesKey: undefined, observeFile }, legacyReference);
  const r = await runServed(
    lateAcks(handlers),
    (origin) => [
      ...['--profile', 'onenet-legacy', '--target', `${origin}/onenet-legacy`, '--token', TOKEN],
      ...['--seed', '11', '--burst', '5'],
    ],
    { dir, observeFile },
    {},
  );
  expect(r.code, r.stdout + r.stderr).toBe(1);
  const afterAck = after(legacy, 'onenet-legacy.ack.within-5s').filter((id) => !id.includes('.secure.'));
  expect(Object.keys(blocked(r.report)).sort()).toEqual(
    [...afterAck, ...after(legacy, 'onenet-legacy.robust.bad-json')].sort(),
  );
  expectBlockedProperly(r);
});

test('alertpush: a token endpoint that answers at 6 s fails within-5s; the token cases after it are blocked', async () => {
  const dir = scratch('pushcheck-blocked-');
  // The preflight would stop this run in seconds (exit 2): the cases are tested here.
  const server = await serve(alertpushHandlers({ mode: 'token-url' }, alertpushFaulty('slow-token')));
  try {
    const o = server.origin;
    const r = await pushcheck(
      [
        ...[
          'run',
          '--profile',
          'alertpush',
          '--target',
          `${o}${PATHS.alert}`,
          '--token-url',
          `${o}${PATHS.token}`,
        ],
        ...['--report', dir, '--seed', '7', '--grep', 'alertpush\\.token\\.', '--no-preflight'],
      ],
      dir,
    );
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(idsWith(r.report, 'failed')).toEqual(['alertpush.token.within-5s']);
    expect(blocked(r.report)).toEqual({
      'alertpush.token.plain-text': 'alertpush.token.within-5s',
      'alertpush.token.bearer-syntax': 'alertpush.token.within-5s',
      'alertpush.token.earlier-still-valid': 'alertpush.token.within-5s',
    });
    expectBlockedProperly(r);
  } finally {
    await server.close();
  }
});

test('a precondition that fails without missing the deadline blocks nothing: a first ack of 500 is retried', async () => {
  const r = await onenetAgainst(faultyBehaviour('retried-twice'), false, [
    '--grep',
    'onenet\\.ack\\.within-5s|onenet\\.retry\\.delivered',
  ]);
  expect(idsWith(r.report, 'failed')).toEqual(['onenet.ack.within-5s']);
  expect(idsWith(r.report, 'passed')).toEqual(['onenet.retry.delivered']);
  expect(blocked(r.report)).toEqual({});
});

test('a case whose precondition is not in the run runs in full', async () => {
  const r = await onenetAgainst(reference, true, ['--grep', 'onenet\\.push\\.lifecycle-acked']);
  const c = r.report?.cases.find((k) => k.id === 'onenet.push.lifecycle-acked');
  expect(c?.outcome).toBe('failed');
  expect(c?.actual).toMatch(/no complete response within 5000 ms/);
  expect(r.code).toBe(1);
});

test('a MUST blocked by a failed MUST leaves the verdict and the gate as that failure made them', () => {
  const failed = madeCase('ack', 'MUST', 'failed');
  const blockedMust = madeCase('retry', 'MUST', 'not-assessed', { blockedBy: failed.id });
  const verdict = verdictOf([failed, blockedMust], 'MUST');
  expect(verdict.verdict).toBe('non-conformant');
  expect(gateOf([failed, blockedMust], 'MUST', null).result).toBe('fail');
  // The precondition's failure tolerated by the expectations file: the blocked case does not make it incomplete.
  const known: CaseReport = { ...failed, known: { outcome: 'failed', reason: 'slow receiver, issue 1' } };
  expect(gateOf([known, blockedMust], 'MUST', 'x.json').result).toBe('pass');
  // Not blocked, or blocked by a case that did not fail at MUST: the unassessed MUST still counts.
  const unblocked = madeCase('retry', 'MUST', 'not-assessed');
  expect(gateOf([known, unblocked], 'MUST', 'x.json').result).toBe('incomplete');
  const should = madeCase('bad-json', 'SHOULD', 'failed');
  const byShould = madeCase('survives', 'MUST', 'not-assessed', { blockedBy: should.id });
  expect(verdictOf([madeCase('echo', 'MUST', 'passed'), should, byShould], 'MUST').verdict).toBe(
    'incomplete',
  );
});

/** Compiled, never called: `defineConformance` takes a registry only if its preconditions name its own cases. */
export function typeChecks(define: typeof defineConformance): void {
  const source = {
    document: 'test-only',
    section: 'tests/decided.test.ts',
  } as unknown as Requirement['source'];
  const registry = {
    'probe.a.first': { level: 'MUST', title: 'first', text: 'first', source },
    'probe.a.second': { level: 'MUST', title: 'second', text: 'second', source, after: ['probe.a.frist'] },
  } as const;
  const noop = Object.assign(() => undefined, { describe: () => undefined, use: () => undefined });
  // @ts-expect-error 'probe.a.frist' is not a case of the registry: the type check fails, as it must.
  define<() => void, typeof registry>(noop, 'probe', registry);
  const good = {
    ...registry,
    'probe.a.second': { ...registry['probe.a.second'], after: ['probe.a.first'] },
  } as const;
  define<() => void, typeof good>(noop, 'probe', good);
}

test('every declared precondition is a case of its registry, and is not itself decided by another', () => {
  for (const registry of [onenet, legacy, alertpush] as Registry[]) {
    for (const [id, r] of Object.entries(registry)) {
      for (const p of r.after ?? []) {
        expect(registry[p], `${id} after ${p}`).toBeDefined();
        expect(registry[p]?.after ?? [], `${p} is itself decided by another case`).toEqual([]);
      }
    }
  }
});
