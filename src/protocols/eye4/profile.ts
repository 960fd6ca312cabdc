/** Eye4 alarm callbacks as a pushcheck profile: its options, settings, demo and served receivers. */
import { randomInt } from 'node:crypto';
import { createServer } from 'node:net';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import type { FaultyName } from '../../../mocks/eye4/faulty.ts';
import { requirements } from '../../../specs/eye4/requirements.ts';
import { stringOption, usage } from '../../core/errors.ts';
import { is2xx } from '../../core/http.ts';
import { httpUrlOption } from '../../core/url.ts';
import type { DemoTarget, OptionValues, Profile } from '../../core/profile.ts';
import { ACTION, Eye4Sender } from './sender.ts';

/** What the Eye4 cases read from a run. */
export interface Eye4Settings {
  /** The fixed guid header of the account. Secret. */
  guid: string;
  /** Where resource messages go, when not to the alarm URL (`--target`). */
  resourceTarget?: string;
  /** Where pushcheck serves its Eye4 API mock during the run; the cases observed through lookups need it. */
  apiListen?: { host: string; port: number };
}

/** The guid of the demo and of `pushcheck serve eye4` when none is given. */
export const DEMO_GUID = 'pushcheck-demo-guid-5f0c2a';

/** The need of the cases observed through the playback lookup. */
export const NEEDS_API = 'eye4-api';

function guidOf(values: OptionValues, env: NodeJS.ProcessEnv): string | undefined {
  const guid = stringOption(values.guid) ?? env.PUSHCHECK_EYE4_GUID;
  if (guid !== undefined && !/^[\x21-\x7e]+$/.test(guid)) {
    usage('--guid must be the fixed guid header value of your Eye4 account: printable ASCII, no spaces');
  }
  return guid;
}

function urlOption(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  return httpUrlOption(value, name, 'give one like http://127.0.0.1:8080/eye4/resource');
}

/** Parses `HOST:PORT` (an IP address or localhost, and a port from 1 to 65535). */
export function listenOption(value: string | undefined): { host: string; port: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value);
  const host = m?.[1] ?? m?.[2];
  const port = Number(m?.[3]);
  if (!m || host === undefined || !(isIP(host) || host === 'localhost') || port < 1 || port > 65_535) {
    usage(`--eye4-api-listen must be HOST:PORT with an IP address, e.g. 127.0.0.1:8091; got "${value}"`);
  }
  return { host, port };
}

