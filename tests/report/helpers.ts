/** Shared by the report tests: serve a OneNET receiver on loopback and run the real CLI against it. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Behaviour, onenetHandlers } from '../../mocks/onenet/reference.ts';
import { serve } from '../../mocks/serve.ts';
import type { Level, Outcome } from '../../src/core/case.ts';
import { type CaseReport, gradeOf, type RunReport } from '../../src/report/model.ts';
import { type CliResult, onenetRun, pushcheck, scratch, TOKEN } from '../helpers.ts';

export interface Run extends CliResult {
  /** The report folder. */
  dir: string;
  report?: RunReport;
}

/** A --grep pattern matching exactly these case ids (a case's title is `<id>: <behaviour>`). */
export function only(ids: readonly string[]): string {
  return `(${ids.map((id) => id.replace(/[.]/g, '\\.')).join('|')}):`;
}

/**
 * Serves `behaviour` and runs `pushcheck run --profile onenet` against it, with an observer, writing the
 * report into `dir` (a fresh folder by default).
 */
export async function runOnenet(
  behaviour: Behaviour,
  opts: { aesKey?: string; extra?: string[]; dir?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  const dir = opts.dir ?? join(scratch('pushcheck-report-'), 'report');
  const observeFile = join(scratch('pushcheck-observe-'), 'processed.log');
  const server = await serve(onenetHandlers({ token: TOKEN, aesKey: opts.aesKey, observeFile }, behaviour));
  try {
    const args = onenetRun(`${server.origin}/onenet`, ['--observe-file', observeFile, '--report', dir]);
    args.push('--seed', '11', ...(opts.extra ?? []));
    if (opts.aesKey) args.push('--aes-key', opts.aesKey);
    return { ...(await pushcheck(args, dir, opts.env)), dir };
  } finally {
    await server.close();
  }
}

/**
 * A made-up case `x.area.ID` of `level` with `outcome`, graded as the model grades it, with no wire log; `more`
 * adds or replaces fields.
 */
export function madeCase(
  id: string,
  level: Level,
  outcome: Outcome,
  more: Partial<CaseReport> = {},
): CaseReport {
  return {
    id: `x.area.${id}`,
    title: id,
    level,
    interpreted: false,
    outcome,
    grade: gradeOf(outcome, level),
    requirement: 'the receiver does a thing',
    source: 'x document §1',
    durationMs: 1,
    wire: [],
    ...more,
  };
}

/** Every file under `dir`, recursively, with its bytes as text (dot-folders included). */
export function everyFile(dir: string): { path: string; text: string }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? everyFile(path) : [{ path, text: readFileSync(path, 'latin1') }];
  });
}
