/**
 * The reference eKuiper httppush endpoint as msw handlers: what eKuiper's data server answers (lf-edge/ekuiper),
 * for either generation. Each step is a field of {@link Behaviour}, so that the faulty endpoints (faulty.ts) are
 * this one with one step replaced. The same logic serves the data server of the mock eKuiper (ekuiper.ts).
 */
import { appendFileSync } from 'node:fs';
import { delay, HttpResponse, http, type RequestHandler } from 'msw';
import { BadInputAnswers } from '../bad-input.ts';
import type { components } from '../../specs/ekuiper/generated/types.ts';
import type { EkuiperVersion, PushMethod } from '../../src/protocols/ekuiper/messages.ts';

type PushObject = components['schemas']['PushObject'];

/** One routed endpoint: a running stream's DATASOURCE and method. */
export interface Endpoint {
  path: string;
  method: PushMethod;
}

/** How a body decodes in the rule: the rows it yields, or why it does not decode. */
export type Decoded = { rows: PushObject[] } | { error: string };

/** The steps of receiving; a faulty endpoint replaces one. */
export interface Behaviour {
  /** The methods routed on an endpoint configured with `configured`. */
  routed(configured: PushMethod): readonly string[];
  /** Whether a path that no stream has is answered as if it were the endpoint. */
  anyPath: boolean;
  /** The status for a body whose Content-Type is not JSON, or undefined when Content-Type is not looked at. */
  contentTypeStatus?: number | undefined;
  /** The HTTP answer of generation `version` to `body`: undefined accepts it with 200 `okBody`. */
  answer(body: string, version: EkuiperVersion): { status: number; text: string } | undefined;
  /** Bodies larger than this are refused with 413 (eKuiper has no limit). */
  maxBodyBytes: number;
  /** The body of an acceptance. */
  okBody: string;
  /** Milliseconds of work per push, one push at a time (a single-threaded endpoint). */
  workMs: number;
  /** Whether accepted data is handed to the rule. */
  forwards: boolean;
  /**
   * Whether a body that is not JSON throws out of the handler, which parses it before answering, (a JSON.parse left unguarded) and takes the
   * server down: that request and every later one get a closed connection.
   */
  crashOnNotJson: boolean;
}

/**
 * Go's `json.NewDecoder(r.Body).Decode(&map[string]interface{})` as far as pushcheck's probes need it: an object
 * (or `null`, which Go decodes into a nil map) passes; malformed JSON, arrays and scalars fail. Go's decoder would
 * also accept valid JSON followed by trailing bytes; pushcheck never sends such a body (messages.ts).
 */
export function decodeLikeV1(body: string): string | undefined {
  if (body.trim().length === 0) return 'EOF';
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    return (err as Error).message;
  }
  if (value === null || (typeof value === 'object' && !Array.isArray(value))) return undefined;
  const kind = Array.isArray(value) ? 'array' : typeof value === 'string' ? 'string' : typeof value;
  return `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`;
}

/**
 * What the rule's JSON decoder makes of a body (v2 decodes after the HTTP answer): an object is one row, an array
 * of objects is one row each; anything else is an ingest error, invisible over HTTP.
 */
export function decodeRows(body: string): Decoded {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    return { error: (err as Error).message };
  }
  const isRow = (v: unknown): v is PushObject => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isRow(value)) return { rows: [value] };
  if (Array.isArray(value) && value.every(isRow)) return { rows: value };
  return { error: 'only an object or an array of objects decodes into rows' };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export const reference: Behaviour = {
  routed: (configured) => [configured],
  anyPath: false,
  contentTypeStatus: undefined,
  answer(body, version) {
    if (version === 2) return undefined;
    const error = decodeLikeV1(body);
    return error === undefined ? undefined : { status: 400, text: `Fail to decode data: ${error}\n` };
  },
  maxBodyBytes: Number.POSITIVE_INFINITY,
  okBody: 'ok',
  workMs: 0,
  forwards: true,
  crashOnNotJson: false,
};

