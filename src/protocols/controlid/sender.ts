/**
 * The device's side of Control iD Push: polls `GET <base>/push?deviceId=…&uuid=…`, executes what it receives
 * against a {@link SimulatedDevice}, posts `POST <base>/result?deviceId=…&uuid=…` with the same uuid, and polls
 * again at once, so commands chain. Every request goes through the core HTTP helper, cut off at the device's
 * push_request_timeout.
 */
import { randomUUID } from 'node:crypto';
import { type Exchange, send } from '../../core/http.ts';
import type { Rng } from '../../core/rng.ts';
import {
  type Command,
  type CommandBatch,
  DEFAULT_REQUEST_TIMEOUT_MS,
  describeAnswer,
  type PollAnswer,
  readPollAnswer,
  type ResultBatch,
  type ResultBody,
} from './codec.ts';
import { SimulatedDevice } from './device.ts';

export interface Poll {
  uuid: string;
  exchange: Exchange;
  answer: PollAnswer;
}

/**
 * The steps of a device's turn that a faulty device (mocks/controlid/faulty-devices.ts) gets wrong: the
 * reference device is {@link referenceDevice}.
 */
export interface DeviceBehaviour {
  /** Whether polls and results carry deviceId. */
  deviceIdOn: { push: boolean; result: boolean };
  /** Whether it posts a result after executing a command. */
  postsResults: boolean;
  /** The uuid its result carries: its poll's, or another (`fresh` draws a new one). */
  resultUuid(pollUuid: string, fresh: () => string): string;
  /** The result body as posted, from the API's answer. */
  resultBody(result: ResultBody | ResultBatch): unknown;
  /** Whether it polls again at once after a result (otherwise it waits its period). */
  repollsAfterResult: boolean;
  /** The period it keeps, as a multiple of push_request_period. */
  periodFactor: number;
}

export const referenceDevice: DeviceBehaviour = {
  deviceIdOn: { push: true, result: true },
  postsResults: true,
  resultUuid: (uuid) => uuid,
  resultBody: (result) => result,
  repollsAfterResult: true,
  periodFactor: 1,
};

export interface DeviceSenderOptions {
  /** The push server's base URL (push_remote_address): /push and /result are appended to its path. */
  base: string;
  /** The device's int64 id, as decimal text. */
  deviceId: string;
  /** push_request_timeout: the device gives up on a request after it. */
  requestTimeoutMs?: number;
  device?: SimulatedDevice;
  /** Draws the uuids, so `--seed` reproduces them; without it they are random. */
  rng?: Rng;
  /** Called with every exchange (the suite records them in the case's wire log). */
  onExchange?: (exchange: Exchange) => void;
  /** How it polls and posts results; the reference device when absent. */
  behaviour?: DeviceBehaviour;
}

const HEX = '0123456789abcdef';

