/**
 * The edge box's side of the wire: alerts and video alerts as the box builds them (the vendor's KS-server-demo), each with a
 * real JPEG (or Motion-JPEG clip) and a unique marker as the start of its id. Everything built is validated
 * against specs/alertpush/schemas: an invalid alert is a pushcheck bug, never a receiver's fault.
 */
import type { components } from '../../../specs/alertpush/generated/types.ts';
import { newMarker } from '../../core/observer.ts';
import type { Rng } from '../../core/rng.ts';
import { formatErrors, loadSchemas, type SchemaSet } from '../../core/schemas.ts';
import { cameraClip, cameraFrame, clip, type FrameSource } from './media.ts';

export type Alert = components['schemas']['Alert'];
export type VideoAlert = components['schemas']['VideoAlert'];

/** Frame sizes: a small snapshot keeps most cases fast; full HD is what a real camera sends. */
export const FRAME = {
  small: [320, 180],
  medium: [640, 360],
  fullHd: [1920, 1080],
} as const satisfies Record<string, readonly [number, number]>;

export type FrameSize = keyof typeof FRAME;

export interface AlertProbe {
  /** Unique to this alert: the start of its id, found where the receiver records what it processed. */
  marker: string;
  body: Alert;
  /** The body as sent. */
  json: string;
  /** The JPEG inside `image`, decoded. */
  jpeg: Buffer;
}

export interface VideoProbe {
  marker: string;
  body: VideoAlert;
  json: string;
  /** The clip inside `video`, decoded. */
  clip: Buffer;
}

/** Algorithms of the box's catalogue, with the Chinese names it reports (UTF-8 on the wire). */
const ALGORITHMS = [
  { name: 'person_intrusion', ch_name: '区域入侵', label: 'person' },
  { name: 'no_helmet', ch_name: '未戴安全帽', label: 'head' },
  { name: 'smoking', ch_name: '吸烟检测', label: 'cigarette' },
  { name: 'vehicle_parking', ch_name: '违停检测', label: 'car' },
  { name: 'fire_smoke', ch_name: '烟火检测', label: 'fire' },
] as const;

let schemas: SchemaSet | undefined;

function validated<T>(file: string, body: T): T {
  schemas ??= loadSchemas('alertpush');
  const validate = schemas.validator(file);
  if (!validate(body)) {
    throw new Error(`pushcheck built an invalid ${file} body: ${formatErrors(validate.errors)}`);
  }
  return body;
}

/** The box's clock: epoch seconds with microseconds, never a whole number (as in 1742458171.808598). */
function alertTime(rng: Rng): number {
  const micros = 1 + rng.int(999_998);
  return Math.floor(Date.now() / 1000) + micros / 1_000_000;
}

/** The box that raises the alerts of one case; every value comes from `rng`. */
export class EdgeBox {
  private readonly device: Alert['device'];
  private readonly source: Alert['source'];

  /**
   * `frames`, when given, supplies the camera frames (the camera's shared scene, `cameraFrames`), and video
   * alerts then carry the camera's shared clip; without it each alert draws its own from `rng`.
   */
  constructor(
    private readonly runTag: string,
    private readonly rng: Rng,
    private readonly frames?: FrameSource,
  ) {
    this.device = {
      id: `box-${rng.string(6, '0123456789abcdef')}`,
      name: `晓知精灵-${1 + rng.int(9)}`,
      desc: '东门 "north gate" edge box',
    };
    this.source = {
      id: `cam-${1 + rng.int(16)}`,
      ipv4: `192.168.${1 + rng.int(254)}.${1 + rng.int(254)}`,
      desc: `${1 + rng.int(8)}号摄像头 / camera`,
    };
  }

  /** A fresh marker of this run. */
  marker(): string {
    return newMarker(this.runTag, this.rng);
  }

  /** `length` random characters of `alphabet` (forged tokens). */
  random(length: number, alphabet: string): string {
    return this.rng.string(length, alphabet);
  }

  /** An alert id that starts with `marker` and is 24 characters long, like the box's own ids. */
  private id(marker: string): string {
    return (marker + this.rng.string(24, '0123456789abcdef')).slice(0, Math.max(24, marker.length));
  }

  private common(marker: string) {
    const alg = this.rng.pick(ALGORITHMS);
    return {
      alg,
      fields: {
        id: this.id(marker),
        alert_time: alertTime(this.rng),
        device: this.device,
        source: this.source,
        alg: { name: alg.name, ch_name: alg.ch_name, type: 'general' },
        hazard_level: String(1 + this.rng.int(3)),
      },
    };
  }

  /** An alert with a camera frame of `size`, its detections as bbox rectangles. */
  alert(size: FrameSize = 'small'): AlertProbe {
    const marker = this.marker();
    const { alg, fields } = this.common(marker);
    const [width, height] = FRAME[size];
    const comment = `pushcheck alert ${fields.id}`;
    const frame = this.frames
      ? this.frames(width, height, comment)
      : cameraFrame(width, height, this.rng, comment);
    const body: Alert = validated('alert.json', {
      ...fields,
      image: frame.jpeg.toString('base64'),
      reserved_data: {
        bbox: {
          rectangles: frame.boxes.map((xyxy) => ({
            xyxy,
            color: [0, 0, 255] as [number, number, number],
            label: alg.label,
            conf: Math.round((0.5 + this.rng.next() * 0.49) * 10_000) / 10_000,
            ext: {},
          })),
          polygons: {},
          lines: {},
        },
        custom: {},
      },
    });
    return { marker, body, json: JSON.stringify(body), jpeg: frame.jpeg };
  }

  /** A video alert whose clip is a short Motion-JPEG AVI. */
  videoAlert(): VideoProbe {
    const marker = this.marker();
    const { fields } = this.common(marker);
    const [width, height] = FRAME.small;
    // With the shared camera, the clip is shared too: drawn once, not for every video alert.
    const video = this.frames ? cameraClip(width, height, 4) : clip(width, height, this.rng, 4);
    const body: VideoAlert = validated('video-alert.json', { ...fields, video: video.toString('base64') });
    return { marker, body, json: JSON.stringify(body), clip: video };
  }
}
