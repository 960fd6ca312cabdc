/**
 * `pushcheck listen controlid`: pushcheck plays the push server and grades the device that polls it: deviceId on
 * every poll and result, a result after every command it hands out with that poll's uuid, a new poll at once
 * after each result, and push_request_period between idle polls. Commands are handed out in chains of
 * `chain`, on a device's first poll and again after two idle polls, so that each cycle shows both the chaining
 * and two idle intervals.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  type ControlIdDeviceCaseId,
  deviceRequirements as REQS,
} from '../../../specs/controlid/device-requirements.ts';
import type { Outcome } from '../../core/case.ts';
import { curlLine } from '../../core/http.ts';
import { intervalTolerance, judgeIntervals } from '../../core/retry.ts';
import { formatErrors, loadSchemas } from '../../core/schemas.ts';
import { type CaseReport, gradeOf, type WireEntry } from '../../report/model.ts';
import { type Command, isInt64 } from './codec.ts';

export interface DeviceListenOptions {
  host: string;
  port: number;
  /** The push_request_period the device is configured with, in seconds at scale 1. */
  periodS: number;
  /** The device's period is expected compressed by this factor. */
  timeScale: number;
  /** Commands handed out in a row before idle polls. */
  chain: number;
  /** Ends at the first idle poll once this many polls have come (all devices together). */
  count: number;
  /** Ends after this long whatever happens. */
  durationMs: number;
  /** push_request_timeout: a command's result is overdue after it. */
  requestTimeoutMs: number;
  log?: (line: string) => void;
  onListening?: (url: string) => void;
  stop?: Promise<void>;
}

interface Received {
  n: number;
  startMs: number;
  endMs: number;
  method: string;
  url: string;
  text: string;
  deviceId: string | undefined;
  uuid: string | undefined;
  status: number;
}

interface DeviceState {
  polls: number;
  /** Commands still to hand out in the current chain. */
  chainLeft: number;
  /** Idle answers since the last command. */
  idle: number;
  /** The command handed out whose result has not come. */
  pending?: { poll: Received; command: Command } | undefined;
  /** The answered result after which a poll must come at once. */
  awaitingPoll?: Received | undefined;
  /** The last poll, when it was answered empty: the next poll's interval from it is the period. */
  lastIdle?: Received | undefined;
}

interface Finding {
  req: Received;
  expected: string;
  actual: string;
}

/** The commands handed out, in turn: each one the simulated device (and a real one) can execute. */
const COMMANDS: readonly Command[] = [
  { verb: 'POST', endpoint: 'load_objects', body: { object: 'users' }, contentType: 'application/json' },
  { verb: 'POST', endpoint: 'get_configuration', body: { push_server: ['push_request_period'] } },
  { verb: 'POST', endpoint: 'system_information', body: {} },
  { verb: 'POST', endpoint: 'load_objects', body: { object: 'groups' } },
];

/** Idle polls between chains: two, so that each cycle has two intervals to judge the period by. */
const IDLE_BETWEEN_CHAINS = 2;
const NO_DEVICE = '(no deviceId)';
const MAX_BODY = 1024 * 1024;

/** How soon after the answer to a result the next poll must come: "at once", in ms, before the lag. */
export function repollLimitMs(periodMs: number): number {
  return Math.min(1000, periodMs / 2);
}

class DeviceGrader {
  readonly requests: Received[] = [];
  readonly devices = new Map<string, DeviceState>();
  private readonly findings = new Map<ControlIdDeviceCaseId, Finding>();
  private readonly checked = new Set<ControlIdDeviceCaseId>();
  private readonly schemas = loadSchemas('controlid');
  /** Pairs of polls, the first answered empty: judged against the period once the lag is known. */
  readonly idleIntervals: { from: Received; to: Received }[] = [];
  /** Each answered result and how long after its answer the next poll came. */
  readonly repollGaps: { after: Received; gapMs: number }[] = [];
  readonly startedAt = Date.now();
  lagMs = 0;
  worstPeriodErrorMs = 0;
  /** The scaled period is within the tolerance: the period case cannot be judged. */
  periodTooShort = false;
  private handedOut = 0;
  readonly periodMs: number;

  constructor(private readonly opts: DeviceListenOptions) {
    this.periodMs = opts.periodS * 1000 * opts.timeScale;
  }

  flag(id: ControlIdDeviceCaseId, f: Finding): void {
    this.checked.add(id);
    if (!this.findings.has(id)) this.findings.set(id, f);
  }

