/**
 * `pushcheck listen onenet`: pushcheck plays the receiver and grades every push a sender under test makes:
 * body, signature (and which mistake when it is wrong), time unit, ids, secure-mode encryption, and, with
 * failures forced (`--respond 500|timeout|fail-first=N`), the retries against the platform's schedule. It ends
 * with a report in the same formats as a receiver's.
 */
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import {
  senderRequirements as REQS,
  type OneNetSenderCaseId,
} from '../../../specs/onenet/sender-requirements.ts';
import type { Outcome } from '../../core/case.ts';
import { curlLine } from '../../core/http.ts';
import { intervalTolerance, judgeIntervals } from '../../core/retry.ts';
import { formatErrors, loadSchemas } from '../../core/schemas.ts';
import type { CaseReport, RunReport } from '../../report/reporter.ts';
import { decrypt, sign } from './codec.ts';
import { ONENET_MAX_ATTEMPTS, ONENET_RETRY } from './retry.ts';

/** How the grader answers: always 200, always 500, never in time, or 500 to the first N attempts of a message. */
export type Respond =
  { kind: 'ok' } | { kind: '500' } | { kind: 'timeout' } | { kind: 'fail-first'; n: number };

export interface ListenOptions {
  host: string;
  port: number;
  token: string;
  aesKey?: string | undefined;
  respond: Respond;
  /** The sender's retry schedule is expected compressed by this factor. */
  timeScale: number;
  /** Ends once this many messages have settled (acked, or every attempt made) and stayed quiet. */
  count?: number | undefined;
  /** Ends after this long whatever happens. */
  durationMs: number;
  /** With `timeout`, how long a request is held before the grader gives up on the sender closing it. */
  holdMs: number;
  log?: (line: string) => void;
  /** Called once listening, with the URL to point the sender at. */
  onListening?: (url: string) => void;
  /** Resolves to end the run early (Ctrl-C). */
  stop?: Promise<void>;
}

interface Received {
  n: number;
  startMs: number;
  endMs: number;
  method: string;
  url: string;
  headers: Record<string, string>;
  text: string;
  body: Record<string, unknown> | undefined;
  /** What the grader answered: a status, or held until the sender gave up. */
  answered: number | 'held';
}

interface Message {
  msg: string;
  attempts: Received[];
  acked: boolean;
  /** When it settled (acked or the last attempt made): no attempt may follow it. */
  settledAtMs?: number;
}

interface Finding {
  req: Received;
  expected: string;
  actual: string;
}

const MAX_BODY = 1024 * 1024;
/** 2001-09-09 in ms: any time below it is in seconds, or not a timestamp. */
const MIN_MS_TIMESTAMP = 1e12;

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Names the mistake behind a wrong signature, when it is a usual one. */
function diagnose(token: string, nonce: string, msg: string, got: string, aesKey?: string): string {
  const orders: [string, string[]][] = [
    ['nonce ‖ token ‖ msg', [nonce, token, msg]],
    ['token ‖ msg ‖ nonce', [token, msg, nonce]],
    ['msg ‖ nonce ‖ token', [msg, nonce, token]],
    ['msg ‖ token ‖ nonce', [msg, token, nonce]],
    ['nonce ‖ msg ‖ token', [nonce, msg, token]],
  ];
  for (const [name, [a, b, c]] of orders) {
    if (sign(a as string, b as string, c as string) === got)
      return `it is MD5 over ${name}: the order is wrong`;
  }
  const want = sign(token, nonce, msg);
  if (got.includes('%')) {
    try {
      if (decodeURIComponent(got) === want) return 'it is percent-encoded; the body carries it raw';
    } catch {
      // not percent-encoding after all
    }
  }
  if (got.replaceAll(' ', '+') === want) return 'its + became a space';
  if (aesKey !== undefined) {
    try {
      if (sign(token, nonce, decrypt(msg, aesKey)) === got) return 'it covers the plaintext, not msg as sent';
    } catch {
      // msg does not decrypt: nothing more to say here
    }
  }
  return 'it matches no usual mistake (another token?)';
}

