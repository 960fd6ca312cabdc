/**
 * The `--state-url` option (src/core/state.ts has the hook itself). Apart from state.ts so that the CLI checks
 * the option without loading the case model, and Playwright with it, in the process that only spawns Playwright.
 */
import { targetSecrets } from './config.ts';
import { usage } from './errors.ts';

/** The `--state-url` value, checked: an absolute http(s) URL, used exactly as given. */
export function stateUrlOption(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return usage(`--state-url "${text}" is not a URL; give one like http://127.0.0.1:8080/pushcheck/state`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    usage(`--state-url must be http:// or https://, got ${url.protocol}`);
  }
  if (url.hash) usage('--state-url must not have a #fragment');
  return text;
}

/**
 * The secrets a hook URL carries: its query string (a hook is guarded, if at all, by a key in its URL) and its
 * credentials, as for a target.
 */
export function stateUrlSecrets(stateUrl: string | undefined): string[] {
  if (stateUrl === undefined) return [];
  return [new URL(stateUrl).search.slice(1), ...targetSecrets(stateUrl)].filter((s) => s.length > 0);
}
