/** The options a Control iD device is configured with, shared by `run`, `emulate`, `send` and `listen`. */
import { integerOption, stringOption, usage } from '../../core/errors.ts';
import type { OptionValues } from '../../core/profile.ts';
import { DEFAULT_REQUEST_PERIOD_S, DEFAULT_REQUEST_TIMEOUT_MS, isInt64 } from './codec.ts';

/**
 * Above 2^53, where a double cannot tell it from its neighbour 9007199254740992: the default makes a server
 * that parses device ids as numbers show itself.
 */
export const DEFAULT_DEVICE_ID = '9007199254740993';
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

/** push_request_period in seconds: whole seconds, as the device's configuration holds it. */
export function periodOption(value: unknown, max = 86_400): number {
  return integerOption(value, 'period', DEFAULT_REQUEST_PERIOD_S, 1, max);
}

/**
 * The longest `--period` a conformance run waits out: its idle case waits one period, and a run has 20
 * minutes in all (playwright.config.ts).
 */
export const MAX_RUN_PERIOD_S = 600;

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
