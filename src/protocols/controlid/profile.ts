/** Control iD Push as a pushcheck profile: pushcheck plays the device; the push server is under test. */
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { FaultyName } from '../../../mocks/controlid/faulty.ts';
import { requirements } from '../../../specs/controlid/requirements.ts';
import { integerOption, stringOption } from '../../core/errors.ts';
import { is2xx } from '../../core/http.ts';
import type { Profile } from '../../core/profile.ts';
import type { Rng } from '../../core/rng.ts';
import { listenCommand, sendCommand } from './commands.ts';
import { emulateCommand } from './emulate.ts';
import { DEFAULT_REQUEST_PERIOD_S, DEFAULT_REQUEST_TIMEOUT_MS } from './codec.ts';
import {
  baseUrlOption,
  DEFAULT_DEVICE_ID,
  deviceIdOption,
  MAX_RUN_PERIOD_S,
  periodOption,
  requestTimeoutOption,
} from './options.ts';
import { SimulatedDevice } from './device.ts';

export { baseUrlOption, DEFAULT_DEVICE_ID, deviceIdOption, requestTimeoutOption } from './options.ts';

/** What the Control iD cases read from a run. */
export interface ControlIdSettings {
  /** The device id pushcheck polls as (int64, decimal text). */
  deviceId: string;
  /** push_request_timeout: every request is cut off there, and answers must come within it. */
  requestTimeoutMs: number;
  /** Devices polling at once in the concurrency case. */
  devices: number;
  /** push_request_period (s): how long the idle case leaves its device without a poll (decisions/023). */
  periodS: number;
}

/** The period the demo's idle case waits: its receivers are pushcheck's own, whose clock needs no minute. */
const DEMO_PERIOD_S = 3;

const DEVICES = 50;

/** A version-4 uuid drawn from `rng`, as a device makes one for each poll and its result. */
function fuzzUuid(rng: Rng): string {
  const h = (n: number): string => rng.string(n, '0123456789abcdef');
  return `${h(8)}-${h(4)}-4${h(3)}-${rng.pick(['8', '9', 'a', 'b'])}${h(3)}-${h(12)}`;
}

