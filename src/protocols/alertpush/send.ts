/**
 * `pushcheck send alertpush`: the edge box as a sender, in token-script mode. It fetches a token from the token
 * endpoint as headers_demo.py does (GET, 5 s timeout, the body is the token), refetches it every
 * `interval = 60*10` seconds (compressed by the time scale), and posts alerts with `authorization: Bearer
 * <token>`, always the newest token. Tokens are learned during the run, so every line is printed redacted with
 * every token fetched so far.
 */
import { randomInt } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { redact } from '../../core/config.ts';
import {
  integerOption,
  positiveNumberOption,
  stringOption,
  timeScaleOption,
  usage,
} from '../../core/errors.ts';
import { httpUrlOption } from '../../core/url.ts';
import { send } from '../../core/http.ts';
import type { ProfileCommand } from '../../core/profile.ts';
import { createRng } from '../../core/rng.ts';
import { EdgeBox } from './messages.ts';
import { bearer, TOKEN_DEADLINE_MS, tokenProblem } from './token.ts';

/** headers_demo.py: `interval = 60*10`, passed to the Headers base class that refreshes them. */
export const TOKEN_REFRESH_MS = 600_000;
/** How long an alert may take: the suites' cut-off for a small alert (decisions/014). */
const ALERT_DEADLINE_MS = 10_000;

export interface BoxSendOptions {
  target: string;
  tokenUrl: string;
  count: number;
  /** Alerts per second. */
  rate: number;
  /** Compresses the refresh interval (0.001: 600 s becomes 600 ms); request timeouts are not scaled. */
  timeScale: number;
  seed: number;
  log?: (line: string) => void;
}

export interface TokenFetch {
  /** From the first fetch's start. */
  atMs: number;
  ok: boolean;
  /** The token, when the answer was one. */
  token?: string;
}

export interface SentAlert {
  atMs: number;
  /** Which fetch (1 for the first) gave the token it carried. */
  tokenN: number;
  ok: boolean;
}

