/**
 * The pictures and clips an edge box attaches to its alerts, drawn from the run's seed: a camera frame
 * (sky, ground, a road, the detected objects, sensor grain) encoded as a real JPEG, and a short Motion-JPEG
 * AVI clip for video alerts. Real files, so that a receiver that decodes and opens them can, and sizes close to
 * what a camera produces (a full-HD frame is a few hundred KB).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Rng } from '../../core/rng.ts';
import { createRng } from '../../core/rng.ts';
import { encodeJpeg, type RgbImage, withComment } from './jpeg.ts';

/** A detection box in pixels: [x1, y1, x2, y2]. */
export type Box = [number, number, number, number];

export interface Frame {
  jpeg: Buffer;
  width: number;
  height: number;
  /** The objects drawn into the frame, which the alert's bbox rectangles describe. */
  boxes: Box[];
}

/** Where a scene's parts go and what colour they are: every draw a scene takes from its `rng`. */
interface Layout {
  horizon: number;
  sky: [number, number, number];
  ground: [number, number, number];
  /** The seed of the sensor grain's xorshift32. */
  grain: number;
  objects: { box: Box; x1: number; y1: number; w: number; h: number; colour: [number, number, number] }[];
}

/** Lays out a seeded street scene with `objects` coloured shapes, drawing from `rng` as {@link renderScene} does. */
function layOut(width: number, height: number, rng: Rng, objects: number): Layout {
  const horizon = Math.floor(height * (0.35 + rng.next() * 0.1));
  const sky: Layout['sky'] = [110 + rng.int(60), 150 + rng.int(50), 200 + rng.int(50)];
  const ground: Layout['ground'] = [70 + rng.int(40), 90 + rng.int(40), 60 + rng.int(30)];
  const grain = (rng.int(0xffffffff) | 1) >>> 0;
  const placed: Layout['objects'] = [];
  for (let n = 0; n < objects; n++) {
    const w = Math.max(4, Math.floor(width * (0.05 + rng.next() * 0.1)));
    const h = Math.max(6, Math.floor(w * (1.5 + rng.next())));
    const x1 = rng.int(Math.max(1, width - w));
    const y1 = Math.min(height - h, horizon + rng.int(Math.max(1, height - horizon - h)));
    const colour: Layout['objects'][number]['colour'] = [rng.int(256), rng.int(256), rng.int(256)];
    const box: Box = [x1, Math.max(0, y1), Math.min(width, x1 + w), Math.min(height, y1 + h)];
    placed.push({ box, x1, y1, w, h, colour });
  }
  return { horizon, sky, ground, grain, objects: placed };
}

/** The objects a scene shows. */
const OBJECTS = 2;

/** Draws a seeded street scene with `objects` coloured shapes, each inside its box. */
export function renderScene(
  width: number,
  height: number,
  rng: Rng,
  objects = OBJECTS,
): { image: RgbImage; boxes: Box[] } {
  const layout = layOut(width, height, rng, objects);
  return { image: paint(width, height, layout), boxes: layout.objects.map((o) => o.box) };
}

