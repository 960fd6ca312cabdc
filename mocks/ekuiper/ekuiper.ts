/**
 * A mock of eKuiper itself, for the `--ekuiper-api` path, built from eKuiper's documentation (api/restapi/
 * streams.md, rules.md, configKey.md; guide/sinks/builtin/rest.md; guide/sources/builtin/http_push.md) and the
 * status codes and texts of internal/server/rest.go. Two servers share one state, as in eKuiper: the REST API
 * (9081 by default) and the HTTP data server (10081 by default), whose httppush endpoints exist while a rule
 * reading their stream runs. Each row such a rule gets is posted by its REST sink.
 *
 * It understands what pushcheck sends and the errors around it: CREATE STREAM … WITH (DATASOURCE, FORMAT, TYPE,
 * CONF_KEY) and DROP STREAM through POST /streams, rules `SELECT * FROM <stream>` with `rest` and `log` actions,
 * httppush configuration keys. It is not eKuiper: no SQL beyond that, no other sources or sinks.
 */
import { HttpResponse, http, type RequestHandler } from 'msw';
import type { components } from '../../specs/ekuiper/generated/types.ts';
import type { EkuiperVersion, PushMethod } from '../../src/protocols/ekuiper/messages.ts';
import { type RunningServer, serve } from '../serve.ts';
import { type Behaviour, type Endpoint, PushEndpoints, reference } from './reference.ts';

type Rule = components['schemas']['Rule'];
type PushObject = components['schemas']['PushObject'];

interface Stream {
  name: string;
  options: Record<string, string>;
}

interface RunningRule {
  id: string;
  stream: string;
  rest: { url: string; method: string; sendSingle: boolean; timeout: number }[];
}

/** eKuiper's error body: `{"error":<code>,"message":"…"}` and a newline, as http.Error writes it. */
function apiError(message: string, status = 400, code = 1000): Response {
  return new HttpResponse(`${JSON.stringify({ error: code, message })}\n`, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
  });
}

const CREATE = /^\s*create\s+stream\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(([^)]*)\)\s*with\s*\(([^)]*)\)\s*;?\s*$/is;
const DROP = /^\s*drop\s+stream\s+([A-Za-z_][A-Za-z0-9_]*)\s*;?\s*$/is;
const OPTION = /([A-Za-z_]+)\s*=\s*"([^"]*)"/g;
const SELECT = /^\s*select\s+\*\s+from\s+([A-Za-z_][A-Za-z0-9_]*)\s*;?\s*$/is;

export interface MockEkuiperOptions {
  version?: EkuiperVersion;
  /** The data server's endpoints answer as this behaviour (a faulty one shows its defect behind the API). */
  behaviour?: Behaviour;
  /** A bearer token the REST API requires (eKuiper's `authentication: true`). */
  token?: string;
}

/** The shared state of the mock: streams, configuration keys, running rules. */
export class MockEkuiper {
  readonly streams = new Map<string, Stream>();
  readonly confKeys = new Map<string, { method?: string }>();
  readonly rules = new Map<string, RunningRule>();
  private readonly lingering = new Set<string>();
  private readonly push: PushEndpoints;
  /** REST sink requests that failed (for tests): eKuiper logs them and goes on. */
  readonly sinkErrors: string[] = [];
  /** Every stream statement and rule body it accepted, in order (for tests). */
  readonly accepted: string[] = [];

  constructor(private readonly opts: MockEkuiperOptions = {}) {
    this.push = new PushEndpoints(opts.version ?? 2, opts.behaviour ?? reference, (row, endpoint) =>
      this.toRules(row, endpoint),
    );
  }

  /** The httppush endpoints routed now: the DATASOURCE of every stream a running rule reads. */
  endpoints(): Endpoint[] {
    const out: Endpoint[] = [];
    for (const rule of this.rules.values()) {
      const stream = this.streams.get(rule.stream);
      if (!stream) continue;
      const key = stream.options.CONF_KEY;
      const method = (key !== undefined ? this.confKeys.get(key)?.method : undefined) ?? 'POST';
      out.push({ path: stream.options.DATASOURCE ?? '', method: method.toUpperCase() as PushMethod });
    }
    return out;
  }