function shown(r: Received): string {
  return r.text.length > 300 ? `${r.text.slice(0, 300)}… (${r.text.length} bytes)` : r.text;
}

/** Grades what a sender sends; `cases()` turns the findings into case reports. */
class Grader {
  readonly requests: Received[] = [];
  readonly messages: Message[] = [];
  private readonly findings = new Map<OneNetSenderCaseId, Finding>();
  private readonly checked = new Set<OneNetSenderCaseId>();
  private readonly schemas = loadSchemas('onenet');
  worstIntervalErrorMs = 0;
  /** The worst event-loop delay while listening: added to the interval tolerance. */
  lagMs = 0;

  constructor(private readonly opts: ListenOptions) {}

  private flag(id: OneNetSenderCaseId, f: Finding): void {
    this.checked.add(id);
    if (!this.findings.has(id)) this.findings.set(id, f);
  }

  private pass(id: OneNetSenderCaseId): void {
    this.checked.add(id);
  }

  /**
   * The message a request belongs to: a retry of an unsettled message with the same msg, an attempt of a
   * settled one when it also has its id (sent again after the ack, or after the last retry), or a new one.
   */
  messageOf(msg: string, id: string | undefined): Message {
    const same = this.messages.filter((m) => m.msg === msg);
    const open = same.find((m) => m.settledAtMs === undefined);
    if (open) return open;
    const again = same.find((m) => m.attempts.some((a) => str(a.body?.id) === id));
    if (again) return again;
    const fresh: Message = { msg, attempts: [], acked: false };
    this.messages.push(fresh);
    return fresh;
  }

  /** The status to answer attempt `k` of a message with. */
  answer(k: number): number | 'held' {
    const r = this.opts.respond;
    if (r.kind === 'ok') return 200;
    if (r.kind === '500') return 500;
    if (r.kind === 'timeout') return 'held';
    return k <= r.n ? 500 : 200;
  }

  /** Grades one request's body as it arrives. */
  gradeBody(req: Received): void {
    const { token, aesKey } = this.opts;
    const body = req.body;
    const check = this.schemas.validator('push.json');
    if (!body || !check(body)) {
      this.flag('onenet-sender.body.schema', {
        req,
        expected: 'a JSON push {msg, nonce (8 characters), signature (Base64), time, id}',
        actual: body ? formatErrors(check.errors) : `not a JSON object: ${shown(req)}`,
      });
    }
    const msg = str(body?.msg);
    const nonce = str(body?.nonce);
    const signature = str(body?.signature);
    if (msg !== undefined && nonce !== undefined && signature !== undefined) {
      const want = sign(token, nonce, msg);
      if (signature === want) this.pass('onenet-sender.sign.valid');
      else {
        this.flag('onenet-sender.sign.valid', {
          req,
          expected: `signature ${want} (Base64(MD5(token ‖ nonce ‖ msg)))`,
          actual: `signature ${signature}: ${diagnose(token, nonce, msg, signature, aesKey)}`,
        });
      }
    }
    let plaintext = msg;
    if (aesKey !== undefined && msg !== undefined) {
      plaintext = undefined;
      try {
        const decrypted = decrypt(msg, aesKey);
        JSON.parse(decrypted);
        plaintext = decrypted;
        this.pass('onenet-sender.secure.decryptable');
      } catch (err) {
        let zeroIv = false;
        try {
          JSON.parse(decrypt(msg, aesKey, Buffer.alloc(16)));
          zeroIv = true;
        } catch {
          // not that mistake either
        }
        this.flag('onenet-sender.secure.decryptable', {
          req,
          expected: 'msg: Base64 of AES-128-CBC/PKCS7 of the JSON payload, the key as key and IV',
          actual: zeroIv
            ? 'msg decrypts to JSON only with a zero IV'
            : `msg does not decrypt to JSON with the key as key and IV (${(err as Error).message})`,
        });
      }
    }
    if (plaintext !== undefined) {
      const payload = this.schemas.validator('msg.json');
      let parsed: unknown;
      try {
        parsed = JSON.parse(plaintext);
      } catch {
        parsed = undefined;
      }
      if (!payload(parsed)) {
        this.flag('onenet-sender.body.schema', {
          req,
          expected: 'msg: the JSON text of one of the documented payloads (msg.json)',
          actual: parsed === undefined ? 'msg is not JSON' : formatErrors(payload.errors),
        });
      } else if (body && check(body)) this.pass('onenet-sender.body.schema');
    }
    const time = body?.time;
    if (typeof time === 'number') {
      if (Number.isInteger(time) && time >= MIN_MS_TIMESTAMP && time <= Date.now() + 10 * 60_000) {
        this.pass('onenet-sender.body.time-ms');
      } else {
        this.flag('onenet-sender.body.time-ms', {
          req,
          expected: `milliseconds since the epoch, about ${Date.now()}`,
          actual: `time ${time}${time < MIN_MS_TIMESTAMP && time > 1e9 ? ' (seconds)' : ''}`,
        });
      }
    }
  }

