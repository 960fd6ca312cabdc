/**
 * Writes the inputs of the alertpush JPEG vectors: two seeded camera frames (one whose size is not a multiple
 * of 8, so edge blocks are exercised) as raw RGB (PPM) and as pushcheck's JPEG. scripts/alertpush-jpeg-vectors.sh
 * then decodes each JPEG with libjpeg's djpeg, an independent decoder. Each frame is renderScene(width,
 * height, createRng(1, name)), encoded with its quality and its name as the comment (vectors.json).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '../src/core/rng.ts';
import { encodeJpeg } from '../src/protocols/alertpush/jpeg.ts';
import { renderScene } from '../src/protocols/alertpush/media.ts';

const VECTORS = [
  { name: 'frame-64x48', width: 64, height: 48, quality: 75 },
  { name: 'frame-50x37-q90', width: 50, height: 37, quality: 90 },
] as const;

const out = join(import.meta.dirname, '..', 'src', 'protocols', 'alertpush', 'vectors');
for (const v of VECTORS) {
  const { image } = renderScene(v.width, v.height, createRng(1, v.name));
  const header = Buffer.from(`P6\n${v.width} ${v.height}\n255\n`, 'latin1');
  writeFileSync(join(out, `${v.name}.source.ppm`), Buffer.concat([header, image.pixels]));
  writeFileSync(join(out, `${v.name}.jpg`), encodeJpeg(image, { quality: v.quality, comment: v.name }));
  console.log(`wrote ${v.name}.source.ppm and ${v.name}.jpg`);
}
// The manifest the test re-encodes from: the same seed (1), label (the name), quality and comment.
writeFileSync(join(out, 'vectors.json'), `${JSON.stringify(VECTORS, null, 2)}\n`);
