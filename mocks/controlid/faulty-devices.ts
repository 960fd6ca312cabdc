/**
 * One-defect variants of the simulated Control iD device, each named for its defect and for the grader case
 * meant to catch it (`pushcheck listen controlid`): the mistakes of device firmware, simulators and gateways.
 */
import type { ControlIdDeviceCaseId } from '../../specs/controlid/device-requirements.ts';
import { type DeviceBehaviour, referenceDevice } from '../../src/protocols/controlid/sender.ts';

export interface FaultyDevice {
  defect: string;
  behaviour: Partial<DeviceBehaviour>;
  caughtBy: readonly ControlIdDeviceCaseId[];
}

export const faultyDevices = {
  'no-device-id': {
    defect: 'polls without deviceId in the query string',
    behaviour: { deviceIdOn: { push: false, result: true } },
    caughtBy: ['controlid-device.poll.device-id'],
  },
  'result-without-device-id': {
    defect: 'posts results without deviceId in the query string',
    behaviour: { deviceIdOn: { push: true, result: false } },
    caughtBy: ['controlid-device.result.device-id'],
  },
  'no-results': {
    defect: 'executes the commands it is given but never posts their results',
    behaviour: { postsResults: false },
    caughtBy: ['controlid-device.result.posted'],
  },
  'wrong-uuid': {
    defect: "posts each result with a uuid of its own instead of its poll's",
    behaviour: { resultUuid: (_uuid, fresh) => fresh() },
    caughtBy: ['controlid-device.result.uuid'],
  },
  'bare-result': {
    defect: 'posts the API\'s answer itself, without the {"response": …} wrapper',
    behaviour: {
      resultBody: (result) => ('response' in result ? result.response : result),
    },
    caughtBy: ['controlid-device.result.body'],
  },
  'no-repoll': {
    defect: 'waits out its period after a result instead of polling again at once',
    behaviour: { repollsAfterResult: false },
    caughtBy: ['controlid-device.chain.repoll'],
  },
  'fast-poll': {
    defect: 'polls four times as often as push_request_period says (reads the seconds as quarter-seconds)',
    behaviour: { periodFactor: 0.25 },
    caughtBy: ['controlid-device.poll.period'],
  },
} as const satisfies Record<string, FaultyDevice>;

export type FaultyDeviceName = keyof typeof faultyDevices;

/** The reference device with the named defect. */
export function faultyDeviceBehaviour(name: FaultyDeviceName): DeviceBehaviour {
  return { ...referenceDevice, ...faultyDevices[name].behaviour };
}
