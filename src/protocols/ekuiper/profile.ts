/** eKuiper's httppush source as a pushcheck profile: its options, settings, demo and served endpoints. */
import { join, resolve } from 'node:path';
import type { FaultyName } from '../../../mocks/ekuiper/faulty.ts';
import { requirements } from '../../../specs/ekuiper/requirements.ts';
import { integerOption, stringOption, usage } from '../../core/errors.ts';
import { newMarker } from '../../core/observer.ts';
import { httpUrlOption } from '../../core/url.ts';
import type { DemoTarget, OptionValues, Profile } from '../../core/profile.ts';
import { deviceObject, type EkuiperVersion, type PushMethod } from './messages.ts';

/** What the eKuiper cases read from a run. */
export interface EkuiperSettings {
  /** The stream's method (`method` of its configuration key): POST by default, or PUT. */
  method: PushMethod;
  /** The eKuiper generation whose answers to bad bodies are expected (lf-edge/ekuiper). */
  version: EkuiperVersion;
  /** Concurrent pushes in the burst case. */
  burst: number;
  /** eKuiper's REST API: pushcheck creates the stream and an observed rule there, and removes them after. */
  api?: string;
  /** A bearer token for that REST API. Secret. */
  apiToken?: string;
  /** Whether the run has an observe file (so the case needing an observer can say what to pass). */
  observeFile?: boolean;
}

/** How long eKuiper may take to route the endpoint once the fuzz's rule is created (as for the cases). */
const FUZZ_ROUTE_TIMEOUT_MS = 10_000;

/** The default DATASOURCE: the docs' example and the UI's suggestion. */
export const DEFAULT_PATH = '/api/data';

function methodOf(values: OptionValues): PushMethod {
  const method = (stringOption(values.method) ?? 'POST').toUpperCase();
  if (method !== 'POST' && method !== 'PUT') {
    usage(`--method must be POST or PUT (eKuiper routes only these), got "${stringOption(values.method)}"`);
  }
  return method;
}

function versionOf(values: OptionValues): EkuiperVersion {
  const v = stringOption(values['ekuiper-version']) ?? '2';
  if (v !== '1' && v !== '2') usage(`--ekuiper-version must be 1 or 2, got "${v}"`);
  return v === '1' ? 1 : 2;
}

function apiOf(values: OptionValues): string | undefined {
  const api = stringOption(values['ekuiper-api']);
  if (api === undefined) return undefined;
  return httpUrlOption(api, 'ekuiper-api', "give eKuiper's REST API, e.g. http://127.0.0.1:9081").replace(
    /\/+$/,
    '',
  );
}