export const controlidProfile: Profile<ControlIdSettings> = {
  name: 'controlid',
  summary: 'Control iD access devices in Push mode: pushcheck plays the device, your push server is tested',
  registry: requirements,
  options: {
    'device-id': { type: 'string' },
    'request-timeout': { type: 'string' },
    devices: { type: 'string' },
    period: { type: 'string' },
  },
  help: `  --target URL         the push server's base URL (push_remote_address): pushcheck polls URL/push
  --device-id N        the int64 id pushcheck polls as (default ${DEFAULT_DEVICE_ID}, above 2^53 on purpose)
  --state-url URL      (common) your server's provider-state hook, to queue commands: see the
                       "reset" and "command queued" states in specs/controlid/openapi.yaml
  --request-timeout MS the device's push_request_timeout (default ${DEFAULT_REQUEST_TIMEOUT_MS})
  --devices N          devices polling at once in the concurrency case (default ${DEVICES})
  --period S           the device's push_request_period (default ${DEFAULT_REQUEST_PERIOD_S}): the idle case leaves a
                       device that long without a poll before it must get its command; it runs beside
                       the other cases, but a run lasts at least one period`,
  deadlineMs: DEFAULT_REQUEST_TIMEOUT_MS,
  deadlineOf: (s) => s.requestTimeoutMs,
  besideCases: ['controlid.command.survives-idle-period'],
  configure(values) {
    baseUrlOption(values.target, '--target');
    return {
      deviceId: deviceIdOption(values),
      requestTimeoutMs: requestTimeoutOption(values),
      devices: integerOption(values.devices, 'devices', DEVICES, 1, 500),
      periodS: periodOption(values.period, MAX_RUN_PERIOD_S),
    };
  },
  secrets: () => [],
  async firstRequest(target, s, { deadlineMs }) {
    // A device in Push mode starts by polling, with a uuid of its own (sender.ts polls the same way).
    // Were a command queued for --device-id, this poll would take it as a device's would; the cases that
    // deliver commands reset the server and queue their own through --state-url first.
    const { endpointUrl } = await import('./sender.ts');
    const query = `deviceId=${encodeURIComponent(s.deviceId)}&uuid=${randomUUID()}`;
    return {
      what: "a device's poll (GET /push)",
      option: '--target',
      hint: "is --target the push server's base URL (push_remote_address), to which the device adds /push?",
      method: 'GET',
      url: endpointUrl(target, 'push', query),
      deadlineMs,
    };
  },
  async demo(scratchDir) {
    const [{ controlidHandlers, DEFAULT_PATH, DEFAULT_STATE_PATH }, { serve }] = await Promise.all([
      import('../../../mocks/controlid/reference.ts'),
      import('../../../mocks/serve.ts'),
    ]);
    const observeFile = join(scratchDir, 'controlid-results.log');
    const server = await serve(controlidHandlers({ observeFile, enrolled: [DEFAULT_DEVICE_ID] }));
    return [
      {
        label: 'controlid',
        target: `${server.origin}${DEFAULT_PATH}`,
        settings: {
          deviceId: DEFAULT_DEVICE_ID,
          requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
          devices: DEVICES,
          periodS: DEMO_PERIOD_S,
        },
        observeFile,
        stateUrl: `${server.origin}${DEFAULT_STATE_PATH}`,
        close: () => server.close(),
      },
    ];
  },
  faulty: async () => (await import('../../../mocks/controlid/faulty.ts')).faulty,
  fuzz: {
    // What is mutated is a device's result (POST /result), the one body a push server parses. Its uuid is
    // fresh, so that no input closes a command the server sent.
    valid(s, { rng }) {
      const result = new SimulatedDevice().execute({
        verb: 'POST',
        endpoint: 'load_objects',
        body: { object: 'users' },
      });
      return {
        method: 'POST',
        path: `/result?deviceId=${encodeURIComponent(s.deviceId)}&uuid=${fuzzUuid(rng)}`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(result),
      };
    },
    // Liveness is a device's poll answered: it changes nothing on the server.
    probe: (s, { rng }) => ({
      what: "a device's poll (GET /push)",
      method: 'GET',
      path: `/push?deviceId=${encodeURIComponent(s.deviceId)}&uuid=${fuzzUuid(rng)}`,
      headers: {},
    }),
    // The answer controlid.poll.idle-empty requires of a poll: any 2xx (what it carries is that case's matter).
    acked: is2xx,
  },
  serveOptions: { 'device-id': { type: 'string' }, 'observe-file': { type: 'string' } },
  async serve({ faulty: name, host, port, values }) {
    const [
      { controlidHandlers, DEFAULT_PATH, DEFAULT_STATE_PATH, reference },
      { faultyBehaviour },
      { serve },
    ] = await Promise.all([
      import('../../../mocks/controlid/reference.ts'),
      import('../../../mocks/controlid/faulty.ts'),
      import('../../../mocks/serve.ts'),
    ]);
    const observeFile = stringOption(values['observe-file']);
    const deviceId = deviceIdOption(values);
    const behaviour = name ? faultyBehaviour(name as FaultyName) : reference;
    const server = await serve(
      controlidHandlers(
        { observeFile: observeFile && resolve(observeFile), enrolled: [deviceId] },
        behaviour,
      ),
      { host, port },
    );
    return {
      lines: [
        `${name ? `faulty push server "${name}"` : 'reference push server'} (controlid) at ${server.origin}${DEFAULT_PATH} (GET /push, POST /result); device ${deviceId} enrolled`,
        `provider-state hook at ${server.origin}${DEFAULT_STATE_PATH}${observeFile ? `; records results in ${observeFile}` : ''}`,
      ],
      close: () => server.close(),
    };
  },
  send: sendCommand,
  listen: listenCommand,
  emulate: emulateCommand,
};