  /** Grades a request as an attempt of its message: ids and what came after a settled message. */
  gradeAttempt(req: Received, m: Message): void {
    const id = str(req.body?.id);
    const first = str(m.attempts[0]?.body?.id);
    if (m.attempts.length > 1 && id !== first) {
      this.flag('onenet-sender.retry.same-id', {
        req,
        expected: `the retry carries the first attempt's id ${first}`,
        actual: `attempt ${m.attempts.length} carries id ${id}`,
      });
    }
    const owner = this.messages.find((o) => o !== m && o.attempts.some((a) => str(a.body?.id) === id));
    if (id !== undefined && owner) {
      this.flag('onenet-sender.id.unique', {
        req,
        expected: 'a new message with an id of its own',
        actual: `id ${id} was already used by another message (msg ${owner.msg.slice(0, 60)}…)`,
      });
    } else if (id !== undefined && m.attempts.length === 1) this.pass('onenet-sender.id.unique');
    if (m.settledAtMs !== undefined) {
      this.flag('onenet-sender.retry.attempts', {
        req,
        expected: m.acked
          ? 'no attempt after the ack'
          : `at most ${ONENET_MAX_ATTEMPTS} attempts (16 retries)`,
        actual: `attempt ${m.attempts.length} came ${Math.round(req.startMs - m.settledAtMs)} ms after ${m.acked ? 'the ack' : `attempt ${ONENET_MAX_ATTEMPTS}`}`,
      });
    }
  }

