/**
 * A small seeded PRNG (sfc32), so that `--seed N` reproduces every generated nonce, key and payload.
 * Each consumer derives its own stream from the seed and a label, so a case draws the same values whatever
 * order or shard it runs in.
 */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** `length` characters drawn from `alphabet`. */
  string(length: number, alphabet?: string): string;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
}

export const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A stream determined by `seed` and `label` alone. */
export function createRng(seed: number, label: string): Rng {
  let a = fnv1a(`a:${seed}:${label}`);
  let b = fnv1a(`b:${seed}:${label}`);
  let c = fnv1a(`c:${seed}:${label}`);
  let d = 1;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    string: (length, alphabet = ALPHANUMERIC) => {
      let s = '';
      for (let i = 0; i < length; i++) s += alphabet.charAt(int(alphabet.length));
      return s;
    },
    pick: (items) => {
      const item = items[int(items.length)];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
  };
}
