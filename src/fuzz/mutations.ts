/**
 * Structural mutations of a valid message, as fast-check arbitraries: each mutation is a small value (which
 * field, which kind of damage, how much) that fast-check can shrink toward the least damage that still shows
 * a failure. Applying one to a valid message gives the bytes and headers to send. Nothing here knows a
 * protocol: a profile's fuzz hook supplies the valid message (src/core/profile.ts), and the headers it sends
 * besides Content-Type (Eye4's guid, an alert's bearer token) are the ones the header mutations damage.
 */
import fc from 'fast-check';
import type { FuzzMessage } from '../core/profile.ts';

export type Mutation =
  | { kind: 'missing'; field: number }
  | { kind: 'extra'; key: string; value: fc.JsonValue }
  | { kind: 'wrong-type'; field: number; type: number }
  | { kind: 'huge-string'; field: number; length: number }
  | { kind: 'deep-nesting'; field: number; depth: number }
  | { kind: 'invalid-utf8'; field: number; bytes: number }
  | { kind: 'content-type'; value: number }
  | { kind: 'truncated'; keep: number }
  | { kind: 'duplicate-key'; field: number; value: fc.JsonValue }
  | { kind: 'header'; field: number; damage: number; length: number };

/** The largest huge string (above the 1 MiB most receivers cap a body at, so both sides of a cap are tried). */
export const HUGE_MAX = 2 * 1024 * 1024;
/** Deep enough to overflow a recursive parser's stack, small enough to send in a moment. */
export const DEPTH_MAX = 200_000;

/** Byte sequences that are not UTF-8: a lone continuation byte, a truncated sequence, an overlong `/`, a surrogate. */
const INVALID_UTF8 = [[0xff], [0xc3], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0x80, 0x80]] as const;
/** Content types a push is not sent with; the empty string means no Content-Type at all. */
export const CONTENT_TYPES = [
  'text/plain',
  '',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=pushcheck',
  'application/xml',
  'application/json; charset=latin1',
] as const;
/**
 * What a header mutation does to a header's value, in words that never quote it (a header may carry a
 * secret; the curl line is redacted, and no damage keeps only part of a secret, which redaction would miss).
 */
export const HEADER_DAMAGE = [
  'left out',
  'sent empty',
  'replaced by a wrong value of the same length (its scheme, if any, kept)',
  'followed by extra characters',
  'replaced by a long value',
  'followed by a byte that is not ASCII',
] as const;
/** The longest header value tried: past the 8 KiB many servers allow a header, within Node's 16 KiB head. */
export const HEADER_MAX = 12 * 1024;

/** Values of each JSON type; a wrong-type mutation takes the first whose type differs from the field's. */
const TYPED_VALUES: readonly fc.JsonValue[] = [0, true, null, 'x', [], {}, -1.5e308, ['x'], { a: 1 }];

const field = fc.nat({ max: 63 });
const jsonValue = fc.jsonValue({ maxDepth: 2 });

/** Every mutation; fast-check shrinks toward the first alternative and the smallest numbers. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('missing' as const), field }),
  fc.record({
    kind: fc.constant('wrong-type' as const),
    field,
    type: fc.nat({ max: TYPED_VALUES.length - 1 }),
  }),
  fc.record({ kind: fc.constant('extra' as const), key: fc.string({ maxLength: 16 }), value: jsonValue }),
  fc.record({ kind: fc.constant('duplicate-key' as const), field, value: jsonValue }),
  fc.record({ kind: fc.constant('truncated' as const), keep: fc.nat() }),
  fc.record({ kind: fc.constant('content-type' as const), value: fc.nat({ max: CONTENT_TYPES.length - 1 }) }),
  fc.record({
    kind: fc.constant('invalid-utf8' as const),
    field,
    bytes: fc.nat({ max: INVALID_UTF8.length - 1 }),
  }),
  fc.record({
    kind: fc.constant('huge-string' as const),
    field,
    length: fc.integer({ min: 1024, max: HUGE_MAX }),
  }),
  fc.record({
    kind: fc.constant('deep-nesting' as const),
    field,
    depth: fc.integer({ min: 2, max: DEPTH_MAX }),
  }),
  fc.record({
    kind: fc.constant('header' as const),
    field,
    damage: fc.nat({ max: HEADER_DAMAGE.length - 1 }),
    length: fc.integer({ min: 256, max: HEADER_MAX }),
  }),
);

/** A mutated message, ready to send. */
export interface Mutated {
  headers: Record<string, string>;
  body: Buffer;
  /** What was done, in words: "field "time" replaced by a string". */
  what: string;
}

