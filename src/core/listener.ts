/**
 * What every `pushcheck listen <profile>` shares, where pushcheck plays the server and grades the counterpart
 * that sends to it: the HTTP listener with its clock, event-loop lag, log and ways to end (a count reached, a
 * duration, Ctrl-C), and the grader's book of findings that turns into case reports of the receivers' shape.
 * A profile's grader keeps only what its protocol judges.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type CaseReport, caseHead, type WireEntry } from '../report/model.ts';
import type { Outcome, Requirement } from './case.ts';
import { curlLine, type OutgoingRequest } from './http.ts';

/** The options every listen command takes. */
export interface ListenBaseOptions {
  host: string;
  port: number;
  /** Ends after this long whatever happens. */
  durationMs: number;
  log?: (line: string) => void;
  /** Called once listening, with the URL to point the counterpart at. */
  onListening?: (url: string) => void;
  /** Resolves to end the run early (Ctrl-C). */
  stop?: Promise<void>;
}

/** A request as a grader keeps it, timed in ms from the start of listening. */
export interface ReceivedBase {
  /** 1 for the first request of the run. */
  n: number;
  startMs: number;
  /** When the answer went out (or the request was closed); startMs until then. */
  endMs: number;
  method: string;
  /** The absolute URL the request reached. */
  url: string;
  text: string;
}

/** One request that breaks a case, with what was expected of it. */
export interface Finding<R extends ReceivedBase> {
  req: R;
  expected: string;
  actual: string;
}

/** A request as it arrives, its body read (the first MAX_BODY bytes): the grader answers on `res`. */
export interface Arrival {
  n: number;
  startMs: number;
  req: IncomingMessage;
  res: ServerResponse;
  text: string;
  url: string;
}

/** Bodies past this are cut: enough for any push, and a sender that floods cannot fill the memory. */
const MAX_BODY = 1024 * 1024;

/**
 * Reads a request's body, keeping at most its first `maxBytes` bytes (the rest is read and dropped), and calls
 * `done` with what was kept and the whole body's size, for every small HTTP server of pushcheck's own.
 */
export function collectBody(
  req: IncomingMessage,
  maxBytes: number,
  done: (body: Buffer, size: number) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size <= maxBytes) chunks.push(c);
  });
  req.on('end', () => done(Buffer.concat(chunks), size));
}

/** The HTTP side of a listen run: serves until the grader says it has seen enough, the duration or a stop. */
export class Listener {
  readonly log: (line: string) => void;
  private readonly lag = monitorEventLoopDelay({ resolution: 10 });
  private readonly origin = performance.now();
  private arrivals = 0;
  private done: () => void = () => undefined;
  private readonly finished = new Promise<void>((r) => {
    this.done = r;
  });

  constructor(private readonly opts: ListenBaseOptions) {
    this.lag.enable();
    this.log = opts.log ?? (() => undefined);
  }

  /** Ms since listening began, the clock of every `startMs` and `endMs`. */
  now(): number {
    return performance.now() - this.origin;
  }

  /** Ends the run: the grader has seen what it waits for. */
  readonly finish = (): void => this.done();

  /**
   * Listens on the options' host and port, hands each request to `handle` once its body is read, and returns
   * when the run ends, with its duration and the worst event-loop delay (ms) while it listened.
   */
  async serve(path: string, handle: (a: Arrival) => void): Promise<{ durationMs: number; lagMs: number }> {
    const server = http.createServer((req, res) => {
      const startMs = this.now();
      collectBody(req, MAX_BODY, (body) => {
        handle({
          n: ++this.arrivals,
          startMs,
          req,
          res,
          text: body.toString('utf8'),
          url: `http://${this.opts.host}:${(server.address() as AddressInfo).port}${req.url ?? '/'}`,
        });
      });
    });
    await new Promise<void>((ok, ko) => {
      server.once('error', ko);
      server.listen(this.opts.port, this.opts.host, () => ok());
    });
    this.opts.onListening?.(`http://${this.opts.host}:${(server.address() as AddressInfo).port}${path}`);
    const timer = setTimeout(this.finish, this.opts.durationMs);
    await Promise.race([this.finished, this.opts.stop ?? new Promise<never>(() => undefined)]);
    clearTimeout(timer);
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    const durationMs = Math.round(this.now());
    this.lag.disable();
    return { durationMs, lagMs: Math.round(this.lag.max / 1e6) };
  }
}