  private toRules(row: PushObject, endpoint: Endpoint): void {
    for (const rule of this.rules.values()) {
      if (this.streams.get(rule.stream)?.options.DATASOURCE !== endpoint.path) continue;
      for (const sink of rule.rest) {
        const body = JSON.stringify(sink.sendSingle ? row : [row]);
        const withBody = !['GET', 'HEAD'].includes(sink.method);
        fetch(sink.url, {
          method: sink.method,
          ...(withBody ? { body, headers: { 'content-type': 'application/json' } } : {}),
          signal: AbortSignal.timeout(sink.timeout),
        }).then(
          (res) => {
            if (res.status >= 300) this.sinkErrors.push(`${sink.url}: HTTP ${res.status}`);
          },
          (err: Error) => this.sinkErrors.push(`${sink.url}: ${err.message}`),
        );
      }
    }
  }

  private authorized(request: Request): boolean {
    return (
      this.opts.token === undefined || request.headers.get('authorization') === `Bearer ${this.opts.token}`
    );
  }

  private streamSql(sql: string): Response {
    const drop = DROP.exec(sql);
    if (drop?.[1] !== undefined) return this.dropStream(drop[1]);
    const m = CREATE.exec(sql);
    if (!m?.[1]) return apiError(`Stream command error: invalid statement: ${sql}`);
    const name = m[1];
    if (this.streams.has(name)) {
      return apiError(`Stream command error: Create stream fails: Item ${name} already exists.`);
    }
    const options: Record<string, string> = {};
    for (const [, k, v] of (m[3] ?? '').matchAll(OPTION))
      if (k && v !== undefined) options[k.toUpperCase()] = v;
    this.streams.set(name, { name, options });
    this.accepted.push(sql);
    return new HttpResponse(`Stream ${name} is created.`, { status: 201 });
  }

  private dropStream(name: string): Response {
    if (!this.streams.has(name)) {
      return apiError(`delete stream error: ${name} is not found`, 404, 1002);
    }
    if ([...this.rules.values()].some((r) => r.stream === name)) {
      return apiError(`stream ${name} has been referenced by other rules`);
    }
    this.streams.delete(name);
    return new HttpResponse(`Stream ${name} is dropped.`, { status: 200 });
  }

  private createRule(text: string): Response {
    let rule: Rule;
    try {
      rule = JSON.parse(text) as Rule;
    } catch (err) {
      return apiError(`Parse rule ${text.slice(0, 40)} error : ${(err as Error).message}.`);
    }
    if (typeof rule.id !== 'string' || rule.id === '') return apiError('Missing rule id.');
    if (this.rules.has(rule.id)) return apiError(`rule ${rule.id} already exists`);
    if (typeof rule.sql !== 'string') return apiError(`Missing rule SQL.`);
    const stream = SELECT.exec(rule.sql)?.[1];
    if (stream === undefined)
      return apiError(`the mock eKuiper only runs SELECT * FROM <stream>: ${rule.sql}`);
    const def = this.streams.get(stream);
    if (!def) return apiError(`fail to get stream ${stream}, please check if stream is created`);
    if (!Array.isArray(rule.actions) || rule.actions.length === 0) return apiError('Missing rule actions.');
    const datasource = def.options.DATASOURCE ?? '';
    if ((def.options.TYPE ?? '').toLowerCase() === 'httppush') {
      if (!datasource.startsWith('/')) return apiError('property `endpoint` must start with /');
      const key = def.options.CONF_KEY;
      const method = (
        (key !== undefined ? this.confKeys.get(key)?.method : undefined) ?? 'POST'
      ).toUpperCase();
      if (method !== 'POST' && method !== 'PUT') {
        return apiError(`method ${method} is not supported, must be POST or PUT`);
      }
    }
    const rest: RunningRule['rest'] = [];
    for (const action of rule.actions) {
      const sink = action.rest;
      if (sink === undefined) continue;
      if (typeof sink.url !== 'string' || !/^https?:\/\//.test(sink.url)) {
        return apiError('rest sink: url is required');
      }
      rest.push({
        url: sink.url,
        method: (sink.method ?? 'get').toUpperCase(),
        sendSingle: sink.sendSingle === true,
        timeout: sink.timeout ?? 5000,
      });
    }
    this.rules.set(rule.id, { id: rule.id, stream, rest });
    this.accepted.push(text);
    this.lingering.delete(datasource);
    return new HttpResponse(`Rule ${rule.id} was created successfully.`, { status: 201 });
  }