function paint(width: number, height: number, layout: Layout): RgbImage {
  const pixels = new Uint8Array(width * height * 3);
  const { horizon } = layout;
  const grain = 24;
  // Sensor grain from a xorshift32: millions of draws per frame, so cheaper than the scene's `rng`.
  let state = layout.grain;
  const noise = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) / 4294967296 - 0.5) * grain;
  };
  const [skyR, skyG, skyB] = layout.sky;
  const [groundR, groundG, groundB] = layout.ground;
  for (let y = 0; y < height; y++) {
    const shade = 0.8 + (0.2 * y) / horizon;
    const depth = (y - horizon) / (height - horizon);
    const half = width * (0.05 + 0.4 * depth);
    const dashRow = Math.floor(depth * 20) % 2 === 0;
    const dash = 2 + 6 * depth;
    for (let x = 0, i = y * width * 3; x < width; x++, i += 3) {
      // Plain numbers, not [r, g, b] arrays: this loop runs two million times for a full-HD frame.
      let r: number;
      let g: number;
      let b: number;
      if (y < horizon) {
        r = skyR * shade;
        g = skyG * shade;
        b = skyB * shade;
      } else {
        // A road narrowing towards the horizon, with a dashed centre line.
        const dx = Math.abs(x - width / 2);
        if (dashRow && dx < dash) {
          r = 230;
          g = 230;
          b = 220;
        } else if (dx < half) {
          r = 90;
          g = 90;
          b = 95;
        } else {
          r = groundR;
          g = groundG;
          b = groundB;
        }
      }
      pixels[i] = clamp(r + noise());
      pixels[i + 1] = clamp(g + noise());
      pixels[i + 2] = clamp(b + noise());
    }
  }
  for (const { x1, y1, w, h, colour } of layout.objects) {
    for (let y = Math.max(0, y1); y < Math.min(height, y1 + h); y++) {
      for (let x = x1; x < Math.min(width, x1 + w); x++) {
        // An ellipse (a person's or a vehicle's silhouette) inside its box.
        const ex = (x - x1 - w / 2) / (w / 2);
        const ey = (y - y1 - h / 2) / (h / 2);
        if (ex * ex + ey * ey > 1) continue;
        const i = (y * width + x) * 3;
        for (let c = 0; c < 3; c++) pixels[i + c] = clamp((colour[c] ?? 0) + noise());
      }
    }
  }
  return { width, height, pixels };
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

/** A camera frame as a JPEG; `comment` goes into a COM segment (see {@link encodeJpeg}). */
export function cameraFrame(width: number, height: number, rng: Rng, comment?: string): Frame {
  const { image, boxes } = renderScene(width, height, rng);
  return { jpeg: encodeJpeg(image, comment === undefined ? {} : { comment }), width, height, boxes };
}

/** Gives a frame of a size, with `comment` in it. */
export type FrameSource = (width: number, height: number, comment: string) => Frame;

/** The seed of the camera's scene: one street for every run (each alert is unique by its comment). */
export const CAMERA_SEED = 1;

/**
 * The camera's frames of the sizes the edge box sends, drawn and encoded once and committed
 * (scripts/alertpush-camera-frames.ts; tests/alertpush/jpeg.test.ts checks they are what the code draws): a
 * Playwright worker would otherwise spend about 0.8 s of CPU drawing them, most of it before the JIT warms up.
 */
export const CAMERA_DIR = join(import.meta.dirname, 'camera');

/** The random draws of the camera's scene of a size: the same for every run. */
function cameraRng(width: number, height: number): Rng {
  return createRng(CAMERA_SEED, `camera frame ${width}x${height}`);
}

/** The camera's frame of a size, as the code draws and encodes it. */
export function drawCameraFrame(width: number, height: number): Frame {
  return cameraFrame(width, height, cameraRng(width, height));
}

/** The camera's frame of a size: the committed file where there is one (its boxes laid out again), else drawn. */
function cameraFrameOf(width: number, height: number): Frame {
  const file = join(CAMERA_DIR, `${width}x${height}.jpg`);
  if (!existsSync(file)) return drawCameraFrame(width, height);
  const layout = layOut(width, height, cameraRng(width, height), OBJECTS);
  return { jpeg: readFileSync(file), width, height, boxes: layout.objects.map((o) => o.box) };
}

/** How many frames, and clips, a process keeps: the edge box sends two or three sizes. */
const KEPT_MAX = 8;

/** `make()`'s value for `key`, made once and kept in `cache` (at most {@link KEPT_MAX} values). */
function kept<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    if (cache.size >= KEPT_MAX) cache.delete(cache.keys().next().value ?? key);
    cache.set(key, value);
  }
  return value;
}

/** Frames already drawn or read, by size. */
const frames = new Map<string, Frame>();

/**
 * The edge box's camera frames: one scene per size, the same for every run, each alert's copy made unique by
 * the comment in its COM segment, as a fixed camera's frames differ by their content only.
 */
export const cameraFrames: FrameSource = (width, height, comment) => {
  const frame = kept(frames, `${width}x${height}`, () => cameraFrameOf(width, height));
  return { ...frame, jpeg: withComment(frame.jpeg, comment) };
};