export const ekuiperProfile: Profile<EkuiperSettings> = {
  name: 'ekuiper',
  summary: 'eKuiper httppush source: the system under test is eKuiper, or an endpoint compatible with it',
  registry: requirements,
  options: {
    method: { type: 'string' },
    'ekuiper-version': { type: 'string' },
    'ekuiper-api': { type: 'string' },
    'ekuiper-token': { type: 'string' },
    burst: { type: 'string' },
  },
  help: `  --method POST|PUT    the stream's method (default POST)
  --ekuiper-version N  1 or 2: whose answers to malformed and non-object JSON to expect (default 2)
  --ekuiper-api URL    eKuiper's REST API (e.g. http://127.0.0.1:9081): pushcheck creates a stream on the
                       target's path and a rule whose REST sink posts each row back, then removes both
  --ekuiper-token T    bearer token for that REST API (or env PUSHCHECK_EKUIPER_TOKEN)
  --burst N            concurrent pushes in the burst case (default 20)`,
  // eKuiper sets no deadline for devices; 5 s is its REST sink's default timeout and a usual device timeout.
  deadlineMs: 5000,
  configure(values, env) {
    const api = apiOf(values);
    const apiToken = stringOption(values['ekuiper-token']) ?? env.PUSHCHECK_EKUIPER_TOKEN;
    if (api !== undefined && values['observe-file'] !== undefined) {
      usage('give --ekuiper-api or --observe-file, not both: each is a way to see what the rule received');
    }
    if (apiToken !== undefined && api === undefined) {
      usage('--ekuiper-token is for the REST API: give --ekuiper-api URL too');
    }
    return {
      method: methodOf(values),
      version: versionOf(values),
      burst: integerOption(values.burst, 'burst', 20, 1, 500),
      ...(api !== undefined ? { api } : {}),
      ...(apiToken !== undefined ? { apiToken } : {}),
      ...(values['observe-file'] !== undefined ? { observeFile: true } : {}),
    };
  },
  secrets: (s) => (s.apiToken ? [s.apiToken] : []),
  mode: (s) =>
    [`v${s.version}`, s.method, ...(s.api !== undefined ? ['through the REST API'] : [])].join(', '),
  probe: (target, s) => s.api ?? target,
  async firstRequest(target, s, { runTag, rng, deadlineMs }) {
    if (s.api !== undefined) {
      // The run starts at the REST API (the data server routes the target only once a rule reads the
      // stream). Its first call creates a stream; the preflight asks the same API for its streams instead,
      // which changes nothing in eKuiper.
      return {
        what: 'a request for its streams (GET /streams)',
        option: '--ekuiper-api',
        hint: "is --ekuiper-api eKuiper's REST API (port 9081 by default), not its data server?",
        method: 'GET',
        url: `${s.api}/streams`,
        ...(s.apiToken !== undefined ? { headers: { authorization: `Bearer ${s.apiToken}` } } : {}),
        deadlineMs,
      };
    }
    // A device's push of one sensor object, whose deviceId is a fresh marker of the run.
    const { deviceObject } = await import('./messages.ts');
    return {
      what: "a device's push",
      option: '--target',
      method: s.method,
      url: target,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(deviceObject(newMarker(runTag, rng), rng, Date.now())),
      deadlineMs,
    };
  },
  check(need, s) {
    if (need === 'observer' && s.api === undefined && s.observeFile !== true) {
      return {
        notAssessed:
          'needs to see what reached the rule: pass --ekuiper-api URL (pushcheck then makes its own observed rule) or --observe-file PATH (a file your rule appends each object to)',
      };
    }
    return undefined;
  },
  async demo(scratchDir) {
    const [{ serveEkuiper }, { httppushHandlers }, { serve }] = await Promise.all([
      import('../../../mocks/ekuiper/ekuiper.ts'),
      import('../../../mocks/ekuiper/reference.ts'),
      import('../../../mocks/serve.ts'),
    ]);
    const targets: DemoTarget<EkuiperSettings>[] = [];
    for (const [version, method] of [
      [2, 'POST'],
      [1, 'PUT'],
    ] as const) {
      const observeFile = join(scratchDir, `ekuiper-v${version}.log`);
      const server = await serve(httppushHandlers({ version, method, observeFile }));
      targets.push({
        label: `ekuiper-v${version}-${method.toLowerCase()}`,
        target: `${server.origin}${DEFAULT_PATH}`,
        settings: { method, version, burst: 20, observeFile: true },
        observeFile,
        close: () => server.close(),
      });
    }
    const mock = await serveEkuiper({ version: 2 });
    targets.push({
      label: 'ekuiper-api-mock',
      target: `${mock.data.origin}${DEFAULT_PATH}`,
      settings: { method: 'PUT', version: 2, burst: 20, api: mock.api.origin },
      close: () => mock.close(),
    });
    return targets;
  },
  faulty: async () => (await import('../../../mocks/ekuiper/faulty.ts')).faulty,
  fuzz: {
    // A device's push of one sensor object, with the stream's method.
    valid: (s, { runTag, rng }) => ({
      method: s.method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(deviceObject(newMarker(runTag, rng), rng, Date.now())),
    }),
    // eKuiper accepts a push with 200 (ekuiper.push.object-accepted).
    acked: (ex) => ex.error === undefined && ex.response?.status === 200,
    // Through the REST API, the data server routes the target only while a rule reads a stream on it: the
    // fuzz makes its own, as each case does, and removes them after.
    async open(target, s, { runTag }) {
      if (s.api === undefined) return { settings: s, secrets: [], close: async () => {} };
      const [{ endpointRouted, provision }, { RuleSink }] = await Promise.all([
        import('./api.ts'),
        import('./sink.ts'),
      ]);
      const sink = await RuleSink.start();
      try {
        const created = await provision({
          api: s.api,
          token: s.apiToken,
          target,
          method: s.method,
          suffix: `${runTag}_${process.pid}_fuzz`,
          sinkUrl: sink.url,
        });
        const close = async (): Promise<void> => {
          const problems = await created.teardown();
          await sink.close();
          if (problems.length > 0) {
            throw new Error(
              `pushcheck could not remove its stream and rule ${created.rule} from eKuiper: ${problems.join('; ')}`,
            );
          }
        };
        if (!(await endpointRouted(target, FUZZ_ROUTE_TIMEOUT_MS))) {
          await close();
          throw new Error(
            `eKuiper accepted the fuzz's stream and rule, but ${target} still answers 404 after ${FUZZ_ROUTE_TIMEOUT_MS} ms: is --target the data server behind --ekuiper-api?`,
          );
        }
        return { settings: s, secrets: [], close };
      } catch (err) {
        await sink.close();
        throw err;
      }
    },
  },
  serveOptions: {
    method: { type: 'string' },
    'ekuiper-version': { type: 'string' },
    path: { type: 'string' },
    'observe-file': { type: 'string' },
    'mock-ekuiper': { type: 'boolean', default: false },
    'api-port': { type: 'string' },
  },
  async serve({ faulty: name, host, port, values }) {
    const [{ serveEkuiper }, { faultyBehaviour }, { httppushHandlers, reference }, { serve }] =
      await Promise.all([
        import('../../../mocks/ekuiper/ekuiper.ts'),
        import('../../../mocks/ekuiper/faulty.ts'),
        import('../../../mocks/ekuiper/reference.ts'),
        import('../../../mocks/serve.ts'),
      ]);
    const version = versionOf(values);
    const behaviour = name ? faultyBehaviour(name as FaultyName) : reference;
    const what = `${name ? `faulty endpoint "${name}"` : 'reference endpoint'} (ekuiper v${version}`;
    if (values['mock-ekuiper'] === true) {
      const mock = await serveEkuiper({
        version,
        behaviour,
        dataPort: port,
        apiPort: integerOption(values['api-port'], 'api-port', 0, 0, 65_535),
      });
      return {
        lines: [
          `${what}, behind a mock eKuiper): REST API at ${mock.api.origin}, data server at ${mock.data.origin}`,
          `try: pushcheck run --profile ekuiper --ekuiper-api ${mock.api.origin} --target ${mock.data.origin}${DEFAULT_PATH}`,
        ],
        close: () => mock.close(),
      };
    }
    const method = methodOf(values);
    const path = stringOption(values.path) ?? DEFAULT_PATH;
    if (!path.startsWith('/'))
      usage(`--path must start with / (eKuiper: "property \`endpoint\` must start with /")`);
    const observeFile = stringOption(values['observe-file']);
    const server = await serve(
      httppushHandlers(
        { version, method, path, observeFile: observeFile && resolve(observeFile) },
        behaviour,
      ),
      { host, port },
    );
    return {
      lines: [
        `${what}, ${method}) at ${server.origin}${path}${observeFile ? `; records each row in ${observeFile}` : ''}`,
      ],
      close: () => server.close(),
    };
  },
};