/** Called with each row an accepted push yields: the rule's input. */
export type Deliver = (row: PushObject, endpoint: Endpoint) => void;

/** One endpoint of eKuiper's data server, answering as `behaviour` says. */
export class PushEndpoints {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly crash = new BadInputAnswers();

  constructor(
    private readonly version: EkuiperVersion,
    private readonly behaviour: Behaviour,
    private readonly deliver: Deliver,
  ) {}

  /** The answer to `request` given the endpoints routed now (`lingering` paths were routed once). */
  async handle(
    request: Request,
    endpoints: readonly Endpoint[],
    lingering: ReadonlySet<string> = new Set(),
  ): Promise<Response> {
    const dead = this.crash.whenCrashed();
    if (dead) return dead;
    const path = new URL(request.url).pathname;
    const endpoint =
      endpoints.find((e) => e.path === path) ??
      (this.behaviour.anyPath && endpoints[0] ? { ...endpoints[0], path } : undefined);
    if (!endpoint) {
      // mux: a route whose endpoint was unregistered answers an empty 404; no route at all, its NotFoundHandler.
      return lingering.has(path)
        ? new HttpResponse(null, { status: 404 })
        : HttpResponse.text('404 page not found\n', { status: 404 });
    }
    if (!this.behaviour.routed(endpoint.method).includes(request.method)) {
      return new HttpResponse(null, { status: 405 });
    }
    const size = Number(request.headers.get('content-length') ?? 0);
    if (size > this.behaviour.maxBodyBytes) return HttpResponse.text('body too large', { status: 413 });
    const type = request.headers.get('content-type') ?? '';
    if (this.behaviour.contentTypeStatus !== undefined && !type.includes('application/json')) {
      return HttpResponse.text('Content-Type must be application/json', {
        status: this.behaviour.contentTypeStatus,
      });
    }
    const body = await request.text();
    if (this.behaviour.workMs > 0) {
      const turn = this.queue.then(() => delay(this.behaviour.workMs));
      this.queue = turn;
      await turn;
    }
    if (this.behaviour.crashOnNotJson && !isJson(body)) {
      return this.crash.answer('crash', 'body is not JSON');
    }
    const refusal = this.behaviour.answer(body, this.version);
    if (refusal) return HttpResponse.text(refusal.text, { status: refusal.status });
    if (this.behaviour.forwards) {
      const decoded = decodeRows(body);
      if ('rows' in decoded) {
        for (const row of decoded.rows) {
          try {
            this.deliver(row, endpoint);
          } catch (err) {
            // A row nested deeper than JSON.stringify can write (the fuzzer's deep arrays): the rule cannot
            // take it, an ingest error invisible over HTTP, as eKuiper's decoder's depth limit is.
            if (!(err instanceof RangeError)) throw err;
          }
        }
      }
    }
    return HttpResponse.text(this.behaviour.okBody);
  }
}

export interface ReceiverOptions {
  /** The stream's DATASOURCE. */
  path?: string;
  method?: PushMethod;
  version?: EkuiperVersion;
  /** Where the rule records each row it gets (as eKuiper's file sink would), one JSON line each. */
  observeFile?: string | undefined;
}

/** A standalone httppush endpoint whose rule writes every row to `observeFile`. */
export function httppushHandlers(
  opts: ReceiverOptions = {},
  behaviour: Behaviour = reference,
): RequestHandler[] {
  const endpoint: Endpoint = { path: opts.path ?? '/api/data', method: opts.method ?? 'POST' };
  const endpoints = new PushEndpoints(opts.version ?? 2, behaviour, (row) => {
    if (opts.observeFile !== undefined) appendFileSync(opts.observeFile, `${JSON.stringify(row)}\n`);
  });
  return [http.all('*', ({ request }) => endpoints.handle(request, [endpoint]))];
}