  /** The case reports, once the run is over (`nowMs` from the same origin as the attempts). */
  cases(nowMs: number): CaseReport[] {
    const failing = this.opts.respond.kind !== 'ok';
    const scale = this.opts.timeScale;
    const retried = this.messages.filter((m) => m.attempts.length > 1);
    if (failing) this.judgeRetries(nowMs, retried);
    return (Object.keys(REQS) as OneNetSenderCaseId[]).map((id) => {
      const r = REQS[id];
      const base = {
        id,
        title: r.title,
        level: r.level,
        interpreted: false,
        requirement: r.text,
        source: r.source,
        durationMs: nowMs,
      };
      const needs: readonly string[] = 'needs' in r ? r.needs : [];
      const f = this.findings.get(id);
      if (f) {
        const req = { method: 'POST' as const, url: f.req.url, headers: f.req.headers, body: f.req.text };
        return {
          ...base,
          outcome: 'failed' as Outcome,
          reason: `${r.title}: not so at request ${f.req.n}`,
          expected: f.expected,
          actual: f.actual,
          exchanges: [
            {
              label: `request ${f.req.n} (+${Math.round(f.req.startMs)} ms)`,
              request: { ...req, bodyBytes: Buffer.byteLength(f.req.text) },
              response: f.req.answered === 'held' ? undefined : { status: f.req.answered },
            },
          ],
          curl: curlLine({ ...req, deadlineMs: 5000 }),
        };
      }
      if (needs.includes('aes-key') && this.opts.aesKey === undefined) {
        return { ...base, outcome: 'skipped' as Outcome, reason: 'secure mode only: pass --aes-key KEY' };
      }
      if (needs.includes('failures') && !failing) {
        return {
          ...base,
          outcome: 'not-assessed' as Outcome,
          reason: 'every push was acked: pass --respond 500, timeout or fail-first=N to see retries',
        };
      }
      if (!this.checked.has(id)) {
        return {
          ...base,
          outcome: 'not-assessed' as Outcome,
          reason:
            this.requests.length === 0
              ? 'the sender sent nothing'
              : 'the run ended before the sender did what this case needs (give it more time: --duration, --count)',
        };
      }
      const metrics =
        id === 'onenet-sender.retry.schedule'
          ? {
              timeScale: scale,
              worstIntervalErrorMs: this.worstIntervalErrorMs,
              toleranceMs: 'max(100 ms, 5% of the scaled interval) + eventLoopLagMs',
              eventLoopLagMs: this.lagMs,
            }
          : undefined;
      return { ...base, outcome: 'passed' as Outcome, ...(metrics ? { metrics } : {}) };
    });
  }

  private judgeRetries(nowMs: number, retried: Message[]): void {
    const scale = this.opts.timeScale;
    for (const m of this.messages) {
      const last = m.attempts.at(-1) as Received;
      const k = m.attempts.length;
      if (m.acked || k >= ONENET_MAX_ATTEMPTS) continue;
      // An unacked message: its next attempt was due one interval (or one deadline more) after the last.
      const due = (ONENET_RETRY.intervalsMs[k - 1] ?? 0) * scale;
      const overdue = nowMs - last.endMs > due + intervalTolerance(due) * 2 + 1000 * scale;
      if (overdue && k === 1) {
        this.flag('onenet-sender.retry.retried', {
          req: last,
          expected: `a retry about ${Math.round(due)} ms after the failed attempt`,
          actual: `no retry within ${Math.round(nowMs - last.endMs)} ms`,
        });
      } else if (overdue) {
        this.flag('onenet-sender.retry.attempts', {
          req: last,
          expected: `${ONENET_MAX_ATTEMPTS} attempts for a push that is never acked`,
          actual: `it stopped after ${k} attempts`,
        });
      }
    }
    if (retried.length > 0) this.pass('onenet-sender.retry.retried');
    for (const m of retried) {
      const j = judgeIntervals(
        m.attempts.map((a) => ({ startMs: a.startMs, endMs: a.endMs })),
        ONENET_RETRY,
        scale,
        this.lagMs,
      );
      if (j.offAt !== undefined) {
        this.flag('onenet-sender.retry.schedule', {
          req: m.attempts[j.offAt] as Received,
          expected: `retry ${j.offAt} about ${j.expectedMs} ms after the previous attempt (± ${Math.round(intervalTolerance(j.expectedMs ?? 0, this.lagMs))} ms, from its start or its end)`,
          actual: `${j.observedMs} ms after the previous attempt's start`,
        });
      } else {
        this.pass('onenet-sender.retry.schedule');
        this.worstIntervalErrorMs = Math.max(this.worstIntervalErrorMs, j.worstErrorMs);
      }
      if (m.attempts.some((a) => str(a.body?.id) !== str(m.attempts[0]?.body?.id))) continue;
      this.pass('onenet-sender.retry.same-id');
    }
    if (
      this.messages.some(
        (m) => (m.acked && m.attempts.length > 1) || m.attempts.length === ONENET_MAX_ATTEMPTS,
      )
    ) {
      this.pass('onenet-sender.retry.attempts');
    }
  }
}