/** A failing request as a report shows it (`shown`) and as its curl line sends it again. */
export interface Replay {
  shown: Record<string, unknown>;
  curl: OutgoingRequest;
}

/** The words a grader's not-assessed reasons use for its counterpart and its time options. */
export interface GraderWords {
  /** The counterpart, as in "the device sent nothing". */
  party: string;
  /** The options that give a run more time, as in "(give it more time: --count, --duration)". */
  moreTime: string;
}

/**
 * The book a listen grader keeps: the first finding of each case, the cases checked, and the case reports
 * built from them. A profile's grader fills it as requests come and says what its own cases need.
 */
export abstract class ListenGrader<Id extends string, R extends ReceivedBase> {
  readonly requests: R[] = [];
  /** Wall-clock time of the origin the requests are timed from. */
  readonly startedAt = Date.now();
  /** The worst event-loop delay while listening (ms): added to every timing tolerance. */
  lagMs = 0;
  private readonly findings = new Map<Id, Finding<R>>();
  private readonly checked = new Set<Id>();

  constructor(
    private readonly registry: Readonly<Record<Id, Requirement>>,
    private readonly words: GraderWords,
  ) {}

  /** The case fails at this request (the first finding of a case is the one reported). */
  protected flag(id: Id, f: Finding<R>): void {
    this.checked.add(id);
    if (!this.findings.has(id)) this.findings.set(id, f);
  }

  /** The case was checked and held. */
  protected pass(id: Id): void {
    this.checked.add(id);
  }

  /** How the grader answered a request: a status, or an error where no answer went out. */
  protected abstract answerOf(req: R): { status: number } | { error: string };

  /** The request a failure is shown with, and the request its curl line sends again. */
  protected abstract replay(req: R): Replay;

  /** A report that stands before "not checked" (skipped, not assessed for a reason of the protocol's own). */
  protected abstract unassessed(id: Id, nowMs: number): CaseReport | undefined;

  /** The figures a passed case reports, if any. */
  protected abstract metricsOf(id: Id): Record<string, number | string> | undefined;

  /** Every case's report, once the run is over (`nowMs` from the origin of the requests). */
  protected reports(nowMs: number): CaseReport[] {
    return (Object.keys(this.registry) as Id[]).map((id) => this.caseReport(id, nowMs));
  }

  /** A case's report with the given outcome; `rest` adds the reason, the figures or the failure. */
  protected ended(id: Id, nowMs: number, outcome: Outcome, rest: Partial<CaseReport> = {}): CaseReport {
    const r = this.registry[id];
    const f = this.findings.get(id);
    return {
      ...caseHead(id, r, outcome),
      durationMs: nowMs,
      wire: f ? [this.wireEntry(f.req)] : [],
      ...rest,
    };
  }

  private caseReport(id: Id, nowMs: number): CaseReport {
    const f = this.findings.get(id);
    if (f) return this.failed(id, nowMs, f);
    const early = this.unassessed(id, nowMs);
    if (early) return early;
    if (!this.checked.has(id)) {
      return this.ended(id, nowMs, 'not-assessed', {
        reason:
          this.requests.length === 0
            ? `the ${this.words.party} sent nothing`
            : `the run ended before the ${this.words.party} did what this case needs (give it more time: ${this.words.moreTime})`,
      });
    }
    const metrics = this.metricsOf(id);
    return this.ended(id, nowMs, 'passed', metrics ? { metrics } : {});
  }

  private failed(id: Id, nowMs: number, f: Finding<R>): CaseReport {
    const { shown, curl } = this.replay(f.req);
    const answer = this.answerOf(f.req);
    return this.ended(id, nowMs, 'failed', {
      reason: `${this.registry[id].title}: not so at request ${f.req.n}`,
      expected: f.expected,
      actual: f.actual,
      exchanges: [
        {
          label: `request ${f.req.n} (+${Math.round(f.req.startMs)} ms)`,
          request: { ...shown, bodyBytes: Buffer.byteLength(f.req.text) },
          response: 'status' in answer ? answer : undefined,
        },
      ],
      curl: curlLine(curl),
    });
  }

  /** A received request as a line of the wire log. */
  private wireEntry(req: R): WireEntry {
    return {
      label: `request ${req.n}`,
      method: req.method,
      ...this.answerOf(req),
      startedAt: new Date(this.startedAt + req.startMs).toISOString(),
      totalMs: Math.round(req.endMs - req.startMs),
    };
  }
}
