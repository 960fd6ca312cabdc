/**
 * Observers see what a receiver *processed*, which HTTP cannot show. pushcheck puts a unique marker inside
 * every message's content and asks an observer how often the marker has appeared where the receiver records
 * its work.
 */
import { open } from 'node:fs/promises';
import type { Rng } from './rng.ts';

export interface Observer {
  /** A short name for the report: which observer assessed a case. */
  readonly kind: string;
  /** Where it looks, for the report (never a secret). */
  readonly where: string;
  /** How many times the marker has appeared since the observer was created. */
  count(marker: string): Promise<number>;
  /** How often to ask, when asking is costly (a command); default {@link POLL_MS}. */
  readonly pollMs?: number;
}

/** Polling cadence, in milliseconds. */
export const POLL_MS = 25;

const MARKER_RANDOM = 10;
const MARKER_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh marker: `pc`, the run tag (digits), and random characters; unique to one message of one run. */
export function newMarker(runTag: string, rng: Rng): string {
  return `pc${runTag}${rng.string(MARKER_RANDOM, MARKER_ALPHABET)}`;
}

/** Every marker of the run tagged `runTag`, and nothing else. */
function markerPattern(runTag: string): RegExp {
  return new RegExp(`pc${runTag}[${MARKER_ALPHABET}]{${MARKER_RANDOM}}`, 'g');
}

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
    await new Promise((r) => setTimeout(r, observer.pollMs ?? POLL_MS));
  }
}

/** How much of the file one read takes, so memory stays bounded whatever the receiver writes. */
const READ_CHUNK = 1024 * 1024;

/**
 * A file the receiver appends to, in any format. It is read incrementally from the size it had when the
 * observer was created, and the run's markers found in it are counted as they go by; a file that shrinks
 * (rotated or truncated) is read again from its start.
 */
export class FileObserver implements Observer {
  private readonly counts = new Map<string, number>();
  private readonly pattern: RegExp;
  private readonly markerLength: number;
  private carry = '';
  private reading: Promise<void> = Promise.resolve();

  private constructor(
    private readonly path: string,
    private position: number,
    runTag: string,
    readonly kind: string,
    readonly where: string,
  ) {
    this.pattern = markerPattern(runTag);
    this.markerLength = 2 + runTag.length + MARKER_RANDOM;
  }

  /**
   * Starts watching `path` for the markers of the run tagged `runTag`; the file need not exist yet. `kind` and
   * `where` name what the file holds when another observer feeds it (a receiver's log, an HTTP sink).
   */
  static async create(path: string, runTag: string, kind = 'file', where = path): Promise<FileObserver> {
    const observer = new FileObserver(path, 0, runTag, kind, where);
    observer.position = await observer.size();
    return observer;
  }

  private async size(): Promise<number> {
    const handle = await this.open();
    if (!handle) return 0;
    try {
      return (await handle.stat()).size;
    } finally {
      await handle.close();
    }
  }

  /** The file, or undefined while it does not exist; any other error is the user's to fix. */
  private async open(): Promise<Awaited<ReturnType<typeof open>> | undefined> {
    try {
      return await open(this.path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(`cannot read the observed file ${this.path}: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  private async catchUp(): Promise<void> {
    const handle = await this.open();
    if (!handle) return;
    try {
      const { size } = await handle.stat();
      if (size < this.position) {
        this.position = 0;
        this.carry = '';
      }
      const buf = Buffer.alloc(Math.min(READ_CHUNK, Math.max(0, size - this.position)));
      while (this.position < size) {
        const { bytesRead } = await handle.read(
          buf,
          0,
          Math.min(buf.length, size - this.position),
          this.position,
        );
        if (bytesRead === 0) break;
        this.position += bytesRead;
        // latin1 maps each byte to one character: markers are ASCII, and no multi-byte character is split.
        const text = this.carry + buf.subarray(0, bytesRead).toString('latin1');
        for (const m of text.matchAll(this.pattern)) {
          if (m.index + m[0].length > this.carry.length)
            this.counts.set(m[0], (this.counts.get(m[0]) ?? 0) + 1);
        }
        this.carry = text.slice(-(this.markerLength - 1));
      }
    } finally {
      await handle.close();
    }
  }

  async count(marker: string): Promise<number> {
    const next = this.reading.catch(() => undefined).then(() => this.catchUp());
    this.reading = next;
    await next;
    return this.counts.get(marker) ?? 0;
  }
}

/**
 * A marker's count read against what one processing leaves. A receiver may record a processed message more
 * than once (a parse line and a summary line), so a count means something only beside the count of a genuine
 * message delivered once, in the same case: the calibration. Every "processed once" and "not processed" case
 * reads the observer through this, so that they all count alike.
 */
export interface Tally {
  /** The marker counted. */
  marker: string;
  /** How many times the observer saw it. */
  seen: number;
  /** How many times it saw the genuine message's marker, once settled: the records of one processing (≥ 1). */
  perMessage: number;
  /** How many times the message was processed: `seen / perMessage`, to two decimals. */
  times: number;
}

/** The tally of `marker`, seen `seen` times where one processing leaves `perMessage` records. */
export function tally(marker: string, seen: number, perMessage: number): Tally {
  if (!Number.isInteger(perMessage) || perMessage < 1) {
    throw new Error(`a calibration needs at least one record of the genuine message, got ${perMessage}`);
  }
  return { marker, seen, perMessage, times: Math.round((seen / perMessage) * 100) / 100 };
}

/** What the observer saw, for a failure's "actual": "4 records where one genuine message leaves 2: processed 2 times". */
export function describeTally(t: Tally): string {
  const records = t.seen === 1 ? '1 record' : `${t.seen} records`;
  return `${records} of marker ${t.marker} where one genuine message leaves ${t.perMessage}: processed ${t.times} time${t.times === 1 ? '' : 's'}`;
}
