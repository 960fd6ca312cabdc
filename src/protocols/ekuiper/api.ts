/**
 * pushcheck's side of eKuiper's REST API (port 9081 by default): before the cases run it creates a stream bound
 * to the target's path and a rule whose REST sink posts every output row back to pushcheck; afterwards it drops
 * both. The calls and their answers are the documented ones (api/restapi/streams.md, rules.md, configKey.md;
 * status codes and texts from internal/server/rest.go): 201 for a created stream or rule, 200 for a drop, and
 * `{"error":…,"message":…}` with 400 (404 when not found) for an error.
 */
import type { components } from '../../../specs/ekuiper/generated/types.ts';
import { type Exchange, send } from '../../core/http.ts';
import type { PushMethod } from './messages.ts';

type Rule = components['schemas']['Rule'];
type Statement = components['schemas']['Statement'];
type ConfKey = components['schemas']['ConfKey'];

/** How long one REST API call may take (dropping a rule waits until it has stopped). */
const API_DEADLINE_MS = 10_000;

export interface ProvisionOptions {
  /** The REST API's origin, e.g. http://127.0.0.1:9081 */
  api: string;
  /** A bearer token for an eKuiper started with `authentication: true`. */
  token?: string | undefined;
  /** The httppush URL under test: its path becomes the stream's DATASOURCE. */
  target: string;
  method: PushMethod;
  /** Makes the stream, rule and configuration key names unique. */
  suffix: string;
  /** Where the rule's REST sink posts each output row. */
  sinkUrl: string;
}

/** What was created, and how to remove it. */
export interface Provisioned {
  stream: string;
  rule: string;
  confKey?: string;
  /** Drops the rule, the stream and the configuration key; resolves with the problems met, if any. */
  teardown(): Promise<string[]>;
}

/** The statement that creates an httppush stream bound to `datasource`. */
export function createStreamSql(name: string, datasource: string, confKey?: string): string {
  const conf = confKey === undefined ? '' : `, CONF_KEY="${confKey}"`;
  return `CREATE STREAM ${name}() WITH (DATASOURCE="${datasource}", FORMAT="json", TYPE="httppush"${conf})`;
}

/** The rule: every row of the stream, each posted as JSON to `sinkUrl`. */
export function ruleFor(id: string, stream: string, sinkUrl: string): Rule {
  return {
    id,
    sql: `SELECT * FROM ${stream}`,
    actions: [{ rest: { url: sinkUrl, method: 'post', bodyType: 'json', sendSingle: true } }],
  };
}

function describe(ex: Exchange): string {
  if (ex.error !== undefined) return ex.error;
  const body = ex.response?.body.trim() ?? '';
  return `HTTP ${ex.response?.status}${body ? `: ${body.slice(0, 300)}` : ''}`;
}

/** An eKuiper REST API at `api`. */
export class EkuiperApi {
  constructor(
    private readonly api: string,
    private readonly token?: string,
  ) {}

  call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<Exchange> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    return send({
      method,
      url: `${this.api.replace(/\/+$/, '')}${path}`,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      deadlineMs: API_DEADLINE_MS,
      label: `eKuiper REST API: ${method} ${path}`,
    });
  }

  /** Throws a sentence saying what failed unless the answer has status `status`. */
  async expect(
    what: string,
    status: number,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<Exchange> {
    const ex = await this.call(method, path, body);
    if (ex.response?.status !== status || ex.error !== undefined) {
      throw new Error(`eKuiper's REST API did not ${what} (${method} ${path}): ${describe(ex)}`);
    }
    return ex;
  }
}

/**
 * Creates the configuration key (for PUT), the stream and the rule. On any failure, removes what it had
 * created and throws a sentence saying which call failed and how eKuiper answered.
 */
export async function provision(opts: ProvisionOptions): Promise<Provisioned> {
  const api = new EkuiperApi(opts.api, opts.token);
  const datasource = new URL(opts.target).pathname;
  const name = `pushcheck_${opts.suffix}`;
  const confKey = opts.method === 'PUT' ? name : undefined;
  const undo: (() => Promise<void>)[] = [];
  const teardown = async (): Promise<string[]> => {
    const problems: string[] = [];
    for (const step of undo.reverse()) {
      try {
        await step();
      } catch (err) {
        problems.push((err as Error).message);
      }
    }
    undo.length = 0;
    return problems;
  };
  try {
    if (confKey !== undefined) {
      const conf: ConfKey = { method: 'PUT' };
      const path = `/metadata/sources/httppush/confKeys/${confKey}`;
      await api.expect('register the httppush configuration key for PUT', 200, 'PUT', path, conf);
      undo.push(async () => {
        await api.expect('delete the configuration key', 200, 'DELETE', path);
      });
    }
    const statement: Statement = { sql: createStreamSql(name, datasource, confKey) };
    await api.expect('create the stream', 201, 'POST', '/streams', statement);
    undo.push(async () => {
      await api.expect('drop the stream', 200, 'DELETE', `/streams/${name}`);
    });
    await api.expect('create the rule', 201, 'POST', '/rules', ruleFor(name, name, opts.sinkUrl));
    undo.push(async () => {
      await api.expect('drop the rule', 200, 'DELETE', `/rules/${name}`);
    });
  } catch (err) {
    await teardown();
    throw err;
  }
  return { stream: name, rule: name, ...(confKey !== undefined ? { confKey } : {}), teardown };
}

/**
 * Waits until the endpoint is routed (any answer but 404 to a GET, which sends no data), since eKuiper starts
 * its data server and registers the endpoint when the rule starts. Resolves with whether it did in `timeoutMs`.
 */
export async function endpointRouted(target: string, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const ex = await send({ method: 'GET', url: target, deadlineMs: 2000, label: 'endpoint routed?' });
    const status = ex.response?.status;
    if (status !== undefined && status !== 404) return true;
    if (performance.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}
