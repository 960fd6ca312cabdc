/** The URL options of the CLI and the profiles, checked one way. */
import { usage } from './errors.ts';

/**
 * `value` of option `--name` when it is an http:// or https:// URL without a #fragment (a fragment never
 * reaches a server); otherwise a UsageError saying what is wrong, and, for a value that is no URL at all,
 * `hint`: what to give instead ("give one like http://127.0.0.1:8080/onenet").
 */
export function httpUrlOption(value: string, name: string, hint: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return usage(`--${name} "${value}" is not a URL; ${hint}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    usage(`--${name} must be http:// or https://, got ${url.protocol}`);
  }
  if (url.hash) usage(`--${name} must not have a #fragment`);
  return value;
}