function quietAfter(m: Message, scale: number): number {
  const next =
    ONENET_RETRY.intervalsMs[Math.min(m.attempts.length, ONENET_RETRY.intervalsMs.length) - 1] ?? 0;
  return next * scale * 1.25 + 2 * intervalTolerance(next * scale);
}

/** Listens, grades until the run ends, and returns the graded cases and what was seen. */
export async function listen(
  opts: ListenOptions,
): Promise<{ cases: CaseReport[]; requests: number; messages: number; durationMs: number }> {
  const g = new Grader(opts);
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const origin = performance.now();
  const now = () => performance.now() - origin;
  const log = opts.log ?? (() => undefined);
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((r) => {
    finish = r;
  });
  const maybeDone = () => {
    if (opts.count === undefined) return;
    const settled = g.messages.filter((m) => m.settledAtMs !== undefined);
    if (settled.length < opts.count) return;
    const quietUntil = Math.max(...settled.map((m) => (m.settledAtMs ?? 0) + quietAfter(m, opts.timeScale)));
    setTimeout(
      () => {
        const still = g.messages.filter((m) => m.settledAtMs !== undefined);
        const latest = Math.max(...still.map((m) => (m.settledAtMs ?? 0) + quietAfter(m, opts.timeScale)));
        if (latest <= now() + 1) finish();
      },
      quietUntil - now() + 1,
    );
  };
  let n = 0;
  const server = http.createServer((req, res) => {
    const startMs = now();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> | undefined;
      try {
        const v: unknown = JSON.parse(text);
        body =
          v !== null && typeof v === 'object' && !Array.isArray(v)
            ? (v as Record<string, unknown>)
            : undefined;
      } catch {
        body = undefined;
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
      );
      const msg = str(body?.msg);
      const m = msg === undefined ? undefined : g.messageOf(msg, str(body?.id));
      const k = (m?.attempts.length ?? 0) + 1;
      const answered = req.method !== 'POST' ? 405 : m?.acked ? 200 : g.answer(k);
      const r: Received = {
        n: ++n,
        startMs,
        endMs: startMs,
        method: req.method ?? 'POST',
        url: `http://${opts.host}:${(server.address() as AddressInfo).port}${req.url ?? '/'}`,
        headers,
        text,
        body,
        answered,
      };
      g.requests.push(r);
      if (req.method === 'POST') g.gradeBody(r);
      if (m) {
        m.attempts.push(r);
        g.gradeAttempt(r, m);
      }
      log(
        `← ${req.method} ${req.url} id=${str(body?.id) ?? '?'} attempt ${k} at +${Math.round(startMs)} ms → ${answered === 'held' ? 'held' : `HTTP ${answered}`}`,
      );
      const settle = (ok: boolean) => {
        r.endMs = now();
        if (!m || m.settledAtMs !== undefined) return;
        if (ok) m.acked = true;
        if (ok || m.attempts.length >= ONENET_MAX_ATTEMPTS) {
          m.settledAtMs = r.endMs;
          maybeDone();
        }
      };
      if (answered === 'held') {
        const giveUp = setTimeout(() => req.socket.destroy(), opts.holdMs);
        res.on('close', () => {
          clearTimeout(giveUp);
          settle(false);
        });
        return;
      }
      res.writeHead(answered, { 'content-type': 'text/plain' }).end(answered === 200 ? 'ok' : 'failed');
      res.on('finish', () => settle(answered === 200));
    });
  });
  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(opts.port, opts.host, () => ok());
  });
  opts.onListening?.(`http://${opts.host}:${(server.address() as AddressInfo).port}/onenet`);
  const timer = setTimeout(finish, opts.durationMs);
  await Promise.race([finished, opts.stop ?? new Promise<never>(() => undefined)]);
  clearTimeout(timer);
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  const durationMs = Math.round(now());
  lag.disable();
  g.lagMs = Math.round(lag.max / 1e6);
  return { cases: g.cases(durationMs), requests: g.requests.length, messages: g.messages.length, durationMs };
}

/** The report of a listen run, in the receiver reports' shape. */
export type SenderReport = RunReport;