/** Clips already drawn, by size and length. */
const clips = new Map<string, Buffer>();

/** The camera's clip of `count` frames of a size, drawn once per process: every video alert may carry it. */
export function cameraClip(width: number, height: number, count: number): Buffer {
  const key = `${width}x${height}x${count}`;
  return kept(clips, key, () => clip(width, height, createRng(CAMERA_SEED, `camera clip ${key}`), count));
}

function chunk(id: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(id, 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  // RIFF chunks are padded to an even length.
  return Buffer.concat([head, data, Buffer.alloc(data.length % 2)]);
}

function list(type: string, ...children: Buffer[]): Buffer {
  return chunk('LIST', Buffer.concat([Buffer.from(type, 'latin1'), ...children]));
}

/**
 * A Motion-JPEG AVI (RIFF, one video stream, `MJPG`, an idx1 index) of `frames`, which must all be JPEGs of
 * `width`×`height`: the simplest clip every player opens.
 */
export function mjpegAvi(frames: readonly Buffer[], width: number, height: number, fps = 5): Buffer {
  if (frames.length === 0) throw new RangeError('a clip needs at least one frame');
  const largest = Math.max(...frames.map((f) => f.length));
  const avih = Buffer.alloc(56);
  avih.writeUInt32LE(Math.round(1_000_000 / fps), 0); // microseconds per frame
  avih.writeUInt32LE(largest * fps, 4); // max bytes per second
  avih.writeUInt32LE(0x10, 12); // AVIF_HASINDEX
  avih.writeUInt32LE(frames.length, 16); // total frames
  avih.writeUInt32LE(1, 24); // streams
  avih.writeUInt32LE(largest, 28); // suggested buffer size
  avih.writeUInt32LE(width, 32);
  avih.writeUInt32LE(height, 36);
  const strh = Buffer.alloc(56);
  strh.write('vids', 0, 'latin1');
  strh.write('MJPG', 4, 'latin1');
  strh.writeUInt32LE(1, 20); // scale
  strh.writeUInt32LE(fps, 24); // rate: rate/scale = frames per second
  strh.writeUInt32LE(frames.length, 32); // length in frames
  strh.writeUInt32LE(largest, 36);
  strh.writeInt32LE(-1, 40); // quality: default
  strh.writeUInt16LE(width, 52);
  strh.writeUInt16LE(height, 54);
  const strf = Buffer.alloc(40); // BITMAPINFOHEADER
  strf.writeUInt32LE(40, 0);
  strf.writeInt32LE(width, 4);
  strf.writeInt32LE(height, 8);
  strf.writeUInt16LE(1, 12); // planes
  strf.writeUInt16LE(24, 14); // bits per pixel
  strf.write('MJPG', 16, 'latin1');
  strf.writeUInt32LE(width * height * 3, 20);
  const hdrl = list('hdrl', chunk('avih', avih), list('strl', chunk('strh', strh), chunk('strf', strf)));
  const movi = list('movi', ...frames.map((f) => chunk('00dc', f)));
  const index = Buffer.alloc(16 * frames.length);
  let offset = 4; // from the 'movi' fourcc
  frames.forEach((f, n) => {
    index.write('00dc', n * 16, 'latin1');
    index.writeUInt32LE(0x10, n * 16 + 4); // AVIIF_KEYFRAME
    index.writeUInt32LE(offset, n * 16 + 8);
    index.writeUInt32LE(f.length, n * 16 + 12);
    offset += 8 + f.length + (f.length % 2);
  });
  const body = Buffer.concat([Buffer.from('AVI ', 'latin1'), hdrl, movi, chunk('idx1', index)]);
  return chunk('RIFF', body);
}

/** A short clip: `count` camera frames drawn one after another from the seed. */
export function clip(width: number, height: number, rng: Rng, count = 5): Buffer {
  const frames = Array.from({ length: count }, () => cameraFrame(width, height, rng).jpeg);
  return mjpegAvi(frames, width, height);
}
