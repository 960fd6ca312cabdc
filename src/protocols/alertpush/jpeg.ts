/**
 * A small baseline JPEG encoder (ITU-T T.81: sequential DCT, Huffman, 8-bit, YCbCr 4:4:4, the Annex K tables),
 * so that every alert carries real JPEG bytes that any decoder opens, drawn from the run's seed, without a
 * native image library. Checked against libjpeg's `djpeg` (tests/alertpush/jpeg.test.ts).
 */

/** An RGB image, 3 bytes per pixel, row by row. */
export interface RgbImage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

export interface JpegOptions {
  /** 1–100, the IJG scale of the Annex K quantization tables (default 75). */
  quality?: number;
  /** Written in a COM segment: plain ASCII that survives only where the bytes are decoded exactly. */
  comment?: string;
}

// Annex K.1: the example quantization tables, in natural (row-major) order.
const LUMA_Q = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22,
  29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103,
  121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
const CHROMA_Q = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
];

/** ZIGZAG[k] is the natural index of the k-th coefficient in zigzag order (Figure A.6). */
const ZIGZAG = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7,
  14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46,
  53, 60, 61, 54, 47, 55, 62, 63,
];

interface HuffmanSpec {
  /** Number of codes of each length 1..16. */
  bits: number[];
  values: number[];
}

// Annex K.3: the typical Huffman tables.
const DC_LUMA: HuffmanSpec = {
  bits: [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0],
  values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
};
const DC_CHROMA: HuffmanSpec = {
  bits: [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0],
  values: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
};
const AC_LUMA: HuffmanSpec = {
  bits: [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d],
  values: [
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22,
    0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33,
    0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x34,
    0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54, 0x55,
    0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75, 0x76,
    0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96,
    0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5,
    0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4,
    0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1,
    0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
  ],
};
const AC_CHROMA: HuffmanSpec = {
  bits: [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77],
  values: [
    0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13,
    0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0, 0x15, 0x62,
    0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26, 0x27, 0x28, 0x29,
    0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x53, 0x54,
    0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x73, 0x74, 0x75,
    0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x92, 0x93, 0x94,
    0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3,
    0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2,
    0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea,
    0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa,
  ],
};

/** The code and length of each symbol (Annex C: canonical codes from the counts per length). */
interface HuffmanCode {
  code: Uint16Array;
  size: Uint8Array;
}

function huffmanCodes(spec: HuffmanSpec): HuffmanCode {
  const code = new Uint16Array(256);
  const size = new Uint8Array(256);
  let next = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < (spec.bits[len - 1] ?? 0); i++) {
      const symbol = spec.values[k++] ?? 0;
      code[symbol] = next++;
      size[symbol] = len;
    }
    next <<= 1;
  }
  return { code, size };
}

/** The IJG quality scaling of a base table, clamped to baseline's 1..255. */
function scaleTable(base: readonly number[], quality: number): number[] {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const scale = q < 50 ? 5000 / q : 200 - q * 2;
  return base.map((v) => Math.min(255, Math.max(1, Math.floor((v * scale + 50) / 100))));
}

class BitWriter {
  private readonly chunks: Buffer[] = [];
  private buf = Buffer.alloc(1 << 16);
  private pos = 0;
  private acc = 0;
  private bits = 0;

  private byte(b: number): void {
    if (this.pos >= this.buf.length - 1) {
      this.chunks.push(this.buf.subarray(0, this.pos));
      this.buf = Buffer.alloc(1 << 16);
      this.pos = 0;
    }
    this.buf[this.pos++] = b;
    // Byte stuffing (F.1.2.3): a 0xFF in entropy-coded data is followed by 0x00.
    if (b === 0xff) this.buf[this.pos++] = 0;
  }

  /** Appends the low `length` (at most 16) bits of `value`, most significant first. */
  write(value: number, length: number): void {
    this.acc = (this.acc << length) | (value & ((1 << length) - 1));
    this.bits += length;
    while (this.bits >= 8) {
      this.bits -= 8;
      this.byte((this.acc >>> this.bits) & 0xff);
    }
    this.acc &= (1 << this.bits) - 1;
  }

  /** Pads the last byte with 1-bits (F.1.2.3) and returns everything written. */
  finish(): Buffer {
    if (this.bits > 0) this.write((1 << (8 - this.bits)) - 1, 8 - this.bits);
    this.chunks.push(this.buf.subarray(0, this.pos));
    return Buffer.concat(this.chunks);
  }
}

/**
 * AAN's scale factors (Arai, Agui and Nakajima, 1988): the fast DCT below yields each coefficient F(u,v)
 * multiplied by 8·S(u)·S(v), with S(0) = 1 and S(k) = √2·cos(kπ/16); the quantizer divides that back out.
 */
const AAN_SCALE = Array.from({ length: 8 }, (_, k) =>
  k === 0 ? 1 : Math.SQRT2 * Math.cos((k * Math.PI) / 16),
);