  private dropRule(id: string): Response {
    const rule = this.rules.get(id);
    if (!rule) return apiError(`Delete rule error: rule ${id} is not found`, 404, 1002);
    this.rules.delete(id);
    const path = this.streams.get(rule.stream)?.options.DATASOURCE;
    if (path !== undefined && !this.endpoints().some((e) => e.path === path)) this.lingering.add(path);
    return new HttpResponse(`Rule ${id} is dropped.`, { status: 200 });
  }

  /** The REST API's handlers. */
  apiHandlers(): RequestHandler[] {
    const guard =
      (handler: (request: Request, params: Record<string, string>) => Promise<Response> | Response) =>
      async ({
        request,
        params,
      }: {
        request: Request;
        params: Record<string, string | readonly string[] | undefined>;
      }) =>
        this.authorized(request)
          ? handler(request, params as Record<string, string>)
          : apiError('Unauthorized: invalid token', 401);
    return [
      http.get(
        '/streams',
        guard(() => HttpResponse.json([...this.streams.keys()])),
      ),
      http.post(
        '/streams',
        guard(async (request) => {
          let sql: unknown;
          try {
            sql = (JSON.parse(await request.text()) as { sql?: unknown }).sql;
          } catch (err) {
            return apiError(
              `Invalid body: Error decoding the statement descriptor: ${(err as Error).message}`,
            );
          }
          return typeof sql === 'string' ? this.streamSql(sql) : apiError('Invalid body: sql is required');
        }),
      ),
      http.delete(
        '/streams/:name',
        guard((_, p) => this.dropStream(p.name ?? '')),
      ),
      http.get(
        '/rules',
        guard(() => HttpResponse.json([...this.rules.keys()].map((id) => ({ id, status: 'Running' })))),
      ),
      http.post(
        '/rules',
        guard(async (request) => this.createRule(await request.text())),
      ),
      http.delete(
        '/rules/:id',
        guard((_, p) => this.dropRule(p.id ?? '')),
      ),
      http.put(
        '/metadata/sources/httppush/confKeys/:key',
        guard(async (request, p) => {
          try {
            this.confKeys.set(p.key ?? '', JSON.parse(await request.text()) as { method?: string });
          } catch (err) {
            return apiError((err as Error).message);
          }
          return new HttpResponse(null, { status: 200 });
        }),
      ),
      http.delete(
        '/metadata/sources/httppush/confKeys/:key',
        guard((_, p) => {
          this.confKeys.delete(p.key ?? '');
          return new HttpResponse(null, { status: 200 });
        }),
      ),
      http.all('*', () => HttpResponse.text('404 page not found\n', { status: 404 })),
    ];
  }

  /** The HTTP data server's handlers. */
  dataHandlers(): RequestHandler[] {
    return [http.all('*', ({ request }) => this.push.handle(request, this.endpoints(), this.lingering))];
  }
}

/** A running mock eKuiper: its REST API and data server on loopback. */
export interface RunningEkuiper {
  state: MockEkuiper;
  api: RunningServer;
  data: RunningServer;
  close(): Promise<void>;
}

/** Serves a mock eKuiper on two free ports of 127.0.0.1 (or the ports given). */
export async function serveEkuiper(
  opts: MockEkuiperOptions & { apiPort?: number; dataPort?: number } = {},
): Promise<RunningEkuiper> {
  const state = new MockEkuiper(opts);
  const api = await serve(state.apiHandlers(), { port: opts.apiPort ?? 0 });
  const data = await serve(state.dataHandlers(), { port: opts.dataPort ?? 0 });
  return {
    state,
    api,
    data,
    close: async () => {
      await api.close();
      await data.close();
    },
  };
}