function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function withoutContentType(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'content-type'));
}

/**
 * The fields a mutation picks from: each top-level field, then each field of a top-level object, where a
 * protocol keeps what its receivers read (Eye4's payload.fileid, a legacy msg's type, an alert's device.id).
 */
function fieldPaths(obj: Record<string, unknown>): string[][] {
  const nested = Object.entries(obj).flatMap(([k, v]) =>
    typeOf(v) === 'object' ? Object.keys(v as Record<string, unknown>).map((c) => [k, c]) : [],
  );
  return [...Object.keys(obj).map((k) => [k]), ...nested];
}

function getAt(obj: Record<string, unknown>, path: readonly string[]): unknown {
  return path.reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], obj);
}

const REMOVE = Symbol('remove');

/** A copy of `obj` with the field at `path` set to `value`, or left out for {@link REMOVE}. */
function setAt(
  obj: Record<string, unknown>,
  path: readonly string[],
  value: unknown,
): Record<string, unknown> {
  const [head = '', ...rest] = path;
  const copy = { ...obj };
  if (rest.length > 0) copy[head] = setAt(copy[head] as Record<string, unknown>, rest, value);
  else if (value === REMOVE) delete copy[head];
  else copy[head] = value;
  return copy;
}

/** The JSON text of `obj` with `insert` (already JSON text) as the value of the field at `path`. */
function serializeWith(obj: Record<string, unknown>, path: readonly string[], insert: string): string {
  const marker = '__pushcheck_fuzz_marker__';
  // A replacer function, so that a `$` in the inserted text is not read as a replacement pattern.
  return JSON.stringify(setAt(obj, path, marker)).replace(JSON.stringify(marker), () => insert);
}

/** The headers of `base` a header mutation may damage: all but Content-Type. */
function protocolHeaders(base: FuzzMessage): string[] {
  return Object.keys(base.headers).filter((k) => k.toLowerCase() !== 'content-type');
}

/** `value` damaged as `HEADER_DAMAGE[damage]` says; undefined for a header left out. */
function damagedHeader(value: string, damage: number, length: number): string | undefined {
  switch (damage) {
    case 0:
      return undefined;
    case 1:
      return '';
    case 2: {
      // An authorization scheme ("Bearer ") stays, so that the credential itself is what is wrong. The
      // replacement is one repeated character: nothing of the genuine value can be read back from it.
      const [, scheme = '', credential = value] = /^([A-Za-z]+ +)(.+)$/.exec(value) ?? [];
      return scheme + (credential.startsWith('x') ? 'y' : 'x').repeat(credential.length);
    }
    case 3:
      return `${value}X`;
    case 4:
      return 'A'.repeat(length);
    default:
      // Node sends header values as latin1: this is the single byte 0xe9.
      return `${value}\u00e9`;
  }
}

