/**
 * Looks for an exact copy of a JPEG in the folder where a receiver saves the images it decoded, as the vendor's
 * demo does (`image.jpg`). Bounded: only regular files at the top of the folder (and one level below), at most
 * {@link MAX_ENTRIES} entries per look, and only files of exactly the JPEG's size are read.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { POLL_MS } from '../../core/observer.ts';

const MAX_ENTRIES = 10_000;

export interface ImageSearch {
  /** The file holding exactly the bytes, when one was found. */
  found?: string;
  /** Files changed since the search began (for a failure's "actual"), at most a few. */
  recent: { name: string; bytes: number }[];
  looked: number;
}

async function files(dir: string, depth: number, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new Error(`cannot read the image folder ${dir}: ${(err as Error).message}`, { cause: err });
  }
  for (const e of entries) {
    if (out.length >= MAX_ENTRIES) return;
    const path = join(dir, e.name);
    if (e.isFile()) out.push(path);
    else if (e.isDirectory() && depth > 0) await files(path, depth - 1, out);
  }
}

/** One look at `dir`: a file with exactly `bytes`, changed at or after `sinceMs` (epoch milliseconds). */
async function look(dir: string, bytes: Buffer, sinceMs: number): Promise<ImageSearch> {
  const paths: string[] = [];
  await files(dir, 1, paths);
  const recent: ImageSearch['recent'] = [];
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch {
      continue;
    }
    // A second of slack: some file systems keep coarse modification times.
    if (info.mtimeMs < sinceMs - 1000) continue;
    if (recent.length < 5) recent.push({ name: path.slice(dir.length + 1), bytes: info.size });
    if (info.size !== bytes.length) continue;
    try {
      if ((await readFile(path)).equals(bytes)) return { found: path, recent, looked: paths.length };
    } catch {
      continue;
    }
  }
  return { recent, looked: paths.length };
}

/** Polls `dir` until a file holds exactly `bytes`, or `timeoutMs` passes. */
export async function findImage(
  dir: string,
  bytes: Buffer,
  sinceMs: number,
  timeoutMs: number,
): Promise<ImageSearch> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const result = await look(dir, bytes, sinceMs);
    if (result.found !== undefined || performance.now() >= deadline) return result;
    await new Promise((r) => setTimeout(r, POLL_MS * 4));
  }
}