export interface BoxRun {
  fetches: TokenFetch[];
  alerts: SentAlert[];
  /** Every token learned, to redact. */
  tokens: string[];
  /** How late the latest refresh started after its due time. */
  refreshLatenessMs: number;
  /** The worst event-loop delay of the run: no refresh can be timed finer. */
  lagMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Plays the box: a token, then `count` alerts at `rate`, the token refreshed on its interval meanwhile. */
export async function sendAlerts(opts: BoxSendOptions): Promise<BoxRun> {
  const rng = createRng(opts.seed, 'pushcheck send alertpush');
  const box = new EdgeBox('send', rng);
  const run: BoxRun = { fetches: [], alerts: [], tokens: [], refreshLatenessMs: 0, lagMs: 0 };
  const log = (line: string) => opts.log?.(redact(line, run.tokens));
  // The first alert is built before the clock starts: loading the schemas and warming the JPEG encoder take
  // the best part of a second, which would delay the first alert and the first refresh.
  let probe = box.alert('small');
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const origin = performance.now();
  const at = () => Math.round(performance.now() - origin);
  let current = undefined as { token: string; n: number } | undefined;
  const fetchToken = async () => {
    const atMs = at();
    const ex = await send({
      method: 'GET',
      url: opts.tokenUrl,
      deadlineMs: TOKEN_DEADLINE_MS,
      label: 'token',
    });
    const n = run.fetches.length + 1;
    const body = ex.response?.raw;
    const problem =
      ex.error ??
      (ex.response?.status !== 200 ? `HTTP ${ex.response?.status}` : tokenProblem(body ?? Buffer.alloc(0)));
    if (problem === undefined && body) {
      const token = body.toString('latin1');
      run.tokens.push(token);
      run.fetches.push({ atMs, ok: true, token });
      current = { token, n };
      log(`token ${n} fetched at +${atMs} ms in ${ex.timings.totalMs} ms: ${token}`);
    } else {
      run.fetches.push({ atMs, ok: false });
      log(`token ${n} at +${atMs} ms: unusable (${problem}); the box keeps the token it had`);
    }
  };
  await fetchToken();
  // Without a first token there is nothing to show: the endpoint is not there or not a token endpoint.
  if (!current) {
    lag.disable();
    return run;
  }
  let sending = true;
  const refreshMs = TOKEN_REFRESH_MS * opts.timeScale;
  // Each refresh is due a whole number of intervals after the first fetch, so timer lateness does not add up.
  const refresher = (async () => {
    for (let k = 1; sending; k++) {
      const due = origin + k * refreshMs;
      while (sending && performance.now() < due) await sleep(Math.min(due - performance.now(), 50));
      if (!sending) break;
      run.refreshLatenessMs = Math.max(run.refreshLatenessMs, Math.round(performance.now() - due));
      await fetchToken();
      // A slot missed altogether (a stalled process) is skipped, as a timer would: no burst of catch-up fetches.
      k = Math.max(k, Math.floor((performance.now() - origin) / refreshMs));
    }
  })();
  for (let i = 0; i < opts.count; i++) {
    await sleep(origin + (i * 1000) / opts.rate - performance.now());
    const token = current;
    const atMs = at();
    const ex = await send({
      method: 'POST',
      url: opts.target,
      headers: { 'content-type': 'application/json', ...(token ? bearer(token.token) : {}) },
      body: probe.json,
      deadlineMs: ALERT_DEADLINE_MS,
      label: `alert ${i + 1}`,
    });
    const status = ex.response?.status;
    const ok = status !== undefined && status >= 200 && status < 300;
    run.alerts.push({ atMs, tokenN: token?.n ?? 0, ok });
    log(
      `alert ${i + 1} (id ${probe.body.id}) at +${atMs} ms with ${token ? `token ${token.n} (Bearer ${token.token})` : 'no token'}: ${ex.error ?? `HTTP ${status}`} in ${ex.timings.totalMs} ms`,
    );
    // The next one is built at once, while there is time before its slot.
    if (i + 1 < opts.count) probe = box.alert('small');
  }
  sending = false;
  await refresher;
  lag.disable();
  run.lagMs = Math.round(lag.max / 1e6);
  return run;
}

/** A required http(s) URL option, checked as every URL option is (src/core/url.ts). */
function requiredUrl(value: unknown, name: string, example: string): string {
  const text = stringOption(value);
  if (text === undefined) return usage(`--${name} URL is required: ${example}`);
  return httpUrlOption(text, name, example);
}

export const sendCommand: ProfileCommand = {
  options: {
    target: { type: 'string' },
    'token-url': { type: 'string' },
    count: { type: 'string' },
    rate: { type: 'string' },
    'time-scale': { type: 'string' },
    seed: { type: 'string' },
  },
  help: `  pushcheck send alertpush --target URL --token-url URL [--count N] [--rate R] [--time-scale F]
      plays the edge box in token-script mode: fetches a token from --token-url, refreshes it every 600 s
      (headers_demo.py's interval), and posts alerts with "authorization: Bearer <newest token>"; tokens are
      redacted in everything printed. Exit 0 when every token fetch and every alert succeeded.
    --count N          alerts to send (default 1); --rate R alerts per second (default 1)
    --time-scale F     compresses the refresh interval (0.001: 600 s becomes 600 ms)`,
  async run(values) {
    const target = requiredUrl(values.target, 'target', 'the alert URL, e.g. http://127.0.0.1:10000/alert');
    const tokenUrl = requiredUrl(
      values['token-url'],
      'token-url',
      'the token endpoint, e.g. http://127.0.0.1:10000/token',
    );
    const secretQuery = [...new URL(tokenUrl).searchParams.values()].filter((v) => v.length >= 8);
    const run = await sendAlerts({
      target,
      tokenUrl,
      count: integerOption(values.count, 'count', 1, 1, 100_000),
      rate: positiveNumberOption(values.rate, 'rate', 1),
      timeScale: timeScaleOption(values['time-scale'], 'time-scale', 1),
      seed: integerOption(values.seed, 'seed', randomInt(0, 2 ** 31)),
      log: (line) => console.log(redact(line, secretQuery)),
    });
    if (run.fetches[0]?.ok !== true) {
      usage(
        `the token endpoint ${redact(tokenUrl, secretQuery)} gave no usable token (see above); is it running?`,
      );
    }
    const failedFetches = run.fetches.filter((f) => !f.ok).length;
    const failedAlerts = run.alerts.filter((a) => !a.ok).length;
    console.log(
      `${run.fetches.length} token fetches (${failedFetches} unusable), ${run.alerts.length} alerts (${failedAlerts} not accepted); refreshes at most ${run.refreshLatenessMs} ms late, event-loop delay max ${run.lagMs} ms`,
    );
    return failedFetches + failedAlerts === 0 ? 0 : 1;
  },
};
