/**
 * `pushcheck listen onenet`: pushcheck plays the receiver and grades every push a sender under test makes:
 * body, signature (and which mistake when it is wrong), time unit, ids, secure-mode encryption, and, with
 * failures forced (`--respond 500|timeout|fail-first=N`), the retries against the platform's schedule. It ends
 * with a report in the same formats as a receiver's.
 */
import {
  senderRequirements as REQS,
  type OneNetSenderCaseId,
} from '../../../specs/onenet/sender-requirements.ts';
import { type ListenBaseOptions, ListenGrader, Listener, type ReceivedBase } from '../../core/listener.ts';
import { intervalTolerance, judgeIntervals } from '../../core/retry.ts';
import { formatErrors, loadSchemas } from '../../core/schemas.ts';
import type { CaseReport } from '../../report/model.ts';
import { decrypt, sign } from './codec.ts';
import { ONENET_MAX_ATTEMPTS, ONENET_RETRY } from './retry.ts';

/** How the grader answers: always 200, always 500, never in time, or 500 to the first N attempts of a message. */
export type Respond =
  { kind: 'ok' } | { kind: '500' } | { kind: 'timeout' } | { kind: 'fail-first'; n: number };

export interface ListenOptions extends ListenBaseOptions {
  token: string;
  aesKey?: string | undefined;
  respond: Respond;
  /** The sender's retry schedule is expected compressed by this factor. */
  timeScale: number;
  /** Ends once this many messages have settled (acked, or every attempt made) and stayed quiet. */
  count?: number | undefined;
  /** With `timeout`, how long a request is held before the grader gives up on the sender closing it. */
  holdMs: number;
}

interface Received extends ReceivedBase {
  headers: Record<string, string>;
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
class Grader extends ListenGrader<OneNetSenderCaseId, Received> {
  readonly messages: Message[] = [];
  private readonly schemas = loadSchemas('onenet');
  worstIntervalErrorMs = 0;

  constructor(private readonly opts: ListenOptions) {
    super(REQS, { party: 'sender', moreTime: '--duration, --count' });
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
    if (this.failing()) this.judgeRetries(nowMs);
    return this.reports(nowMs);
  }

  /** The grader answers some attempts with a failure: the retry cases can be judged. */
  private failing(): boolean {
    return this.opts.respond.kind !== 'ok';
  }

  protected override answerOf(req: Received): { status: number } | { error: string } {
    return req.answered === 'held' ? { error: 'held until the sender gave up' } : { status: req.answered };
  }

  protected override replay(req: Received) {
    const shown = { method: 'POST' as const, url: req.url, headers: req.headers, body: req.text };
    return { shown, curl: { ...shown, deadlineMs: 5000 } };
  }

  protected override unassessed(id: OneNetSenderCaseId, nowMs: number): CaseReport | undefined {
    const r = REQS[id];
    const needs: readonly string[] = 'needs' in r ? r.needs : [];
    if (needs.includes('aes-key') && this.opts.aesKey === undefined) {
      return this.ended(id, nowMs, 'skipped', { reason: 'secure mode only: pass --aes-key KEY' });
    }
    if (needs.includes('failures') && !this.failing()) {
      return this.ended(id, nowMs, 'not-assessed', {
        reason: 'every push was acked: pass --respond 500, timeout or fail-first=N to see retries',
      });
    }
    return undefined;
  }

  protected override metricsOf(id: OneNetSenderCaseId): Record<string, number | string> | undefined {
    if (id !== 'onenet-sender.retry.schedule') return undefined;
    return {
      timeScale: this.opts.timeScale,
      worstIntervalErrorMs: this.worstIntervalErrorMs,
      toleranceMs: 'max(100 ms, 5% of the scaled interval) + eventLoopLagMs',
      eventLoopLagMs: this.lagMs,
    };
  }

  private judgeRetries(nowMs: number): void {
    const retried = this.messages.filter((m) => m.attempts.length > 1);
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
  const l = new Listener(opts);
  const maybeDone = () => {
    if (opts.count === undefined) return;
    const settled = g.messages.filter((m) => m.settledAtMs !== undefined);
    if (settled.length < opts.count) return;
    const quietUntil = Math.max(...settled.map((m) => (m.settledAtMs ?? 0) + quietAfter(m, opts.timeScale)));
    setTimeout(
      () => {
        const still = g.messages.filter((m) => m.settledAtMs !== undefined);
        const latest = Math.max(...still.map((m) => (m.settledAtMs ?? 0) + quietAfter(m, opts.timeScale)));
        if (latest <= l.now() + 1) l.finish();
      },
      quietUntil - l.now() + 1,
    );
  };
  const { durationMs, lagMs } = await l.serve('/onenet', ({ n, startMs, req, res, text, url }) => {
    let body: Record<string, unknown> | undefined;
    try {
      const v: unknown = JSON.parse(text);
      body =
        v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
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
      n,
      startMs,
      endMs: startMs,
      method: req.method ?? 'POST',
      url,
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
    l.log(
      `← ${req.method} ${req.url} id=${str(body?.id) ?? '?'} attempt ${k} at +${Math.round(startMs)} ms → ${answered === 'held' ? 'held' : `HTTP ${answered}`}`,
    );
    const settle = (ok: boolean) => {
      r.endMs = l.now();
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
  g.lagMs = lagMs;
  return { cases: g.cases(durationMs), requests: g.requests.length, messages: g.messages.length, durationMs };
}
