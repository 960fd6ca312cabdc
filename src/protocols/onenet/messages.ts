/**
 * Builders of the decoded `msg` payloads OneNET Studio pushes (the OneNET rule_data document), typed by
 * the types generated from specs/onenet. Each payload starts with `deviceName`, which carries pushcheck's
 * marker: in secure mode the marker then lies in the first AES block, so a wrong IV cannot produce it.
 */

import type { components } from '../../../specs/onenet/generated/types.ts';
import type { Rng } from '../../core/rng.ts';

type Schemas = components['schemas'];
export type Msg =
  | Schemas['LifeCycleMsg']
  | Schemas['PropertyNotifyMsg']
  | Schemas['EventNotifyMsg']
  | Schemas['ServiceReplyMsg']
  | Schemas['SceneLogMsg']
  | Schemas['LbsAndWifiMsg'];

export const MSG_KINDS = [
  'lifeCycle',
  'property',
  'event',
  'serviceReply',
  'sceneLog',
  'lbsAndWifi',
] as const;
export type MsgKind = (typeof MSG_KINDS)[number];

const DIGITS = '0123456789';

/** Builds one payload of `kind` for the device named `marker`, with realistic values drawn from `rng`. */
export function buildMsg(kind: MsgKind, marker: string, rng: Rng, now: number): Msg {
  const base = {
    deviceName: marker,
    projectId: rng.string(6),
    productId: rng.string(10),
  };
  const t = now - rng.int(3000);
  switch (kind) {
    case 'lifeCycle':
      return {
        ...base,
        messageType: 'lifeCycle',
        data: { status: rng.pick(['online', 'offline'] as const), time: t },
        timestamp: t,
      } satisfies Schemas['LifeCycleMsg'];
    case 'property':
      return {
        ...base,
        messageType: 'notify',
        notifyType: 'property',
        data: {
          id: rng.string(5, DIGITS),
          params: {
            Power: { value: rng.pick(['on', 'off', '开', '关']), time: t },
            WF: { value: Math.round(rng.next() * 400) / 10, time: t },
            '3_0_20': {
              value: rng.int(100),
              time: t,
              bin_data: Buffer.from(rng.string(6)).toString('base64'),
            },
          },
        },
      } satisfies Schemas['PropertyNotifyMsg'];
    case 'event':
      return {
        ...base,
        messageType: 'notify',
        notifyType: 'event',
        data: {
          id: rng.string(5, DIGITS),
          version: '1.0',
          params: { overTemp: { value: { temperature: 80 + rng.int(20), unit: '℃' }, time: t } },
        },
      } satisfies Schemas['EventNotifyMsg'];
    case 'serviceReply': {
      const id = rng.string(5, DIGITS);
      return {
        ...base,
        messageType: 'reply',
        callType: 'async',
        request: { id, version: '1.0', params: { identifier: 'reboot', input: { delay: rng.int(10) } } },
        response: { id, code: 200, msg: 'success', data: { identifier: 'reboot', output: { result: true } } },
        sTime: t - 200,
        rTime: t,
      } satisfies Schemas['ServiceReplyMsg'];
    }
    case 'sceneLog':
      return {
        ...base,
        messageType: 'sceneLog',
        sceneName: rng.pick(['温度过高告警', '夜间照明联动', 'door "front" / 前门']),
        data: {
          conditions: [{ deviceName: `sensor-${rng.string(4)}`, identifier: 'WF', operator: '>', value: 35 }],
          actions: [{ type: 'notify', content: '温度超过阈值\n请检查' }],
          time: t,
        },
      } satisfies Schemas['SceneLogMsg'];
    case 'lbsAndWifi':
      return {
        ...base,
        messageType: 'lbsAndWifi',
        type: rng.pick([1, 2] as const),
        timestamp: t,
        data: { accuracy: 30 + rng.int(500), lon: 106.5 + rng.next(), lat: 29.5 + rng.next() },
      } satisfies Schemas['LbsAndWifiMsg'];
  }
}
