/**
 * Builders of the messages the legacy OneNET platform pushes (the legacy SDKs: type 1 datapoint, 2 online/offline,
 * 7 cached NB-IoT command result), typed by the types generated from specs/onenet-legacy. A datapoint carries
 * pushcheck's marker as its value and a cached-command result as its cmd_id; an online/offline message has no
 * string field to carry one, so it is never what an observer looks for.
 */
import type { components } from '../../../specs/onenet-legacy/generated/types.ts';
import type { Rng } from '../../core/rng.ts';

type Schemas = components['schemas'];
export type DatapointMsg = Schemas['DatapointMsg'];
export type StatusMsg = Schemas['StatusMsg'];
export type CachedCommandMsg = Schemas['CachedCommandMsg'];
export type Message = DatapointMsg | StatusMsg | CachedCommandMsg;

export const MESSAGE_KINDS = ['datapoint', 'status', 'cachedCommand'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

const DIGITS = '0123456789';
const STREAMS = ['temperature', 'humidity', 'voltage', 'door_state', 'rssi'] as const;

export interface BuildOptions {
  /** The data stream id of a datapoint contains slashes, which the platform signs unescaped. */
  slashes?: boolean;
}

/**
 * One message of `kind`; `marker` goes where the message has room for it (a datapoint's value, a command's
 * cmd_id). Returns the message and the marker it carries, if any.
 */
export function buildMessage(
  kind: MessageKind,
  marker: string,
  rng: Rng,
  now: number,
  opts: BuildOptions = {},
): { message: Message; marker?: string } {
  const devId = 1_000_000 + rng.int(9_000_000);
  const at = now - rng.int(3000);
  switch (kind) {
    case 'datapoint': {
      const stream = rng.pick(STREAMS);
      const message: DatapointMsg = {
        type: 1,
        dev_id: devId,
        ds_id: opts.slashes ? `site/${rng.string(3)}/${stream}` : stream,
        at,
        value: marker,
      };
      return { message, marker };
    }
    case 'status': {
      const message: StatusMsg = {
        type: 2,
        dev_id: devId,
        status: rng.pick([0, 1] as const),
        login_type: rng.pick([1, 6, 7, 10] as const),
        at,
      };
      return { message };
    }
    case 'cachedCommand': {
      const sent = at - 5000 - rng.int(60_000);
      const message: CachedCommandMsg = {
        type: 7,
        dev_id: devId,
        at,
        cmd_type: rng.int(2),
        cmd_id: marker,
        imei: `86${rng.string(13, DIGITS)}`,
        send_time: sent,
        send_status: 1,
        confirm_time: at,
        confirm_status: 1,
        confirm_body: rng.pick(['ok', '{"result":0}', 'AQID']),
      };
      return { message, marker };
    }
  }
}
