/**
 * Observers see what a receiver *processed*, which HTTP cannot show. pushcheck puts a unique marker inside
 * every message's content and asks an observer how often the marker has appeared where the receiver records
 * its work.
 */
import { open, stat } from 'node:fs/promises';

export interface Observer {
  /** A short name for the report: which observer assessed a case. */
  readonly kind: string;
  /** Where it looks, for the report (never a secret). */
  readonly where: string;
  /** How many times the marker has appeared since the observer was created. */
  count(marker: string): Promise<number>;
}

/** Polling cadence and default patience, in milliseconds. */
export const POLL_MS = 25;

/** Waits until `marker` has appeared at least `atLeast` times, or `timeoutMs` has passed; returns the count. */
export async function waitForCount(
  observer: Observer,
  marker: string,
  atLeast: number,
  timeoutMs: number,
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const n = await observer.count(marker);
    if (n >= atLeast || performance.now() >= deadline) return n;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function occurrences(haystack: string, needle: string): number {
  let n = 0;
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + needle.length)) n++;
  return n;
}

/**
 * A file the receiver appends to, in any format. Only what was appended after the observer was created is
 * searched; a file that shrinks (rotated or truncated) is searched from its start.
 */
export class FileObserver implements Observer {
  readonly kind = 'file';
  private constructor(
    readonly where: string,
    private offset: number,
  ) {}

  /** Starts watching `path`; the file need not exist yet. */
  static async create(path: string): Promise<FileObserver> {
    const size = await stat(path).then(
      (s) => s.size,
      () => 0,
    );
    return new FileObserver(path, size);
  }

  async count(marker: string): Promise<number> {
    let handle: Awaited<ReturnType<typeof open>> | undefined;
    try {
      handle = await open(this.where, 'r');
      const { size } = await handle.stat();
      if (size < this.offset) this.offset = 0;
      const buf = Buffer.alloc(size - this.offset);
      await handle.read(buf, 0, buf.length, this.offset);
      return occurrences(buf.toString('utf8'), marker);
    } catch {
      return 0;
    } finally {
      await handle?.close();
    }
  }
}