  pass(id: ControlIdDeviceCaseId): void {
    this.checked.add(id);
  }

  private state(key: string): DeviceState {
    let s = this.devices.get(key);
    if (!s) {
      s = { polls: 0, chainLeft: 0, idle: 0 };
      this.devices.set(key, s);
    }
    return s;
  }

  private gradeDeviceId(
    req: Received,
    id: 'controlid-device.poll.device-id' | 'controlid-device.result.device-id',
  ) {
    if (req.deviceId !== undefined && isInt64(req.deviceId)) return this.pass(id);
    this.flag(id, {
      req,
      expected: 'deviceId=<int64 in decimal> in the query string',
      actual:
        req.deviceId === undefined ? `no deviceId in ${req.url}` : `deviceId=${req.deviceId}, not an int64`,
    });
  }

  /** Grades a poll and says what to answer: a command, or undefined for the empty response. */
  poll(req: Received, starting: boolean): Command | undefined {
    this.gradeDeviceId(req, 'controlid-device.poll.device-id');
    const s = this.state(req.deviceId ?? NO_DEVICE);
    s.polls++;
    if (s.pending) {
      this.flag('controlid-device.result.posted', {
        req,
        expected: `POST /result for the command handed out at request ${s.pending.poll.n}, before the next poll`,
        actual: `request ${req.n} polls again with no result posted`,
      });
      s.pending = undefined;
    }
    if (s.awaitingPoll) {
      this.repollGaps.push({ after: s.awaitingPoll, gapMs: req.startMs - s.awaitingPoll.endMs });
      s.awaitingPoll = undefined;
    } else if (s.lastIdle) {
      this.idleIntervals.push({ from: s.lastIdle, to: req });
    }
    s.lastIdle = undefined;
    if (s.chainLeft === 0 && starting && (s.polls === 1 || s.idle >= IDLE_BETWEEN_CHAINS)) {
      s.chainLeft = this.opts.chain;
    }
    if (s.chainLeft > 0) {
      s.chainLeft--;
      s.idle = 0;
      const command = COMMANDS[this.handedOut++ % COMMANDS.length] as Command;
      s.pending = { poll: req, command };
      return command;
    }
    s.idle++;
    s.lastIdle = req;
    return undefined;
  }

  /** Grades a result. */
  result(req: Received): void {
    this.gradeDeviceId(req, 'controlid-device.result.device-id');
    let s = this.devices.get(req.deviceId ?? NO_DEVICE);
    if (!s?.pending) {
      // A result that names no device (or another id than its polls) still belongs to the one device awaiting
      // a result, when there is just one: its own case flags the missing id.
      const waiting = [...this.devices.values()].filter((d) => d.pending);
      if (waiting.length === 1) s = waiting[0];
    }
    const pending = s?.pending;
    if (!s || !pending) {
      this.flag('controlid-device.result.posted', {
        req,
        expected: 'a result only for a command handed out',
        actual: `request ${req.n} posts a result with no command outstanding`,
      });
      return;
    }
    const lateMs = req.startMs - pending.poll.endMs;
    if (lateMs > this.opts.requestTimeoutMs) {
      this.flag('controlid-device.result.posted', {
        req,
        expected: `the result within the request timeout, ${this.opts.requestTimeoutMs} ms, of the command handed out at request ${pending.poll.n}`,
        actual: `it came ${Math.round(lateMs)} ms later`,
      });
    } else this.pass('controlid-device.result.posted');
    s.pending = undefined;
    s.awaitingPoll = req;
    if (req.uuid !== undefined && req.uuid === pending.poll.uuid) this.pass('controlid-device.result.uuid');
    else {
      this.flag('controlid-device.result.uuid', {
        req,
        expected: `uuid=${pending.poll.uuid ?? '(the poll carried none)'}, the uuid of the poll that delivered ${pending.command.endpoint}`,
        actual: req.uuid === undefined ? 'no uuid in the query string' : `uuid=${req.uuid}`,
      });
    }
    let body: unknown;
    try {
      body = JSON.parse(req.text);
    } catch {
      body = undefined;
    }
    const single = this.schemas.validator('result.json');
    const batch = this.schemas.validator('result-batch.json');
    if (single(body) || batch(body)) this.pass('controlid-device.result.body');
    else {
      this.flag('controlid-device.result.body', {
        req,
        expected: '{"response": …} on success or {"error": "…"} on failure (schemas/result.json)',
        actual:
          body === undefined
            ? `not JSON: ${req.text.slice(0, 200)}`
            : `${req.text.slice(0, 200)}: ${formatErrors(single.errors)}`,
      });
    }
  }

