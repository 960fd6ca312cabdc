/**
 * Cases that know they are decided. A case that found the receiver missing its deadline (no complete answer in
 * time) says so in a folder of its run; a case declared `after` it (`Requirement.after`) reads that folder
 * before it sends anything and, instead of spending its own deadlines on answers that would be cut at the same
 * deadline, ends not assessed, blocked by that case: never passed, and never a second copy of its failure.
 *
 * A run's cases go one at a time in the order Playwright queues them (files in order, cases in the order they
 * are written; the run's lock keeps them apart), so a precondition written before its dependents has ended
 * when they start, in whichever worker. A precondition outside the run (left out by --grep, or in another
 * shard) leaves nothing in the folder, and its dependents run in full.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The folder where the cases of the run tagged `runTag` leave what they decided; `pushcheck run` removes it. */
export function decidedDir(runTag: string): string {
  return join(tmpdir(), `pushcheck-decided-${runTag}`);
}

/** A case failed at the deadline: it blocks the cases after it. */
const LATE = 'late';

/** Says that case `id` of the run failed because an answer missed the deadline. */
export function recordLate(runTag: string, id: string): void {
  const dir = decidedDir(runTag);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, id), LATE);
}

/**
 * Says that case `id` was blocked by `root`, the failed case that decided it, so that a case after `id` is
 * blocked by the same failure.
 */
export function recordBlocked(runTag: string, id: string, root: string): void {
  const dir = decidedDir(runTag);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, id), `blocked ${root}`);
}

/** The failed case that decides a case run after `after`, if one of them failed at the deadline or was blocked. */
export function blockerOf(runTag: string, after: readonly string[]): string | undefined {
  for (const id of after) {
    const file = join(decidedDir(runTag), id);
    if (!existsSync(file)) continue;
    const said = readFileSync(file, 'utf8');
    if (said === LATE) return id;
    if (said.startsWith('blocked ')) return said.slice('blocked '.length);
  }
  return undefined;
}

/** Removes the run's folder (once its cases have all ended). */
export function forgetDecided(runTag: string): void {
  rmSync(decidedDir(runTag), { recursive: true, force: true });
}