/** The reciprocals that quantize the fast DCT's output: 1 / (q(u,v)·8·S(u)·S(v)), in natural order. */
function quantizers(table: readonly number[]): Float64Array {
  const out = new Float64Array(64);
  for (let v = 0; v < 8; v++) {
    for (let u = 0; u < 8; u++) {
      out[v * 8 + u] = 1 / ((table[v * 8 + u] ?? 1) * 8 * (AAN_SCALE[v] ?? 1) * (AAN_SCALE[u] ?? 1));
    }
  }
  return out;
}

/**
 * One 8-point pass of AAN's fast forward DCT over `d` at `at`, `at + step`, …, in place: 5 multiplications
 * where the plain sum takes 64 (the flow graph of Pennebaker and Mitchell, figure 4-8).
 */
function aanPass(d: Float64Array, at: number, step: number): void {
  const d0 = d[at] ?? 0;
  const d1 = d[at + step] ?? 0;
  const d2 = d[at + 2 * step] ?? 0;
  const d3 = d[at + 3 * step] ?? 0;
  const d4 = d[at + 4 * step] ?? 0;
  const d5 = d[at + 5 * step] ?? 0;
  const d6 = d[at + 6 * step] ?? 0;
  const d7 = d[at + 7 * step] ?? 0;
  const s07 = d0 + d7;
  const s16 = d1 + d6;
  const s25 = d2 + d5;
  const s34 = d3 + d4;
  const a07 = d0 - d7;
  const a16 = d1 - d6;
  const a25 = d2 - d5;
  const a34 = d3 - d4;
  // Even part.
  const e0 = s07 + s34;
  const e3 = s07 - s34;
  const e1 = s16 + s25;
  const e2 = s16 - s25;
  d[at] = e0 + e1;
  d[at + 4 * step] = e0 - e1;
  const m = (e2 + e3) * Math.SQRT1_2;
  d[at + 2 * step] = e3 + m;
  d[at + 6 * step] = e3 - m;
  // Odd part.
  const o0 = a34 + a25;
  const o1 = a25 + a16;
  const o2 = a16 + a07;
  const r = (o0 - o2) * 0.38268343236508984; // cos(3π/8)
  const p0 = 0.5411961001461969 * o0 + r; // cos(π/8) − cos(3π/8)
  const p2 = 1.3065629648763766 * o2 + r; // cos(π/8) + cos(3π/8)
  const p1 = o1 * Math.SQRT1_2;
  const q0 = a07 + p1;
  const q1 = a07 - p1;
  d[at + 5 * step] = q1 + p0;
  d[at + 3 * step] = q1 - p0;
  d[at + step] = q0 + p2;
  d[at + 7 * step] = q0 - p2;
}

/** The 2-D forward DCT of a level-shifted 8×8 block, in place, scaled as {@link AAN_SCALE} says. */
function fdct(block: Float64Array): void {
  for (let row = 0; row < 64; row += 8) aanPass(block, row, 1);
  for (let col = 0; col < 8; col++) aanPass(block, col, 8);
}

/** The number of bits of |v|: the SSSS category of F.1.2.1. */
function category(v: number): number {
  return 32 - Math.clz32(v < 0 ? -v : v);
}

function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(marker, 0);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

function dht(tableClass: number, id: number, spec: HuffmanSpec): Buffer {
  return Buffer.from([(tableClass << 4) | id, ...spec.bits, ...spec.values]);
}

/** The COM segment of `comment` (printable ASCII). */
function commentSegment(comment: string): Buffer {
  if (!/^[\x20-\x7e]{1,60000}$/.test(comment)) throw new RangeError('the comment must be printable ASCII');
  return segment(0xfffe, Buffer.from(comment, 'latin1'));
}

/**
 * `jpeg` (as {@link encodeJpeg} writes it: SOI, then APP0) with a COM segment of `comment` after its APP0, where
 * encodeJpeg puts one: the same picture, its bytes unique to the comment, without encoding it again.
 */
export function withComment(jpeg: Buffer, comment: string): Buffer {
  if (jpeg.readUInt16BE(0) !== 0xffd8 || jpeg.readUInt16BE(2) !== 0xffe0) {
    throw new RangeError('withComment takes a JFIF JPEG that opens with SOI and APP0');
  }
  const afterApp0 = 4 + jpeg.readUInt16BE(4);
  return Buffer.concat([jpeg.subarray(0, afterApp0), commentSegment(comment), jpeg.subarray(afterApp0)]);
}

