/**
 * What a device pushes to an eKuiper httppush stream (FORMAT="json"), typed by the types generated from
 * specs/ekuiper: realistic sensor objects whose `deviceId` carries pushcheck's marker, a 1 MB batch, and the
 * bad bodies the decode cases send. Which answer each bad body gets depends on the eKuiper generation
 * (lf-edge/ekuiper): v2 answers every body `200 ok`; v1 answers 400 to anything that is not a JSON object.
 */
import type { components } from '../../../specs/ekuiper/generated/types.ts';
import type { Rng } from '../../core/rng.ts';

export type PushObject = components['schemas']['PushObject'];

/** The eKuiper generations whose HTTP answers differ (lf-edge/ekuiper). */
export type EkuiperVersion = 1 | 2;

/** The methods an httppush stream can be configured with (v2 Provision: "must be POST or PUT"). */
export type PushMethod = 'POST' | 'PUT';

const STATUSES = ['运行', 'idle', 'alarm', 'maintenance'] as const;

/** A sensor reading from the device named `marker`, with values drawn from `rng`. */
export function deviceObject(marker: string, rng: Rng, now: number): PushObject {
  return {
    deviceId: marker,
    ts: now - rng.int(2000),
    temperature: Math.round((15 + rng.next() * 20) * 100) / 100,
    humidity: rng.int(100),
    status: rng.pick(STATUSES),
    location: {
      lat: Math.round((20 + rng.next() * 25) * 1e6) / 1e6,
      lon: Math.round((100 + rng.next() * 25) * 1e6) / 1e6,
    },
    readings: Array.from({ length: 4 }, () => Math.round(rng.next() * 1e4) / 100),
  };
}

/**
 * One JSON object of at least `bytes` bytes: a device's batch of readings, as a gateway flushing its buffer
 * sends it. The marker opens the object, so an observer sees it whatever the receiver truncates.
 */
export function largeObject(marker: string, rng: Rng, now: number, bytes: number): string {
  const head = deviceObject(marker, rng, now);
  const readings: number[] = [];
  let size = JSON.stringify(head).length;
  while (size < bytes) {
    const r = Math.round(rng.next() * 1e6) / 100;
    readings.push(r);
    size += String(r).length + 1;
  }
  return JSON.stringify({ ...head, readings });
}

/** A body the decode cases send, and what it is. */
export interface BadBody {
  label: string;
  body: string;
}

/**
 * Bodies that are not JSON. All of them fail Go's json.Decoder at the first value (so v1 refuses them); none has
 * valid JSON followed by trailing bytes, which v1's decoder would accept.
 */
export function malformedBodies(obj: PushObject): BadBody[] {
  const json = JSON.stringify(obj);
  return [
    { label: 'a truncated object', body: json.slice(0, Math.max(2, Math.floor(json.length / 2))) },
    { label: 'an object with a trailing comma', body: `${json.slice(0, -1)},}` },
    { label: 'an object with an unquoted key', body: json.replace('"deviceId"', 'deviceId') },
    { label: 'an empty body', body: '' },
  ];
}

/**
 * JSON texts that are valid but not an object. `null` is left out on purpose: Go decodes `null` into a map
 * without an error, so v1 accepts it.
 */
export function nonObjectBodies(obj: PushObject): BadBody[] {
  return [
    { label: 'an array of objects', body: JSON.stringify([obj]) },
    { label: 'a number', body: String(obj.ts) },
    { label: 'a string', body: JSON.stringify(obj.deviceId) },
    { label: 'a boolean', body: 'true' },
  ];
}
