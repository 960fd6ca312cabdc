/** The edge-box alert push as a pushcheck profile: its options, settings, demo and served receivers. */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FaultyName } from '../../../mocks/alertpush/faulty.ts';
import type { AuthMode } from '../../../mocks/alertpush/reference.ts';
import { requirements } from '../../../specs/alertpush/requirements.ts';
import { integerOption, stringOption, usage } from '../../core/errors.ts';
import { is2xx, send } from '../../core/http.ts';
import type { DemoTarget, OptionValues, Profile } from '../../core/profile.ts';
import { cameraFrames } from './media.ts';
import { EdgeBox } from './messages.ts';
import { sendCommand } from './send.ts';
import { bearer, TOKEN_DEADLINE_MS, tokenProblem } from './token.ts';

/** What the alertpush cases read from a run. The alert URL is the run's `--target`. */
export interface AlertPushSettings {
  /** How the box authenticates: a token script (`--token-url`), a fixed token (`--bearer`), or none. */
  auth: AuthMode;
  /** The token script's get_headers_url, query included. Its query values of 8 characters or more are secrets. */
  tokenUrl?: string;
  /** The fixed token of headers_demo2.py. Secret. */
  bearer?: string;
  /** Where video alerts go (the vendor's Java demo: POST /video). */
  videoTarget?: string;
  /** A folder where the receiver saves the images it decodes. */
  imageDir?: string;
  /**
   * The token script's refresh interval (s): how long the interval case holds a token before using it; unset,
   * the case is not assessed rather than make every token-url run last ten minutes.
   */
  tokenIntervalS?: number;
}

/** headers_demo.py's `interval = 60 * 10`, in seconds. */
const TOKEN_INTERVAL_S = 600;
/** The interval the demo's case waits: its receivers are pushcheck's own. */
const DEMO_TOKEN_INTERVAL_S = 3;

export { TOKEN_DEADLINE_MS } from './token.ts';

/** The fixed token of the demo and of `pushcheck serve alertpush --bearer` when none is given. */
export const DEMO_BEARER = 'pushcheck-demo-bearer-7f3a9c2e41d8b6a5';

function httpUrl(value: string, option: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return usage(
      `--${option} "${value}" is not a URL; give one like http://127.0.0.1:10000/${option === 'token-url' ? 'token' : 'video'}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    usage(`--${option} must be http:// or https://, got ${url.protocol}`);
  }
  if (url.hash) usage(`--${option} must not have a #fragment`);
  return value;
}

function bearerOf(values: OptionValues, env: NodeJS.ProcessEnv): string | undefined {
  const bearer = stringOption(values.bearer) ?? env.PUSHCHECK_BEARER;
  if (bearer === undefined) return undefined;
  const unprintable = [...bearer].some((c) => c <= ' ' || c === '\x7f');
  if (bearer.length === 0 || unprintable || /^bearer$/i.test(bearer)) {
    usage('--bearer must be the token alone, as the box sends it after "Bearer ": no spaces, no scheme');
  }
  return bearer;
}

/** Query values this long are taken for credentials; shorter ones (ids, flags) would garble the report. */
const SECRET_QUERY_LENGTH = 8;

/** The query values of a token URL that may be credentials (the sample sends params arg1, arg2). */
function queryValues(url: string | undefined): string[] {
  if (url === undefined) return [];
  return [...new URL(url).searchParams.values()].filter((v) => v.length >= SECRET_QUERY_LENGTH);
}