/** Applies `m` to `base`. A body that is not a JSON object gets the byte-level mutations only. */
export function applyMutation(base: FuzzMessage, m: Mutation): Mutated {
  const headers = { ...base.headers };
  const text = base.body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const obj = typeOf(parsed) === 'object' ? (parsed as Record<string, unknown>) : undefined;
  const paths = obj ? fieldPaths(obj) : [];
  const key = (i: number): string[] | undefined => paths[i % Math.max(1, paths.length)];
  const done = (body: string | Buffer, what: string): Mutated => ({
    headers,
    body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
    what,
  });
  const cut = (n: number): Mutated => {
    const bytes = Buffer.from(text, 'utf8');
    const keep = n % Math.max(1, bytes.length);
    return done(bytes.subarray(0, keep), `the valid body cut after ${keep} of ${bytes.length} bytes`);
  };
  const appendedByte = (): Mutated =>
    done(
      Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from([0xff])]),
      'the valid body followed by a 0xff byte',
    );
  const k = 'field' in m ? key(m.field) : undefined;
  switch (m.kind) {
    case 'content-type': {
      const ct = CONTENT_TYPES[m.value] ?? '';
      if (ct === '')
        return {
          ...done(text, 'the valid message without a Content-Type'),
          headers: withoutContentType(headers),
        };
      return {
        ...done(text, `the valid message sent as ${ct}`),
        headers: { ...withoutContentType(headers), 'content-type': ct },
      };
    }
    case 'truncated':
      return cut(m.keep);
    case 'header': {
      const names = protocolHeaders(base);
      const name = names[m.field % Math.max(1, names.length)];
      // A message with no header of its protocol (OneNET's) gets its body cut instead, after `field` bytes,
      // which shrinks to the fewest that still show a failure.
      if (name === undefined) return cut(m.field);
      const value = damagedHeader(headers[name] ?? '', m.damage, m.length);
      const rest = Object.fromEntries(Object.entries(headers).filter(([k]) => k !== name));
      const what = HEADER_DAMAGE[m.damage] ?? HEADER_DAMAGE[HEADER_DAMAGE.length - 1];
      return {
        ...done(
          text,
          `the valid message with header "${name}" ${what}${m.damage === 4 ? ` (${m.length} characters)` : ''}`,
        ),
        headers: value === undefined ? rest : { ...rest, [name]: value },
      };
    }
  }
  if (obj && m.kind === 'extra') {
    const name = m.key in obj ? `${m.key}_extra` : m.key;
    return done(
      JSON.stringify({ ...obj, [name]: m.value }),
      `an extra field "${name}": ${JSON.stringify(m.value)}`,
    );
  }
  if (!obj || k === undefined) return appendedByte();
  const name = k.join('.');
  const current = getAt(obj, k);
  switch (m.kind) {
    case 'missing':
      return done(JSON.stringify(setAt(obj, k, REMOVE)), `field "${name}" left out`);
    case 'wrong-type': {
      const candidates = TYPED_VALUES.filter((v) => typeOf(v) !== typeOf(current));
      const value = candidates[m.type % candidates.length] ?? null;
      return done(
        JSON.stringify(setAt(obj, k, value)),
        `field "${name}" (${typeOf(current)}) replaced by ${typeOf(value)} ${JSON.stringify(value)}`,
      );
    }
    case 'huge-string':
      return done(
        JSON.stringify(setAt(obj, k, 'A'.repeat(m.length))),
        `field "${name}" replaced by a string of ${m.length} characters`,
      );
    case 'deep-nesting':
      return done(
        serializeWith(obj, k, '['.repeat(m.depth) + ']'.repeat(m.depth)),
        `field "${name}" replaced by arrays nested ${m.depth} deep`,
      );
    case 'invalid-utf8': {
      const bad = Buffer.from(INVALID_UTF8[m.bytes] ?? [0xff]);
      const hex = [...bad].map((b) => b.toString(16)).join(' ');
      const value = current;
      // A raw U+0001 (JSON.stringify escapes every control character, so it occurs nowhere else) marks where
      // the invalid bytes go: at the end of the field's string, or as the whole of a new string.
      const inString = typeof value === 'string' && value.length > 0;
      const insert = inString ? `${JSON.stringify(value).slice(0, -1)}\u0001"` : '"\u0001"';
      const raw = Buffer.from(serializeWith(obj, k, insert), 'utf8');
      const i = raw.indexOf(0x01);
      return done(
        Buffer.concat([raw.subarray(0, i), bad, raw.subarray(i + 1)]),
        inString
          ? `invalid UTF-8 (${hex}) at the end of field "${name}"`
          : `field "${name}" replaced by a string of invalid UTF-8 (${hex})`,
      );
    }
    case 'extra':
      throw new Error('unreachable: an extra field is added above');
    case 'duplicate-key': {
      // The key again right after its value, in the same object: a parser keeps one or the other.
      const again = `${JSON.stringify(current)},${JSON.stringify(k[k.length - 1])}:${JSON.stringify(m.value)}`;
      return done(
        serializeWith(obj, k, again),
        `field "${name}" repeated, the second time as ${JSON.stringify(m.value)}`,
      );
    }
  }
}
