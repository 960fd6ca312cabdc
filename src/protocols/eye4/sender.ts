/**
 * The Eye4 platform's side of the wire: builds alarm and resource callbacks as the Eye4 system sends them,
 * with the run's fixed guid header, each alarm carrying a unique marker in its `did`. Everything it builds is
 * validated against specs/eye4/schemas: an invalid callback is a pushcheck bug, never a receiver's fault.
 */
import type { components } from '../../../specs/eye4/generated/types.ts';
import { newMarker } from '../../core/observer.ts';
import type { Rng } from '../../core/rng.ts';
import { formatErrors, loadSchemas, type SchemaSet } from '../../core/schemas.ts';

export type Alarm = components['schemas']['Alarm'];
export type AlarmPayload = components['schemas']['AlarmPayload'];
export type Resource = components['schemas']['Resource'];
export type LookupRequest = components['schemas']['LookupRequest'];
export type LookupResponse = components['schemas']['LookupResponse'];

/** The header every genuine request of the Eye4 system carries (the Eye4 alarm access document §V.3). */
export const GUID_HEADER = 'guid';

/** The storage type of a doorbell's recordings, and so of every alarm pushcheck sends. */
export const DOORBELL_STORAGE = 'D009';

export const ACTION = { motion: '100', lowBattery: '101' } as const;

/** Which guid header a callback carries: the run's, none, or a given (wrong) value. */
export type GuidChoice = { kind: 'genuine' } | { kind: 'missing' } | { kind: 'value'; value: string };

export interface AlarmOptions {
  /** "100" (motion or door, with a recording) by default; "101" is a low-battery reminder without one. */
  action?: (typeof ACTION)[keyof typeof ACTION];
  /** The payload as an object (the example) or as JSON text (the table's "String"). */
  payloadForm?: 'object' | 'string';
}

export interface AlarmProbe {
  /** Unique to this alarm; it is in `did`, where the receiver records what it processed. */
  marker: string;
  /** The recording's id, absent on a low-battery reminder. */
  fileid?: string;
  body: Alarm;
  /** The body as sent. */
  json: string;
}

export interface ResourceProbe {
  fileid: string;
  body: Resource;
  json: string;
}

export interface SenderOptions {
  /** The fixed guid of the customer's Eye4 account. */
  guid: string;
  /** Digits unique to the run, in every marker and fileid. */
  runTag: string;
  rng: Rng;
  /** Where cover images point (pushcheck's Eye4 API mock serves them); always a loopback origin. */
  fileOrigin: string;
}

const HEX = '0123456789abcdef';
const REGIONS = ['cn-shenzhen', 'cn-hangzhou', 'ap-singapore', 'us-west'] as const;

let schemas: SchemaSet | undefined;

function validate(file: string, value: unknown): void {
  schemas ??= loadSchemas('eye4');
  const check = schemas.validator(file);
  if (!check(value))
    throw new Error(`pushcheck built an invalid Eye4 ${file}: ${formatErrors(check.errors)}`);
}

export class Eye4Sender {
  constructor(private readonly opts: SenderOptions) {}

  /** The headers of a callback: JSON, and the guid as chosen. */
  headers(guid: GuidChoice = { kind: 'genuine' }): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    if (guid.kind === 'genuine') headers[GUID_HEADER] = this.opts.guid;
    if (guid.kind === 'value') headers[GUID_HEADER] = guid.value;
    return headers;
  }

  /** A fresh fileid: 40 hex digits, the run tag among them, so a rerun never reuses one. */
  fileid(): string {
    const tail = this.opts.rng.string(40 - this.opts.runTag.length, HEX);
    return `${tail.slice(0, 6)}${this.opts.runTag}${tail.slice(6)}`;
  }

  /** An alarm as the Eye4 system sends it, from a fresh device whose did carries the marker. */
  alarm(opts: AlarmOptions = {}): AlarmProbe {
    const rng = this.opts.rng;
    const marker = newMarker(this.opts.runTag, rng);
    const action = opts.action ?? ACTION.motion;
    const electricity = String(action === ACTION.lowBattery ? 1 + rng.int(15) : 20 + rng.int(81));
    const payload: AlarmPayload = { electricity };
    let fileid: string | undefined;
    if (action !== ACTION.lowBattery) {
      fileid = this.fileid();
      payload.fileid = fileid;
      payload.cover = `${this.opts.fileOrigin}/files/alarm_cover_${fileid}.jpg`;
    }
    validate('alarm-payload.json', payload);
    const body: Alarm = {
      type: 'doorbell',
      action,
      did: `VSTC${marker}`,
      payload: opts.payloadForm === 'string' ? JSON.stringify(payload) : payload,
    };
    validate('alarm.json', body);
    return { marker, ...(fileid !== undefined ? { fileid } : {}), body, json: JSON.stringify(body) };
  }

  /**
   * The resource message of the recording `fileid`, its id spelt `key` or `Key`. `d009_id` carries the
   * fileid too, so that a receiver reading the table (“corresponds to fileid”) finds the alarm as well.
   */
  resource(fileid: string, keyName: 'key' | 'Key' = 'Key'): ResourceProbe {
    const body: Resource = {
      [keyName]: fileid,
      region: this.opts.rng.pick(REGIONS),
      d009_id: fileid,
    } as Resource;
    validate('resource.json', body);
    return { fileid, body, json: JSON.stringify(body) };
  }
}
