/**
 * Writes the edge box's camera frames, one per size it sends (FRAME in src/protocols/alertpush/messages.ts), to
 * src/protocols/alertpush/camera/WxH.jpg: what `drawCameraFrame` draws and encodes, committed so that no
 * Playwright worker spends its start drawing them. tests/alertpush/jpeg.test.ts checks each file is still what
 * the code draws; after changing the scene or the encoder, run `npx tsx scripts/alertpush-camera-frames.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAMERA_DIR, drawCameraFrame } from '../src/protocols/alertpush/media.ts';
import { FRAME } from '../src/protocols/alertpush/messages.ts';

mkdirSync(CAMERA_DIR, { recursive: true });
for (const [width, height] of Object.values(FRAME)) {
  const file = join(CAMERA_DIR, `${width}x${height}.jpg`);
  const { jpeg } = drawCameraFrame(width, height);
  writeFileSync(file, jpeg);
  console.log(`wrote ${file} (${jpeg.length} bytes)`);
}
