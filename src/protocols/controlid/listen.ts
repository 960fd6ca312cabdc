/**
 * `pushcheck listen controlid`: pushcheck plays the push server and grades the device that polls it: deviceId on
 * every poll and result, a result after every command it hands out with that poll's uuid, a new poll at once
 * after each result, and push_request_period between idle polls. Commands are handed out in chains of
 * `chain`, on a device's first poll and again after two idle polls, so that each cycle shows both the chaining
 * and two idle intervals.
 */
import {
  type ControlIdDeviceCaseId,
  deviceRequirements as REQS,
} from '../../../specs/controlid/device-requirements.ts';
import { type ListenBaseOptions, ListenGrader, Listener, type ReceivedBase } from '../../core/listener.ts';
import { intervalTolerance, judgeIntervals } from '../../core/retry.ts';
import { formatErrors, loadSchemas } from '../../core/schemas.ts';
import type { CaseReport } from '../../report/model.ts';
import { type Command, isInt64 } from './codec.ts';

export interface DeviceListenOptions extends ListenBaseOptions {
  /** The push_request_period the device is configured with, in seconds at scale 1. */
  periodS: number;
  /** The device's period is expected compressed by this factor. */
  timeScale: number;
  /** Commands handed out in a row before idle polls. */
  chain: number;
  /** Ends at the first idle poll once this many polls have come (all devices together). */
  count: number;
  /** push_request_timeout: a command's result is overdue after it. */
  requestTimeoutMs: number;
}

interface Received extends ReceivedBase {
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

/** How soon after the answer to a result the next poll must come: "at once", in ms, before the lag. */
export function repollLimitMs(periodMs: number): number {
  return Math.min(1000, periodMs / 2);
}

class DeviceGrader extends ListenGrader<ControlIdDeviceCaseId, Received> {
  readonly devices = new Map<string, DeviceState>();
  private readonly schemas = loadSchemas('controlid');
  /** Pairs of polls, the first answered empty: judged against the period once the lag is known. */
  readonly idleIntervals: { from: Received; to: Received }[] = [];
  /** Each answered result and how long after its answer the next poll came. */
  readonly repollGaps: { after: Received; gapMs: number }[] = [];
  worstPeriodErrorMs = 0;
  /** The scaled period is within the tolerance: the period case cannot be judged. */
  periodTooShort = false;
  private handedOut = 0;
  readonly periodMs: number;

  constructor(private readonly opts: DeviceListenOptions) {
    super(REQS, { party: 'device', moreTime: '--count, --duration' });
    this.periodMs = opts.periodS * 1000 * opts.timeScale;
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
    return this.reports(nowMs);
  }

  protected override answerOf(req: Received): { status: number } {
    return { status: req.status };
  }

  protected override replay(req: Received) {
    const method: 'GET' | 'POST' = req.method === 'GET' ? 'GET' : 'POST';
    return {
      shown: { method, url: req.url, body: req.text },
      curl: {
        method,
        url: req.url,
        ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: req.text } : {}),
        deadlineMs: this.opts.requestTimeoutMs,
      },
    };
  }

  protected override unassessed(id: ControlIdDeviceCaseId, nowMs: number): CaseReport | undefined {
    if (id !== 'controlid-device.poll.period' || !this.periodTooShort) return undefined;
    return this.ended(id, nowMs, 'not-assessed', {
      reason: `the scaled period, ${Math.round(this.periodMs)} ms, is within the timing tolerance (${Math.round(intervalTolerance(this.periodMs, this.lagMs))} ms): give a larger --time-scale (0.01 or more for 60 s)`,
    });
  }

  protected override metricsOf(id: ControlIdDeviceCaseId): Record<string, number | string> | undefined {
    if (id === 'controlid-device.poll.period') {
      return {
        timeScale: this.opts.timeScale,
        periodMs: this.periodMs,
        intervals: this.idleIntervals.length,
        worstPeriodErrorMs: this.worstPeriodErrorMs,
        toleranceMs: 'max(100 ms, 5% of the scaled period) + eventLoopLagMs',
        eventLoopLagMs: this.lagMs,
      };
    }
    if (id === 'controlid-device.chain.repoll') {
      return {
        worstGapMs: Math.round(Math.max(...this.repollGaps.map((g) => g.gapMs)) * 10) / 10,
        repolls: this.repollGaps.length,
        limitMs: 'min(1000 ms, half the scaled period) + eventLoopLagMs',
        eventLoopLagMs: this.lagMs,
      };
    }
    return undefined;
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
  const l = new Listener(opts);
  let polls = 0;
  const { durationMs, lagMs } = await l.serve('/api', ({ n, startMs, req, res, text, url: at }) => {
    const url = new URL(req.url ?? '/', 'http://pushcheck.invalid');
    const r: Received = {
      n,
      startMs,
      endMs: startMs,
      method: req.method ?? 'GET',
      url: at,
      text,
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
      l.log(
        `← #${r.n} poll at +${Math.round(startMs)} ms, deviceId=${r.deviceId ?? '(none)'} → ${command ? `${command.endpoint}` : 'empty'}`,
      );
    } else if (endpoint === 'result' && req.method === 'POST') {
      g.result(r);
      l.log(
        `← #${r.n} result at +${Math.round(startMs)} ms, uuid=${r.uuid ?? '(none)'}: ${r.text.slice(0, 120)}`,
      );
    } else {
      r.status = 404;
      l.log(
        `← #${r.n} ${req.method} ${url.pathname} at +${Math.round(startMs)} ms → 404 (a device polls GET …/push)`,
      );
    }
    res.writeHead(r.status, body ? { 'content-type': 'application/json' } : {}).end(body);
    res.on('finish', () => {
      r.endMs = l.now();
      // A quiet point: the last poll counted was answered empty, with no transaction open.
      if (idle && polls >= opts.count) l.finish();
    });
  });
  g.lagMs = lagMs;
  return { cases: g.cases(durationMs), requests: g.requests.length, devices: g.devices.size, durationMs };
}
