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

/**
 * Throws a UsageError naming `flag` and `path` unless a folder can be written at `path` (it exists and takes a
 * new entry, or its nearest existing ancestor does). Creates nothing that outlives the check.
 */
export function checkOutputDir(path: string, flag: string): void {
  const full = resolve(path);
  let existing = full;
  for (;;) {
    let stat;
    try {
      stat = statSync(existing);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        usage(
          `${flag} ${path}: cannot write there: ${why(err as NodeJS.ErrnoException)}; choose another path`,
        );
      }
      const parent = dirname(existing);
      if (parent === existing) break;
      existing = parent;
      continue;
    }
    if (!stat.isDirectory()) {
      const where = existing === full ? 'it is a file' : `${existing} is a file`;
      usage(`${flag} ${path}: cannot write a folder there: ${where}; choose another path`);
    }
    break;
  }
  // The only honest test of a folder is writing to it: mode bits say nothing to root, nor of /proc or a full disk.
  try {
    rmdirSync(mkdtempSync(join(existing, '.pushcheck-check-')));
  } catch (err) {
    usage(
      `${flag} ${path}: cannot write in ${existing}: ${why(err as NodeJS.ErrnoException)}; choose another path`,
    );
  }
}