  /** Judges what needs the whole run: overdue results and polls, the period, the re-poll gaps. */
  cases(nowMs: number): CaseReport[] {
    for (const s of this.devices.values()) {
      if (s.pending && nowMs - s.pending.poll.endMs > this.opts.requestTimeoutMs) {
        this.flag('controlid-device.result.posted', {
          req: s.pending.poll,
          expected: `POST /result for the command handed out at request ${s.pending.poll.n}`,
          actual: `no result within ${Math.round(nowMs - s.pending.poll.endMs)} ms`,
        });
      }
    }
    const limit = repollLimitMs(this.periodMs) + this.lagMs;
    for (const s of this.devices.values()) {
      // A result answered just before the run ended is judged only once its poll is overdue.
      const waited = s.awaitingPoll && nowMs - s.awaitingPoll.endMs;
      if (s.awaitingPoll && waited && waited > limit)
        this.repollGaps.push({ after: s.awaitingPoll, gapMs: waited });
    }
    for (const { after, gapMs } of this.repollGaps) {
      if (gapMs <= limit) {
        this.pass('controlid-device.chain.repoll');
        continue;
      }
      this.flag('controlid-device.chain.repoll', {
        req: after,
        expected: `a new poll within ${Math.round(limit)} ms of the answer to this result`,
        actual: `the next poll came ${Math.round(gapMs)} ms later${gapMs >= this.periodMs * 0.8 ? ', about a period: the device waited instead of chaining' : ''}`,
      });
    }
    // A period within the tolerance cannot be told from polling at once (0.001 turns 60 s into 60 ms).
    this.periodTooShort = this.periodMs <= intervalTolerance(this.periodMs, this.lagMs);
    for (const { from, to } of this.periodTooShort ? [] : this.idleIntervals) {
      const j = judgeIntervals(
        [from, to].map((r) => ({ startMs: r.startMs, endMs: r.endMs })),
        { intervalsMs: [this.opts.periodS * 1000] },
        this.opts.timeScale,
        this.lagMs,
      );
      if (j.offAt === undefined) {
        this.pass('controlid-device.poll.period');
        this.worstPeriodErrorMs = Math.max(this.worstPeriodErrorMs, j.worstErrorMs);
      } else {
        this.flag('controlid-device.poll.period', {
          req: to,
          expected: `the next poll ${Math.round(this.periodMs)} ms after an idle poll (± ${Math.round(intervalTolerance(this.periodMs, this.lagMs))} ms, from its start or its end)`,
          actual: `${j.observedMs} ms after the idle poll's start`,
        });
      }
    }
    return (Object.keys(REQS) as ControlIdDeviceCaseId[]).map((id) => this.caseReport(id, nowMs));
  }

  private caseReport(id: ControlIdDeviceCaseId, nowMs: number): CaseReport {
    const r = REQS[id];
    const f = this.findings.get(id);
    const ended = (outcome: Outcome, rest: Partial<CaseReport> = {}): CaseReport => ({
      id,
      title: r.title,
      level: r.level,
      interpreted: 'interpreted' in r ? r.interpreted : false,
      outcome,
      grade: gradeOf(outcome, r.level),
      requirement: r.text,
      source: r.source,
      durationMs: nowMs,
      wire: f ? [this.wireEntry(f.req)] : [],
      ...rest,
    });
    if (f) {
      const method = f.req.method === 'GET' ? 'GET' : 'POST';
      return ended('failed', {
        reason: `${r.title}: not so at request ${f.req.n}`,
        expected: f.expected,
        actual: f.actual,
        exchanges: [
          {
            label: `request ${f.req.n} (+${Math.round(f.req.startMs)} ms)`,
            request: { method, url: f.req.url, body: f.req.text, bodyBytes: Buffer.byteLength(f.req.text) },
            response: { status: f.req.status },
          },
        ],
        curl: curlLine({
          method,
          url: f.req.url,
          ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: f.req.text } : {}),
          deadlineMs: this.opts.requestTimeoutMs,
        }),
      });
    }
    if (id === 'controlid-device.poll.period' && this.periodTooShort) {
      return ended('not-assessed', {
        reason: `the scaled period, ${Math.round(this.periodMs)} ms, is within the timing tolerance (${Math.round(intervalTolerance(this.periodMs, this.lagMs))} ms): give a larger --time-scale (0.01 or more for 60 s)`,
      });
    }
    if (!this.checked.has(id)) {
      return ended('not-assessed', {
        reason:
          this.requests.length === 0
            ? 'the device sent nothing'
            : 'the run ended before the device did what this case needs (give it more time: --count, --duration)',
      });
    }
    if (id === 'controlid-device.poll.period') {
      return ended('passed', {
        metrics: {
          timeScale: this.opts.timeScale,
          periodMs: this.periodMs,
          intervals: this.idleIntervals.length,
          worstPeriodErrorMs: this.worstPeriodErrorMs,
          toleranceMs: 'max(100 ms, 5% of the scaled period) + eventLoopLagMs',
          eventLoopLagMs: this.lagMs,
        },
      });
    }
    if (id === 'controlid-device.chain.repoll') {
      return ended('passed', {
        metrics: {
          worstGapMs: Math.round(Math.max(...this.repollGaps.map((g) => g.gapMs)) * 10) / 10,
          repolls: this.repollGaps.length,
          limitMs: 'min(1000 ms, half the scaled period) + eventLoopLagMs',
          eventLoopLagMs: this.lagMs,
        },
      });
    }
    return ended('passed');
  }

  private wireEntry(req: Received): WireEntry {
    return {
      label: `request ${req.n}`,
      method: req.method,
      status: req.status,
      startedAt: new Date(this.startedAt + req.startMs).toISOString(),
      totalMs: Math.round(req.endMs - req.startMs),
    };
  }
}

