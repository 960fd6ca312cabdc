/**
 * Output folders are checked before anything starts: a report that cannot be written would otherwise be found
 * out at the end of a run, or not at all (Playwright's runner retries a failing mkdir forever).
 */
import { mkdtempSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { usage } from './errors.ts';

function why(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'the disk is full';
    case 'ENOTDIR':
      return 'a part of the path is a file';
    case 'ENOENT':
      return 'no folder can be made there';
    default:
      return err.code ?? err.message;
  }
}

/** Why no folder can be written at a path: where the walk up the path stopped, and what was found there. */
export type FolderProblem =
  /** `at` is a file, so no folder can be made below it. */
  | { kind: 'file'; at: string }
  /** `at` cannot be looked at, or takes no new entry; `why` in words. */
  | { kind: 'unwritable'; at: string; why: string };

/**
 * Whether a folder can be written at `path`: it exists and takes a new entry, or its nearest existing
 * ancestor does. Creates nothing that outlives the check.
 */
export function folderProblem(path: string): FolderProblem | undefined {
  let existing = resolve(path);
  for (;;) {
    let stat;
    try {
      stat = statSync(existing);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e.code !== 'ENOENT' && e.code !== 'ENOTDIR')
        return { kind: 'unwritable', at: existing, why: why(e) };
      const parent = dirname(existing);
      if (parent === existing) break;
      existing = parent;
      continue;
    }
    if (!stat.isDirectory()) return { kind: 'file', at: existing };
    break;
  }
  // The only honest test of a folder is writing to it: mode bits say nothing to root, nor of /proc or a full disk.
  try {
    rmdirSync(mkdtempSync(join(existing, '.pushcheck-check-')));
  } catch (err) {
    return { kind: 'unwritable', at: existing, why: why(err as NodeJS.ErrnoException) };
  }
  return undefined;
}

/** Throws a UsageError naming `flag` and `path` unless a folder can be written at `path` ({@link folderProblem}). */
export function checkOutputDir(path: string, flag: string): void {
  const problem = folderProblem(path);
  if (problem?.kind === 'file') {
    const where = problem.at === resolve(path) ? 'it is a file' : `${problem.at} is a file`;
    usage(`${flag} ${path}: cannot write a folder there: ${where}; choose another path`);
  }
  if (problem?.kind === 'unwritable') {
    usage(`${flag} ${path}: cannot write in ${problem.at}: ${problem.why}; choose another path`);
  }
}
