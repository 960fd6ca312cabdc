/**
 * The secrets every OneNET command line takes, Studio's and legacy's alike: `--token` (or PUSHCHECK_TOKEN) and
 * `--aes-key` (or PUSHCHECK_AES_KEY), each read and checked here once.
 */
import { stringOption, usage } from '../../core/errors.ts';
import type { OptionValues } from '../../core/profile.ts';
import { AES_KEY_LENGTH } from './codec.ts';

/** The token from `--token` or PUSHCHECK_TOKEN, if either is set. */
export function tokenOption(values: OptionValues, env: NodeJS.ProcessEnv): string | undefined {
  return stringOption(values.token) ?? (env.PUSHCHECK_TOKEN || undefined);
}

/** The token, or a usage error naming `what` the token is ("the token of your push instance"). */
export function requiredToken(values: OptionValues, env: NodeJS.ProcessEnv, what: string): string {
  const token = tokenOption(values, env);
  if (!token) usage(`--token is required (or set PUSHCHECK_TOKEN): ${what}`);
  return token;
}

/** What a protocol's key must be: a test, and the sentence that says what was wrong with `key`. */
export interface KeyRule {
  valid(key: string): boolean;
  wrong(key: string): string;
}

/** Studio's secure-mode key: 16 bytes. */
export const STUDIO_KEY: KeyRule = {
  valid: (key) => Buffer.byteLength(key) === AES_KEY_LENGTH,
  wrong: (key) =>
    `--aes-key must be the ${AES_KEY_LENGTH}-character key the platform generated; got ${Buffer.byteLength(key)} bytes`,
};

/** The key from `--aes-key` or PUSHCHECK_AES_KEY, if either is set; a usage error when `rule` rejects it. */
export function keyOption(values: OptionValues, env: NodeJS.ProcessEnv, rule: KeyRule): string | undefined {
  const key = stringOption(values['aes-key']) ?? (env.PUSHCHECK_AES_KEY || undefined);
  if (key !== undefined && !rule.valid(key)) usage(rule.wrong(key));
  return key;
}