/** The last path segment of a request's URL: push, result or something else. */
function endpointOf(url: URL): string {
  return url.pathname.replace(/\/+$/, '').split('/').at(-1) ?? '';
}

/** Listens, grades until the run ends, and returns the graded cases and what was seen. */
export async function listenDevice(
  opts: DeviceListenOptions,
): Promise<{ cases: CaseReport[]; requests: number; devices: number; durationMs: number }> {
  const g = new DeviceGrader(opts);
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const origin = performance.now();
  const now = () => performance.now() - origin;
  const log = opts.log ?? (() => undefined);
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((r) => {
    finish = r;
  });
  let polls = 0;
  const server = http.createServer((req, res) => {
    const startMs = now();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://pushcheck.invalid');
      const r: Received = {
        n: g.requests.length + 1,
        startMs,
        endMs: startMs,
        method: req.method ?? 'GET',
        url: `http://${opts.host}:${(server.address() as AddressInfo).port}${req.url ?? '/'}`,
        text: Buffer.concat(chunks).toString('utf8'),
        deviceId: url.searchParams.get('deviceId') ?? undefined,
        uuid: url.searchParams.get('uuid') ?? undefined,
        status: 200,
      };
      g.requests.push(r);
      const endpoint = endpointOf(url);
      let body = '';
      let idle = false;
      if (endpoint === 'push' && req.method === 'GET') {
        polls++;
        const command = g.poll(r, polls <= opts.count);
        body = command ? JSON.stringify(command) : '';
        idle = command === undefined;
        log(
          `← #${r.n} poll at +${Math.round(startMs)} ms, deviceId=${r.deviceId ?? '(none)'} → ${command ? `${command.endpoint}` : 'empty'}`,
        );
      } else if (endpoint === 'result' && req.method === 'POST') {
        g.result(r);
        log(
          `← #${r.n} result at +${Math.round(startMs)} ms, uuid=${r.uuid ?? '(none)'}: ${r.text.slice(0, 120)}`,
        );
      } else {
        r.status = 404;
        log(
          `← #${r.n} ${req.method} ${url.pathname} at +${Math.round(startMs)} ms → 404 (a device polls GET …/push)`,
        );
      }
      res.writeHead(r.status, body ? { 'content-type': 'application/json' } : {}).end(body);
      res.on('finish', () => {
        r.endMs = now();
        // A quiet point: the last poll counted was answered empty, with no transaction open.
        if (idle && polls >= opts.count) finish();
      });
    });
  });
  await new Promise<void>((ok, ko) => {
    server.once('error', ko);
    server.listen(opts.port, opts.host, () => ok());
  });
  opts.onListening?.(`http://${opts.host}:${(server.address() as AddressInfo).port}/api`);
  const timer = setTimeout(finish, opts.durationMs);
  await Promise.race([finished, opts.stop ?? new Promise<never>(() => undefined)]);
  clearTimeout(timer);
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  const durationMs = Math.round(now());
  lag.disable();
  g.lagMs = Math.round(lag.max / 1e6);
  return { cases: g.cases(durationMs), requests: g.requests.length, devices: g.devices.size, durationMs };
}