/** A port nothing listens on right now, for a server started later. */
/**
 * A port free on `host` now, for a listener that starts later. Drawn below Linux's ephemeral range
 * (32768-60999), so that the servers and outgoing connections the OS numbers in the meantime cannot take it.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = randomInt(20_000, 32_000);
    const free = await new Promise<boolean>((done) => {
      const server = createServer();
      server.once('error', () => done(false));
      server.listen(port, host, () => server.close(() => done(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port between 20000 and 32000 on ${host}`);
}

export const eye4Profile: Profile<Eye4Settings> = {
  name: 'eye4',
  summary: 'Eye4 (VStarcam) alarm callbacks: the receiver is your server; pushcheck also plays the Eye4 API',
  registry: requirements,
  options: {
    guid: { type: 'string' },
    'resource-target': { type: 'string' },
    'eye4-api-listen': { type: 'string' },
  },
  help: `  --target URL         your alarm callback URL
  --guid GUID          the fixed guid header of your Eye4 account (or env PUSHCHECK_EYE4_GUID)
  --resource-target URL  your resource-message callback URL (default: the --target URL)
  --eye4-api-listen HOST:PORT
                       serve pushcheck's Eye4 API mock there (POST /push/fileid) during the run;
                       point your server's Eye4 API base URL at it to have its lookups checked`,
  // Not documented: pushcheck allows the 5 s of the platforms it knows (decisions/012-eye4.md).
  deadlineMs: 5000,
  configure(values, env) {
    const guid = guidOf(values, env);
    if (!guid)
      usage('--guid is required (or set PUSHCHECK_EYE4_GUID): the guid header your Eye4 account sends');
    const resourceTarget = urlOption(stringOption(values['resource-target']), 'resource-target');
    const apiListen = listenOption(stringOption(values['eye4-api-listen']));
    return {
      guid,
      ...(resourceTarget !== undefined ? { resourceTarget } : {}),
      ...(apiListen !== undefined ? { apiListen } : {}),
    };
  },
  secrets: (s) => [s.guid],
  // The resource callback is another URL of the server under test: it must answer before any case runs.
  probe: (target, s) => [target, ...(s.resourceTarget !== undefined ? [s.resourceTarget] : [])],
  async firstRequest(target, s, { runTag, rng, deadlineMs }) {
    // A low-battery reminder: a genuine alarm callback, its did a fresh marker of the run, and no recording,
    // so the receiver has nothing to look up in pushcheck's Eye4 API mock, which does not serve yet.
    const { ACTION, Eye4Sender } = await import('./sender.ts');
    const sender = new Eye4Sender({ guid: s.guid, runTag, rng, fileOrigin: 'http://127.0.0.1' });
    return {
      what: 'an alarm callback',
      option: '--target',
      method: 'POST',
      url: target,
      headers: sender.headers(),
      body: sender.alarm({ action: ACTION.lowBattery }).json,
      deadlineMs,
    };
  },
  async preflight(s) {
    if (s.apiListen === undefined) return;
    const { host, port } = s.apiListen;
    const busy = await new Promise<string | undefined>((done) => {
      const server = createServer();
      server.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
      server.listen(port, host, () => server.close(() => done(undefined)));
    });
    if (busy !== undefined) {
      usage(
        `--eye4-api-listen ${host}:${port}: pushcheck cannot listen there (${busy === 'EADDRINUSE' ? 'the port is in use' : busy}); choose a free port and point your server's Eye4 API base URL at it`,
      );
    }
  },
  mode: (s) =>
    s.apiListen === undefined ? undefined : `Eye4 API mock on ${s.apiListen.host}:${s.apiListen.port}`,
  check(need, s) {
    if (need === NEEDS_API && s.apiListen === undefined) {
      return {
        skip: 'observed through the playback lookup: if your server fetches playback addresses, pass --eye4-api-listen HOST:PORT and point its Eye4 API base URL there',
      };
    }
    return undefined;
  },
  async demo(scratchDir) {
    const [{ ALARM_PATH, eye4Handlers, RESOURCE_PATH }, { serve }] = await Promise.all([
      import('../../../mocks/eye4/reference.ts'),
      import('../../../mocks/serve.ts'),
    ]);
    const targets: DemoTarget<Eye4Settings>[] = [];
    // Two interfaces and the API mock, as the document recommends; and one URL for both, without lookups.
    const port = await freePort();
    const observeApi = join(scratchDir, 'eye4-api.log');
    const withApi = await serve(
      eye4Handlers({ guid: DEMO_GUID, observeFile: observeApi, apiOrigin: `http://127.0.0.1:${port}` }),
    );
    targets.push({
      label: 'eye4-with-api',
      target: `${withApi.origin}${ALARM_PATH}`,
      settings: {
        guid: DEMO_GUID,
        resourceTarget: `${withApi.origin}${RESOURCE_PATH}`,
        apiListen: { host: '127.0.0.1', port },
      },
      observeFile: observeApi,
      close: () => withApi.close(),
    });
    const observeOne = join(scratchDir, 'eye4-one-url.log');
    const oneUrl = await serve(
      eye4Handlers({ guid: DEMO_GUID, observeFile: observeOne, alarmPath: '/eye4', resourcePath: '/eye4' }),
    );
    targets.push({
      label: 'eye4-one-url',
      target: `${oneUrl.origin}/eye4`,
      settings: { guid: DEMO_GUID },
      observeFile: observeOne,
      close: () => oneUrl.close(),
    });
    return targets;
  },
  faulty: async () => (await import('../../../mocks/eye4/faulty.ts')).faulty,
  fuzz: {
    // A genuine alarm with the account's guid (the header mutations damage it): a motion alarm with a
    // recording or a low-battery reminder, its payload an object or JSON text, both forms the Eye4 system sends.
    valid(s, { runTag, rng }) {
      const sender = new Eye4Sender({ guid: s.guid, runTag, rng, fileOrigin: 'http://127.0.0.1' });
      const alarm = sender.alarm({
        action: rng.pick([ACTION.motion, ACTION.lowBattery]),
        payloadForm: rng.pick(['object', 'string'] as const),
      });
      return { method: 'POST', headers: sender.headers(), body: alarm.json };
    },
    // the ack rule: eye4.alarm.acked
    acked: is2xx,
  },
  serveOptions: {
    guid: { type: 'string' },
    'observe-file': { type: 'string' },
    'eye4-api': { type: 'string' },
    'api-only': { type: 'boolean' },
  },
  async serve({ faulty: name, host, port, values }) {
    const [
      { eye4ApiHandlers, Eye4ApiState },
      { faultyBehaviour },
      { ALARM_PATH, eye4Handlers, RESOURCE_PATH, reference },
      { serve },
    ] = await Promise.all([
      import('../../../mocks/eye4/api.ts'),
      import('../../../mocks/eye4/faulty.ts'),
      import('../../../mocks/eye4/reference.ts'),
      import('../../../mocks/serve.ts'),
    ]);
    if (values['api-only'] === true) {
      const api = await serve(eye4ApiHandlers(new Eye4ApiState()), { host, port });
      return {
        lines: [
          `Eye4 API mock at ${api.origin}/push/fileid (every fileid answers [], as an expired recording does)`,
        ],
        close: () => api.close(),
      };
    }
    const guid = guidOf(values, process.env) ?? DEMO_GUID;
    const observeFile = stringOption(values['observe-file']);
    const apiOrigin = urlOption(stringOption(values['eye4-api']), 'eye4-api');
    const behaviour = name ? faultyBehaviour(name as FaultyName) : reference;
    const server = await serve(
      eye4Handlers({ guid, observeFile: observeFile && resolve(observeFile), apiOrigin }, behaviour),
      { host, port },
    );
    return {
      lines: [
        `${name ? `faulty receiver "${name}"` : 'reference receiver'} (eye4): alarms at ${server.origin}${ALARM_PATH}, resource messages at ${server.origin}${RESOURCE_PATH}`,
        `guid: ${guid === DEMO_GUID ? DEMO_GUID : '(as given)'}${observeFile ? `; records processed alarms in ${observeFile}` : ''}`,
        apiOrigin
          ? `looks recordings up at ${apiOrigin}/push/fileid`
          : 'no playback lookups (pass --eye4-api URL, e.g. the --eye4-api-listen address of a run)',
      ],
      close: () => server.close(),
    };
  },
};