/** The URL of `endpoint` under `base`, with `query` (written as is). */
export function endpointUrl(base: string, endpoint: 'push' | 'result', query: string): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${endpoint}`;
  url.search = '';
  return `${url.toString()}?${query}`;
}

/** A device in Push mode. */
export class DeviceSender {
  readonly deviceId: string;
  readonly device: SimulatedDevice;
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly rng: Rng | undefined;
  private readonly onExchange: ((exchange: Exchange) => void) | undefined;
  readonly behaviour: DeviceBehaviour;

  constructor(opts: DeviceSenderOptions) {
    this.base = opts.base;
    this.deviceId = opts.deviceId;
    this.timeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.device = opts.device ?? new SimulatedDevice();
    this.rng = opts.rng;
    this.onExchange = opts.onExchange;
    this.behaviour = opts.behaviour ?? referenceDevice;
  }

  /** A version-4 uuid, drawn from the seeded stream when there is one. */
  private uuid(): string {
    if (!this.rng) return randomUUID();
    const rng = this.rng;
    const h = (n: number) => rng.string(n, HEX);
    return `${h(8)}-${h(4)}-4${h(3)}-${rng.pick(['8', '9', 'a', 'b'])}${h(3)}-${h(12)}`;
  }

  private query(uuid: string, endpoint: 'push' | 'result'): string {
    const id = this.behaviour.deviceIdOn[endpoint] ? `deviceId=${encodeURIComponent(this.deviceId)}&` : '';
    return `${id}uuid=${uuid}`;
  }

  private async exchange(req: Parameters<typeof send>[0]): Promise<Exchange> {
    const ex = await send(req);
    this.onExchange?.(ex);
    return ex;
  }

  /** One poll: `GET /push`, read as a device reads it. */
  async poll(label = `poll as device ${this.deviceId}`): Promise<Poll> {
    const uuid = this.uuid();
    const exchange = await this.exchange({
      method: 'GET',
      url: endpointUrl(this.base, 'push', this.query(uuid, 'push')),
      deadlineMs: this.timeoutMs,
      label,
    });
    const answer: PollAnswer =
      exchange.error !== undefined || !exchange.response
        ? { kind: 'invalid', why: exchange.error ?? 'no response' }
        : readPollAnswer(exchange.response.status, exchange.response.raw);
    return { uuid, exchange, answer };
  }

  /** Executes one command on the simulated device. */
  execute(command: Command): ResultBody {
    return this.device.execute(command);
  }

  /** Executes a batch: one result per transaction, in order. */
  executeBatch(batch: CommandBatch): ResultBatch {
    return {
      transactions_results: batch.transactions.map((t) => {
        const result = this.device.execute(t);
        const transactionid = t.transactionid as string | number;
        return 'response' in result
          ? { transactionid, success: true, response: result.response }
          : { transactionid, success: false, response: result.error };
      }),
    };
  }

  /** `POST /result` with `body` (any text: a case may send a malformed one) for the poll of `uuid`. */
  async postResult(uuid: string, body: string, label = 'result'): Promise<Exchange> {
    return this.exchange({
      method: 'POST',
      url: endpointUrl(this.base, 'result', this.query(uuid, 'result')),
      headers: { 'content-type': 'application/json' },
      body,
      deadlineMs: this.timeoutMs,
      label,
    });
  }

  /**
   * Executes what `poll` delivered and posts its result; undefined when the poll delivered nothing to do.
   */
  async complete(poll: Poll, label = 'result'): Promise<Exchange | undefined> {
    let result: ResultBody | ResultBatch;
    if (poll.answer.kind === 'command') result = this.execute(poll.answer.command);
    else if (poll.answer.kind === 'batch') result = this.executeBatch(poll.answer.batch);
    else return undefined;
    const b = this.behaviour;
    if (!b.postsResults) return undefined;
    const uuid = b.resultUuid(poll.uuid, () => this.uuid());
    return this.postResult(uuid, JSON.stringify(b.resultBody(result)), label);
  }

  /**
   * A device's turn: poll, and while the server hands out commands, execute each, post its result and poll
   * again at once. Stops at an answer that is not a command, or after `maxCommands` (a server that never
   * stops handing out commands must not hold the device forever).
   */
  async cycle(maxCommands: number, log: (line: string) => void = () => {}): Promise<Poll[]> {
    const polls: Poll[] = [];
    for (let i = 0; i <= maxCommands; i++) {
      const poll = await this.poll();
      polls.push(poll);
      log(`poll ${poll.uuid}: ${describeAnswer(poll.answer)} (${poll.exchange.timings.totalMs} ms)`);
      if (i === maxCommands) break;
      const result = await this.complete(poll);
      if (!result) break;
      const status =
        result.error ?? `HTTP ${result.response?.status} with ${result.response?.bodyBytes} bytes`;
      log(`  result posted: ${result.request.body.slice(0, 200)} -> ${status}`);
    }
    return polls;
  }
}