/** Encodes `image` as a baseline JFIF JPEG. */
export function encodeJpeg(image: RgbImage, opts: JpegOptions = {}): Buffer {
  const { width, height, pixels } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`a JPEG needs a positive integer size, got ${width}×${height}`);
  }
  if (width > 65535 || height > 65535) throw new RangeError('a baseline JPEG is at most 65535 pixels a side');
  if (pixels.length !== width * height * 3) throw new RangeError('pixels must hold 3 bytes per pixel');
  const quality = opts.quality ?? 75;
  const qTables = [scaleTable(LUMA_Q, quality), scaleTable(CHROMA_Q, quality)];
  const divisors = qTables.map(quantizers);
  const dcCodes = [huffmanCodes(DC_LUMA), huffmanCodes(DC_CHROMA)];
  const acCodes = [huffmanCodes(AC_LUMA), huffmanCodes(AC_CHROMA)];

  const parts: Buffer[] = [Buffer.from([0xff, 0xd8])];
  // APP0 JFIF 1.01, no density, no thumbnail.
  parts.push(segment(0xffe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0])));
  if (opts.comment !== undefined) parts.push(commentSegment(opts.comment));
  for (const [id, table] of qTables.entries()) {
    parts.push(segment(0xffdb, Buffer.from([id, ...ZIGZAG.map((n) => table[n] ?? 1)])));
  }
  const sof = Buffer.alloc(15);
  sof[0] = 8;
  sof.writeUInt16BE(height, 1);
  sof.writeUInt16BE(width, 3);
  sof[5] = 3;
  // Components 1 (Y), 2 (Cb), 3 (Cr): no subsampling (1×1), tables 0, 1, 1.
  sof.set([1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1], 6);
  parts.push(segment(0xffc0, sof));
  parts.push(
    segment(
      0xffc4,
      Buffer.concat([dht(0, 0, DC_LUMA), dht(1, 0, AC_LUMA), dht(0, 1, DC_CHROMA), dht(1, 1, AC_CHROMA)]),
    ),
  );
  parts.push(segment(0xffda, Buffer.from([3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0])));

  const out = new BitWriter();
  // JFIF's YCbCr (full range), level-shifted by 128, converted block by block into single-precision blocks:
  // whole planes would be 24 MB of fresh memory for a full-HD frame, slower to fault in than to compute.
  const ycc = [new Float32Array(64), new Float32Array(64), new Float32Array(64)] as const;
  const [yBlock, cbBlock, crBlock] = ycc;
  const block = new Float64Array(64);
  const coef = new Int32Array(64);
  const previousDc = [0, 0, 0];
  for (let by = 0; by < height; by += 8) {
    for (let bx = 0; bx < width; bx += 8) {
      // Edge blocks repeat the last row and column, as libjpeg does.
      for (let y = 0; y < 8; y++) {
        const row = Math.min(height - 1, by + y) * width;
        for (let x = 0; x < 8; x++) {
          const i = (row + Math.min(width - 1, bx + x)) * 3;
          const r = pixels[i] ?? 0;
          const g = pixels[i + 1] ?? 0;
          const b = pixels[i + 2] ?? 0;
          const k = y * 8 + x;
          yBlock[k] = 0.299 * r + 0.587 * g + 0.114 * b - 128;
          cbBlock[k] = -0.168736 * r - 0.331264 * g + 0.5 * b;
          crBlock[k] = 0.5 * r - 0.418688 * g - 0.081312 * b;
        }
      }
      for (let c = 0; c < 3; c++) {
        block.set(ycc[c] as Float32Array);
        fdct(block);
        const t = c === 0 ? 0 : 1;
        const q = divisors[t] as Float64Array;
        const dc = dcCodes[t] as HuffmanCode;
        const ac = acCodes[t] as HuffmanCode;
        // Clamped to baseline's ranges (DC categories up to 11, AC up to 10), which only quality 100 can reach.
        for (let k = 0; k < 64; k++) {
          const n = ZIGZAG[k] ?? 0;
          const v = Math.round((block[n] ?? 0) * (q[n] ?? 0));
          coef[k] = k === 0 ? Math.max(-1024, Math.min(1023, v)) : Math.max(-1023, Math.min(1023, v));
        }
        const dcValue = coef[0] ?? 0;
        const diff = dcValue - (previousDc[c] ?? 0);
        previousDc[c] = dcValue;
        const s = category(diff);
        out.write(dc.code[s] ?? 0, dc.size[s] ?? 0);
        if (s > 0) out.write(diff < 0 ? diff + (1 << s) - 1 : diff, s);
        let run = 0;
        for (let k = 1; k < 64; k++) {
          const v = coef[k] ?? 0;
          if (v === 0) {
            run++;
            continue;
          }
          while (run > 15) {
            out.write(ac.code[0xf0] ?? 0, ac.size[0xf0] ?? 0);
            run -= 16;
          }
          const size = category(v);
          const symbol = (run << 4) | size;
          out.write(ac.code[symbol] ?? 0, ac.size[symbol] ?? 0);
          out.write(v < 0 ? v + (1 << size) - 1 : v, size);
          run = 0;
        }
        if (run > 0) out.write(ac.code[0] ?? 0, ac.size[0] ?? 0);
      }
    }
  }
  parts.push(out.finish(), Buffer.from([0xff, 0xd9]));
  return Buffer.concat(parts);
}
