/** Control iD Push as a pushcheck profile: pushcheck plays the device; the push server is under test. */
import { join, resolve } from 'node:path';
import { type FaultyName, faulty, faultyBehaviour } from '../../../mocks/controlid/faulty.ts';
import {
  controlidHandlers,
  DEFAULT_PATH,
  DEFAULT_STATE_PATH,
  reference,
} from '../../../mocks/controlid/reference.ts';
import { serve } from '../../../mocks/serve.ts';
import { requirements } from '../../../specs/controlid/requirements.ts';
import { integerOption, stringOption, usage } from '../../core/errors.ts';
import type { OptionValues, Profile } from '../../core/profile.ts';
import { DEFAULT_REQUEST_TIMEOUT_MS, isInt64 } from './codec.ts';

/** What the Control iD cases read from a run. */
export interface ControlIdSettings {
  /** The device id pushcheck polls as (int64, decimal text). */
  deviceId: string;
  /** push_request_timeout: every request is cut off there, and answers must come within it. */
  requestTimeoutMs: number;
  /** Devices polling at once in the concurrency case. */
  devices: number;
}

/**
 * Above 2^53, where a double cannot tell it from its neighbour 9007199254740992: the default makes a server
 * that parses device ids as numbers show itself.
 */
export const DEFAULT_DEVICE_ID = '9007199254740993';
const DEVICES = 50;

/** The `--device-id` value, checked. */
export function deviceIdOption(values: OptionValues): string {
  const id = stringOption(values['device-id']) ?? DEFAULT_DEVICE_ID;
  if (!isInt64(id)) usage(`--device-id must be a device's int64 id in decimal, like 478435; got "${id}"`);
  return id;
}

/** The `--request-timeout` value: push_request_timeout in ms. */
export function requestTimeoutOption(values: OptionValues): number {
  return integerOption(
    values['request-timeout'],
    'request-timeout',
    DEFAULT_REQUEST_TIMEOUT_MS,
    100,
    600_000,
  );
}

/** A base URL for the device (push_remote_address): /push and /result are appended to it. */
export function baseUrlOption(value: unknown, option: string): string {
  const text = stringOption(value);
  if (text === undefined) {
    return usage(`${option} is required: the push server's base URL, e.g. http://127.0.0.1:8080/api`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return usage(`${option} "${text}" is not a URL; give one like http://127.0.0.1:8080/api`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    usage(`${option} must be http:// or https://, got ${url.protocol}`);
  }
  if (url.search || url.hash) {
    usage(`${option} is a base URL without ?query or #fragment: pushcheck adds /push?deviceId=… itself`);
  }
  if (/\/(push|result)\/?$/.test(url.pathname)) {
    usage(
      `${option} is the base URL the device appends /push and /result to (push_remote_address); drop the last path segment of ${text}`,
    );
  }
  return text;
}

export const controlidProfile: Profile<ControlIdSettings> = {
  name: 'controlid',
  summary: 'Control iD access devices in Push mode: pushcheck plays the device, your push server is tested',
  registry: requirements,
  options: {
    'device-id': { type: 'string' },
    'request-timeout': { type: 'string' },
    devices: { type: 'string' },
  },
  help: `  --target URL         the push server's base URL (push_remote_address): pushcheck polls URL/push
  --device-id N        the int64 id pushcheck polls as (default ${DEFAULT_DEVICE_ID}, above 2^53 on purpose)
  --state-url URL      (common) your server's provider-state hook, to queue commands: see the
                       "reset" and "command queued" states in specs/controlid/openapi.yaml
  --request-timeout MS the device's push_request_timeout (default ${DEFAULT_REQUEST_TIMEOUT_MS})
  --devices N          devices polling at once in the concurrency case (default ${DEVICES})`,
  deadlineMs: DEFAULT_REQUEST_TIMEOUT_MS,
  configure(values) {
    baseUrlOption(values.target, '--target');
    return {
      deviceId: deviceIdOption(values),
      requestTimeoutMs: requestTimeoutOption(values),
      devices: integerOption(values.devices, 'devices', DEVICES, 1, 500),
    };
  },
  secrets: () => [],
  async demo(scratchDir) {
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
        },
        observeFile,
        stateUrl: `${server.origin}${DEFAULT_STATE_PATH}`,
        close: () => server.close(),
      },
    ];
  },
  faulty,
  serveOptions: { 'device-id': { type: 'string' }, 'observe-file': { type: 'string' } },
  async serve({ faulty: name, host, port, values }) {
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
};
