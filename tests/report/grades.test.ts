/**
 * Graded verdicts, --fail-on and the gate, on made-up cases: every grade, every level, every way the
 * expectations file can meet an outcome. The CLI tests (gate.test.ts) show the same through real runs.
 */
import { expect, test } from '@playwright/test';
import type { Level, Outcome } from '../../src/core/case.ts';
import {
  type CaseReport,
  type Expectation,
  exitCodeOf,
  gateOf,
  gradeOf,
  verdictOf,
} from '../../src/report/model.ts';
import { madeCase } from './helpers.ts';

function c(id: string, level: Level, outcome: Outcome, known?: Expectation): CaseReport {
  return madeCase(id, level, outcome, known ? { known } : {});
}

test('grades as Autobahn gives them: MUST failed, SHOULD non-strict, MAY informational, not offered unimplemented', () => {
  expect(gradeOf('failed', 'MUST')).toBe('failed');
  expect(gradeOf('failed', 'SHOULD')).toBe('non-strict');
  expect(gradeOf('failed', 'MAY')).toBe('informational');
  expect(gradeOf('skipped', 'MUST')).toBe('unimplemented');
  expect(gradeOf('passed', 'MAY')).toBe('ok');
  expect(gradeOf('not-assessed', 'MUST')).toBe('not-assessed');
  expect(gradeOf('error', 'SHOULD')).toBe('error');
});

test('--fail-on chooses the lowest failing level: must by default, should, may', () => {
  const cases = [c('a', 'MUST', 'passed'), c('b', 'SHOULD', 'passed'), c('m', 'MAY', 'failed')];
  expect(verdictOf(cases, 'MUST').verdict).toBe('conformant');
  expect(verdictOf(cases, 'SHOULD').verdict).toBe('conformant');
  expect(verdictOf(cases, 'MAY')).toEqual({
    verdict: 'non-conformant',
    reason: '1 MAY requirement(s) failed (--fail-on may)',
  });
  const should = [c('a', 'MUST', 'passed'), c('b', 'SHOULD', 'failed')];
  expect(verdictOf(should, 'MUST').verdict).toBe('conformant');
  // A SHOULD failure is named as such in the reason, never counted away as "lower-level" (decisions/022).
  expect(verdictOf(should, 'MUST').reason).toMatch(/^1 SHOULD requirement\(s\) failed: graded non-strict/);
  expect(verdictOf(cases, 'MUST').reason).toMatch(/1 lower-level requirement/);
  expect(verdictOf(should, 'SHOULD', { flag: '--strict' }).reason).toBe(
    '1 SHOULD requirement(s) failed (--strict)',
  );
  expect(verdictOf([c('a', 'MUST', 'failed')], 'MAY').verdict).toBe('non-conformant');
});

test('unassessed MUSTs and pushcheck errors make a run incomplete, never conformant', () => {
  expect(verdictOf([c('a', 'MUST', 'passed'), c('b', 'MUST', 'not-assessed')], 'MUST').verdict).toBe(
    'incomplete',
  );
  expect(verdictOf([c('a', 'MUST', 'passed'), c('b', 'MAY', 'error')], 'MUST').verdict).toBe('incomplete');
  expect(verdictOf([c('a', 'MUST', 'skipped')], 'MUST').reason).toBe('no case was assessed');
  expect(verdictOf([c('a', 'MUST', 'passed')], 'MUST', { errors: ['a suite did not load'] }).verdict).toBe(
    'incomplete',
  );
});

const KNOWN_FAIL: Expectation = { outcome: 'failed', reason: 'https://example.org/issues/1' };
const KNOWN_NA: Expectation = { outcome: 'not-assessed', reason: 'CI has no observer' };

test('the gate tolerates a listed failure, fails on a new one, and reports a listed case that now passes', () => {
  const known = gateOf([c('a', 'MUST', 'failed', KNOWN_FAIL), c('b', 'MUST', 'passed')], 'MUST', 'f.json');
  expect(known).toMatchObject({ result: 'pass', knownFailures: ['x.area.a'], newFailures: [], fixed: [] });
  expect(exitCodeOf(known)).toBe(0);

  const fresh = gateOf([c('a', 'MUST', 'failed', KNOWN_FAIL), c('b', 'MUST', 'failed')], 'MUST', 'f.json');
  expect(fresh).toMatchObject({ result: 'fail', newFailures: ['x.area.b'], knownFailures: ['x.area.a'] });
  expect(exitCodeOf(fresh)).toBe(1);

  const fixed = gateOf([c('a', 'MUST', 'passed', KNOWN_FAIL)], 'MUST', 'f.json');
  expect(fixed).toMatchObject({ result: 'pass', fixed: ['x.area.a'], knownFailures: [] });
  expect(fixed.reason).toMatch(/pushcheck expectations update/);
});

test('the gate follows --fail-on, and an expectation matches one outcome only', () => {
  const should = [c('a', 'MUST', 'passed'), c('b', 'SHOULD', 'failed')];
  expect(gateOf(should, 'MUST', null).result).toBe('pass');
  expect(gateOf(should, 'SHOULD', null)).toMatchObject({ result: 'fail', newFailures: ['x.area.b'] });
  // Listed as not assessed, but it failed: that is news.
  expect(gateOf([c('a', 'MUST', 'failed', KNOWN_NA)], 'MUST', 'f.json').result).toBe('fail');
});

test('a listed not-assessed MUST does not make the gate incomplete; an unlisted one, an error or a stop does', () => {
  const cases = [c('a', 'MUST', 'passed'), c('b', 'MUST', 'not-assessed', KNOWN_NA)];
  expect(gateOf(cases, 'MUST', 'f.json').result).toBe('pass');
  expect(gateOf([c('a', 'MUST', 'passed'), c('b', 'MUST', 'not-assessed')], 'MUST', null).result).toBe(
    'incomplete',
  );
  expect(gateOf([c('a', 'MUST', 'passed'), c('e', 'MAY', 'error')], 'MUST', null).result).toBe('incomplete');
  expect(gateOf([c('a', 'MUST', 'passed')], 'MUST', null, { stopped: 'was interrupted' })).toMatchObject({
    result: 'incomplete',
    reason: 'the run was interrupted',
  });
  expect(exitCodeOf(gateOf([c('a', 'MUST', 'skipped')], 'MUST', null))).toBe(3);
  // Stopped early (Ctrl-C), a run is incomplete even after a failure: it did not finish judging.
  expect(gateOf([c('a', 'MUST', 'failed')], 'MUST', null, { stopped: 'was interrupted' }).result).toBe(
    'incomplete',
  );
});