export const alertpushProfile: Profile<AlertPushSettings> = {
  name: 'alertpush',
  summary:
    'AI edge box alert push (DataPush → Alarm → HTTP, with bearer tokens): the receiver is your alert server and token endpoint',
  registry: requirements,
  options: {
    'token-url': { type: 'string' },
    bearer: { type: 'string' },
    'video-target': { type: 'string' },
    'image-dir': { type: 'string' },
    'token-interval': { type: 'string' },
  },
  help: `  --token-url URL      token script mode: the token endpoint (get_headers_url); the box GETs it and
                       sends "authorization: Bearer <body>" with every alert
  --bearer TOKEN       fixed-token mode (headers_demo2.py): the constant token (or env PUSHCHECK_BEARER)
  --video-target URL   where video alerts go (e.g. http://host:10000/video); video cases skipped without
  --image-dir DIR      a folder your server saves decoded alert images in; checks the exact JPEG bytes
  --token-interval S   the token script's refresh interval (${TOKEN_INTERVAL_S} in the vendor's script): one case
                       holds a token that long before sending it, beside the other cases, so the run
                       lasts at least one interval; without it, that case is not assessed`,
  // The box's only documented timeout: the token request's 5 s. Alerts get ALERT_DEADLINE_MS (suites).
  deadlineMs: TOKEN_DEADLINE_MS,
  besideCases: ['alertpush.token.valid-for-interval'],
  configure(values, env) {
    const tokenUrlValue = stringOption(values['token-url']);
    const tokenUrl = tokenUrlValue === undefined ? undefined : httpUrl(tokenUrlValue, 'token-url');
    const bearer = bearerOf(values, env);
    if (tokenUrl !== undefined && bearer !== undefined) {
      usage(
        'give --token-url (a token script) or --bearer (a fixed token), not both: the box runs one script',
      );
    }
    const videoValue = stringOption(values['video-target']);
    const videoTarget = videoValue === undefined ? undefined : httpUrl(videoValue, 'video-target');
    const imageValue = stringOption(values['image-dir']);
    if (imageValue !== undefined && !(existsSync(imageValue) && statSync(imageValue).isDirectory())) {
      usage(`--image-dir ${imageValue} is not a folder: give the folder your server saves decoded images in`);
    }
    const auth: AuthMode = tokenUrl !== undefined ? 'token-url' : bearer !== undefined ? 'fixed' : 'none';
    return {
      auth,
      ...(tokenUrl !== undefined ? { tokenUrl } : {}),
      ...(bearer !== undefined ? { bearer } : {}),
      ...(videoTarget !== undefined ? { videoTarget } : {}),
      ...(imageValue !== undefined ? { imageDir: resolve(imageValue) } : {}),
      // A run has 20 minutes in all (playwright.config.ts).
      ...(values['token-interval'] !== undefined
        ? {
            tokenIntervalS: integerOption(
              values['token-interval'],
              'token-interval',
              TOKEN_INTERVAL_S,
              1,
              600,
            ),
          }
        : {}),
    };
  },
  secrets: (s) => [...(s.bearer !== undefined ? [s.bearer] : []), ...queryValues(s.tokenUrl)],
  mode: (s) => (s.auth === 'token-url' ? 'token script' : s.auth === 'fixed' ? 'fixed token' : 'no token'),
  check(need, s) {
    switch (need) {
      case 'token-interval':
        return s.tokenIntervalS !== undefined
          ? undefined
          : {
              notAssessed: `holding a token for the box's refresh interval takes ${TOKEN_INTERVAL_S} s in the vendor's script: pass --token-interval ${TOKEN_INTERVAL_S} (or your box's interval) to run this case; the run then lasts at least that long`,
            };
      case 'token-url':
        return s.auth === 'token-url'
          ? undefined
          : { skip: 'token script mode only: pass --token-url URL, the token endpoint the box fetches' };
      case 'bearer':
        return s.auth === 'fixed'
          ? undefined
          : { skip: 'fixed-token mode only: pass --bearer TOKEN, the constant the box sends' };
      case 'auth':
        return s.auth === 'none'
          ? { skip: 'the box sends no token in this run: pass --token-url URL or --bearer TOKEN' }
          : undefined;
      case 'video-target':
        return s.videoTarget === undefined
          ? { skip: 'video alerts only: pass --video-target URL if your server receives them' }
          : undefined;
      case 'image-dir':
        return s.imageDir === undefined
          ? { notAssessed: 'needs the folder your server saves decoded images in: pass --image-dir DIR' }
          : undefined;
      default:
        return undefined;
    }
  },
  async firstRequest(target, s, { runTag, rng }) {
    // The box's token script runs before each alert: in that mode its GET of the token URL comes first.
    // The token it is given is never used.
    if (s.tokenUrl !== undefined) {
      return {
        what: "the box's token request",
        option: '--token-url',
        method: 'GET',
        url: s.tokenUrl,
        deadlineMs: TOKEN_DEADLINE_MS,
      };
    }
    // Otherwise an alert, whose id starts with a fresh marker of the run and whose image is its own.
    const { EdgeBox } = await import('./messages.ts');
    return {
      what: 'an alert',
      option: '--target',
      method: 'POST',
      url: target,
      headers: { 'content-type': 'application/json', ...(s.bearer !== undefined ? bearer(s.bearer) : {}) },
      body: new EdgeBox(runTag, rng).alert().json,
      // The alerts' deadline: twice the token request's (decisions/014, suites/alertpush/fixtures.ts).
      deadlineMs: 2 * TOKEN_DEADLINE_MS,
    };
  },
  async demo(scratchDir) {
    const [{ alertpushHandlers, PATHS }, { serve }] = await Promise.all([
      import('../../../mocks/alertpush/reference.ts'),
      import('../../../mocks/serve.ts'),
    ]);
    const targets: DemoTarget<AlertPushSettings>[] = [];
    for (const auth of ['token-url', 'fixed'] as const) {
      const label = `alertpush-${auth === 'token-url' ? 'token' : 'fixed'}`;
      const observeFile = join(scratchDir, `${label}.log`);
      const imageDir = join(scratchDir, `${label}-images`);
      mkdirSync(imageDir, { recursive: true });
      const bearer = auth === 'fixed' ? DEMO_BEARER : undefined;
      const server = await serve(alertpushHandlers({ mode: auth, bearer, observeFile, imageDir }));
      targets.push({
        label,
        target: `${server.origin}${PATHS.alert}`,
        settings: {
          auth,
          // A query value of 8 characters or more is a secret, redacted wherever it appears: not one that is
          // also part of the demo's folder names (pushcheck-demo-…).
          ...(auth === 'token-url'
            ? { tokenUrl: `${server.origin}${PATHS.token}?arg1=demo-site-4d1e&arg2=gate-box-01` }
            : {}),
          ...(bearer !== undefined ? { bearer } : {}),
          videoTarget: `${server.origin}${PATHS.video}`,
          imageDir,
          tokenIntervalS: DEMO_TOKEN_INTERVAL_S,
        },
        observeFile,
        close: () => server.close(),
      });
    }
    return targets;
  },
  faulty: async () => (await import('../../../mocks/alertpush/faulty.ts')).faulty,
  fuzz: {
    // A genuine alert with the camera's small frame, and the box's authorization header (the header
    // mutations damage it; the token is redacted wherever a finding is written).
    valid: (s, { runTag, rng }) => ({
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(s.bearer !== undefined ? bearer(s.bearer) : {}) },
      body: new EdgeBox(runTag, rng, cameraFrames).alert().json,
    }),
    // alertpush.alert.processed: an alert answered 2xx is taken.
    acked: is2xx,
    // In token script mode the box fetches a token first; one serves the whole fuzz, well within the 600 s
    // after which the box fetches the next.
    async open(_target, s) {
      if (s.tokenUrl === undefined) return { settings: s, secrets: [], close: async () => {} };
      const ex = await send({
        method: 'GET',
        url: s.tokenUrl,
        deadlineMs: TOKEN_DEADLINE_MS,
        label: "the box's token request",
      });
      const problem = ex.response && is2xx(ex) ? tokenProblem(ex.response.raw) : undefined;
      if (!ex.response || !is2xx(ex) || problem !== undefined) {
        throw new Error(
          `the fuzz needs a token from --token-url and got none (${problem ?? ex.error ?? `HTTP ${ex.response?.status}`}): see the alertpush.token cases`,
        );
      }
      const token = ex.response.raw.toString('latin1');
      return { settings: { ...s, bearer: token }, secrets: [token], close: async () => {} };
    },
  },
  serveOptions: {
    bearer: { type: 'string' },
    'observe-file': { type: 'string' },
    'image-dir': { type: 'string' },
  },
  async serve({ faulty: name, host, port, values }) {
    const [{ alertpushHandlers, PATHS, reference }, { faulty, faultyBehaviour }, { serve }] =
      await Promise.all([
        import('../../../mocks/alertpush/reference.ts'),
        import('../../../mocks/alertpush/faulty.ts'),
        import('../../../mocks/serve.ts'),
      ]);
    const defect = name === undefined ? undefined : faulty[name as FaultyName];
    let bearer = bearerOf(values, process.env);
    if (bearer === undefined && defect !== undefined && 'mode' in defect && defect.mode === 'fixed') {
      bearer = DEMO_BEARER;
    }
    const auth: AuthMode = bearer !== undefined ? 'fixed' : 'token-url';
    const observeFile = stringOption(values['observe-file']);
    const imageDir = stringOption(values['image-dir']);
    const behaviour = name ? faultyBehaviour(name as FaultyName) : reference;
    const server = await serve(
      alertpushHandlers(
        {
          mode: auth,
          bearer,
          observeFile: observeFile && resolve(observeFile),
          imageDir: imageDir && resolve(imageDir),
        },
        behaviour,
      ),
      { host, port },
    );
    const o = server.origin;
    return {
      lines: [
        `${name ? `faulty alert server "${name}"` : 'reference alert server'} (alertpush, ${auth === 'fixed' ? 'fixed token' : 'token script'})`,
        `alerts: ${o}${PATHS.alert}   video alerts: ${o}${PATHS.video}${auth === 'token-url' ? `   token: ${o}${PATHS.token}` : ''}`,
        auth === 'fixed'
          ? `fixed token: ${bearer === DEMO_BEARER ? DEMO_BEARER : '(as given)'}`
          : `try: pushcheck run --profile alertpush --target ${o}${PATHS.alert} --token-url ${o}${PATHS.token} --video-target ${o}${PATHS.video}`,
        ...(observeFile ? [`records processed alerts in ${observeFile}`] : []),
        ...(imageDir ? [`saves decoded images in ${imageDir}`] : []),
      ],
      close: () => server.close(),
    };
  },
  send: sendCommand,
};
