/**
 * The fuzzer on every profile: each profile's hook gives valid messages its reference receiver acks after
 * every input (no finding), and a receiver of that profile that dies on a body that is not JSON is found,
 * shrunk to a few bytes, with its secrets redacted. The header mutations damage the protocol's own headers
 * (Eye4's guid, an alert's bearer token) without ever writing the secret they carry.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { HttpResponse, http, type RequestHandler } from 'msw';
import { alertpushHandlers, PATHS } from '../mocks/alertpush/reference.ts';
import { faultyBehaviour as alertpushFaulty } from '../mocks/alertpush/faulty.ts';
import { controlidHandlers, DEFAULT_PATH } from '../mocks/controlid/reference.ts';
import { faultyBehaviour as controlidFaulty } from '../mocks/controlid/faulty.ts';
import { serveEkuiper } from '../mocks/ekuiper/ekuiper.ts';
import { faultyBehaviour as ekuiperFaulty } from '../mocks/ekuiper/faulty.ts';
import { httppushHandlers } from '../mocks/ekuiper/reference.ts';
import { faultyBehaviour as eye4Faulty } from '../mocks/eye4/faulty.ts';
import { ALARM_PATH, eye4Handlers } from '../mocks/eye4/reference.ts';
import { faultyBehaviour as legacyFaulty } from '../mocks/onenet-legacy/faulty.ts';
import { legacyHandlers } from '../mocks/onenet-legacy/reference.ts';
import { serve } from '../mocks/serve.ts';
import { type Exchange, send } from '../src/core/http.ts';
import type { Profile } from '../src/core/profile.ts';
import { createRng } from '../src/core/rng.ts';
import { applyMutation, HEADER_DAMAGE } from '../src/fuzz/mutations.ts';
import { badAnswer, type FuzzFinding, type FuzzReport, fuzzLines, runFuzz } from '../src/fuzz/run.ts';
import { PROFILES } from '../src/profiles.ts';
import { DEFAULT_DEVICE_ID } from '../src/protocols/controlid/options.ts';
import { pushcheck, ROOT, scratch, TOKEN } from './helpers.ts';

const GUID = 'fuzz-guid-3b9d7e21c4';
const BEARER = 'fuzz-bearer-0c5e8a17f2d94b36';
const AES = 'GIdLEZo+zLrMpKPzlc337if8TgzmFii1F5NKLsFC/FM';

/** A receiver to fuzz: its handlers, the target under its origin, the run's options. */
interface Subject {
  profile: string;
  label: string;
  /** `observeFile` records what it processed, as the demo's receivers do (the fuzz must not break that). */
  handlers(crash: boolean, observeFile: string): RequestHandler[];
  path: string;
  /** The run's options, as `pushcheck run` would take them (besides --target). */
  options(origin: string): Record<string, string>;
  secrets: string[];
}

const SUBJECTS: Subject[] = [
  {
    profile: 'onenet-legacy',
    label: 'plain',
    handlers: (crash, observeFile) =>
      legacyHandlers({ token: TOKEN, observeFile }, crash ? legacyFaulty('crash-on-malformed') : undefined),
    path: '/onenet-legacy',
    options: () => ({ token: TOKEN }),
    secrets: [TOKEN],
  },
  {
    profile: 'onenet-legacy',
    label: 'encrypted',
    handlers: (crash, observeFile) =>
      legacyHandlers(
        { token: TOKEN, encodingAesKey: AES, observeFile },
        crash ? legacyFaulty('crash-on-malformed') : undefined,
      ),
    path: '/onenet-legacy',
    options: () => ({ token: TOKEN, 'aes-key': AES }),
    secrets: [TOKEN, AES],
  },
  {
    profile: 'ekuiper',
    label: 'v2 POST',
    handlers: (crash, observeFile) =>
      httppushHandlers(
        { version: 2, method: 'POST', observeFile },
        crash ? ekuiperFaulty('crash-on-malformed') : undefined,
      ),
    path: '/api/data',
    options: () => ({}),
    secrets: [],
  },
  {
    profile: 'ekuiper',
    label: 'v1 PUT',
    handlers: (crash, observeFile) =>
      httppushHandlers(
        { version: 1, method: 'PUT', observeFile },
        crash ? ekuiperFaulty('crash-on-malformed') : undefined,
      ),
    path: '/api/data',
    options: () => ({ method: 'PUT', 'ekuiper-version': '1' }),
    secrets: [],
  },
  {
    profile: 'controlid',
    label: 'push server',
    handlers: (crash, observeFile) =>
      controlidHandlers(
        { enrolled: [DEFAULT_DEVICE_ID], observeFile },
        crash ? controlidFaulty('crash-on-malformed') : undefined,
      ),
    path: DEFAULT_PATH,
    options: () => ({}),
    secrets: [],
  },
  {
    profile: 'eye4',
    label: 'alarms',
    handlers: (crash, observeFile) =>
      eye4Handlers({ guid: GUID, observeFile }, crash ? eye4Faulty('crash-on-malformed') : undefined),
    path: ALARM_PATH,
    options: () => ({ guid: GUID }),
    secrets: [GUID],
  },
  {
    profile: 'alertpush',
    label: 'fixed token',
    handlers: (crash, observeFile) =>
      alertpushHandlers(
        { mode: 'fixed', bearer: BEARER, observeFile },
        crash ? alertpushFaulty('crash-on-malformed') : undefined,
      ),
    path: PATHS.alert,
    options: () => ({ bearer: BEARER }),
    secrets: [BEARER],
  },
  {
    profile: 'alertpush',
    label: 'token script',
    handlers: (crash, observeFile) =>
      alertpushHandlers(
        { mode: 'token-url', observeFile },
        crash ? alertpushFaulty('crash-on-malformed') : undefined,
      ),
    path: PATHS.alert,
    options: (origin) => ({ 'token-url': `${origin}${PATHS.token}?arg1=fuzz-credential-77` }),
    // The token the fuzz fetched is redacted too: the test cannot know it, so it checks the bearer header.
    secrets: ['fuzz-credential-77'],
  },
];

function profileOf(name: string): Profile {
  const p = PROFILES[name];
  if (!p) throw new Error(`no profile ${name}`);
  return p as Profile;
}

async function fuzz(
  profile: Profile,
  settings: unknown,
  target: string,
  inputs: number,
  seed = 5,
  restart?: () => Promise<void>,
): Promise<FuzzReport> {
  return runFuzz({
    ...(restart ? { restart } : {}),
    hook: profile.fuzz,
    settings,
    target,
    seed,
    runTag: '5151',
    inputs,
    deadlineMs: 5000,
    reportDir: scratch(),
    secrets: profile.secrets(settings),
  });
}

/**
 * Sends a finding's written bytes as its curl line says (its redacted header filled in with the subject's
 * secret) to a fresh crash receiver of `s`, and resolves with what came back.
 */
async function replayOnFresh(s: Subject, f: FuzzFinding, origin: string): Promise<Exchange> {
  const fresh = await serve(s.handlers(true, join(scratch(), 'observed.log')));
  try {
    const curlUrl = /'(http:[^']+)'$/.exec(f.curl)?.[1] ?? '';
    const headers = Object.fromEntries(
      [...f.curl.matchAll(/-H '([^:']+): ?([^']*)'/g)]
        .filter((m) => m[2])
        .map((m) => [m[1] ?? '', (m[2] ?? '').replace('[REDACTED]', s.secrets[0] ?? '')]),
    );
    return await send({
      method: /-X (\w+)/.exec(f.curl)?.[1] as 'POST',
      url: curlUrl.replace(origin, fresh.origin),
      headers,
      body: readFileSync(f.bodyFile),
      deadlineMs: 5000,
    });
  } finally {
    await fresh.close();
  }
}

/** Everything a finding writes, for the redaction checks. */
function written(r: FuzzReport): string {
  return JSON.stringify(r.finding);
}

for (const s of SUBJECTS) {
  test.describe(`${s.profile} (${s.label})`, () => {
    test('a receiver that dies on bad input, restarted after each death, gets its input shrunk', async () => {
      const observed = join(scratch(), 'observed.log');
      let server = await serve(s.handlers(true, observed));
      const port = Number(new URL(server.origin).port);
      try {
        const profile = profileOf(s.profile);
        const settings = profile.configure(
          { target: `${server.origin}${s.path}`, ...s.options(server.origin) },
          {},
        );
        // As pushcheck restarts a receiver it launched: the same port, a fresh process's state.
        const restart = async () => {
          await server.close();
          server = await serve(s.handlers(true, observed), { port });
        };
        const r = await fuzz(profile, settings, `${server.origin}${s.path}`, 100, 5, restart);
        const f = r.finding;
        expect(f, JSON.stringify(r)).not.toBeNull();
        if (!f) return;
        expect(f.stoppedAnswering).toBe(false);
        expect(f.restarts).toBeGreaterThan(0);
        expect(f.shrinks).toBeGreaterThan(0);
        // Shrunk: no larger than the first failing input, and the input written still kills a fresh receiver.
        expect(f.bodyBytes).toBeLessThanOrEqual(f.firstBodyBytes);
        console.log(
          `${s.profile} (${s.label}): ${f.firstBodyBytes} -> ${f.bodyBytes} bytes, ${f.shrinks} shrinks, ${f.restarts} restarts`,
        );
        // The token script's bearer was fetched by the fuzz and redacted: the test cannot fill it in.
        if (s.label === 'token script') return;
        const ex = await replayOnFresh(s, f, server.origin);
        expect(ex.error, JSON.stringify(ex.response?.status)).toMatch(/reset|closed/);
        expect(fuzzLines(r).join('\n')).toMatch(/restarted the receiver it launched \d+ times to shrink it/);
      } finally {
        await server.close();
      }
    });

    test('the reference receiver acks after every input: no finding', async () => {
      const server = await serve(s.handlers(false, join(scratch(), 'observed.log')));
      try {
        const profile = profileOf(s.profile);
        const settings = profile.configure(
          { target: `${server.origin}${s.path}`, ...s.options(server.origin) },
          {},
        );
        const r = await fuzz(profile, settings, `${server.origin}${s.path}`, 25);
        expect(r.finding, JSON.stringify(r.finding)).toBeNull();
        expect(r.ran).toBe(25);
      } finally {
        await server.close();
      }
    });

    test('a receiver that dies on a body that is not JSON is found, its input reproduces it, no secret is written', async () => {
      const server = await serve(s.handlers(true, join(scratch(), 'observed.log')));
      try {
        const profile = profileOf(s.profile);
        const settings = profile.configure(
          { target: `${server.origin}${s.path}`, ...s.options(server.origin) },
          {},
        );
        const r = await fuzz(profile, settings, `${server.origin}${s.path}`, 100);
        const f = r.finding;
        expect(f, JSON.stringify(r)).not.toBeNull();
        if (!f) return;
        // The input itself gets a closed connection; the receiver stays dead, so shrinking could show
        // nothing, and the finding is the first failing input: a cut body, which is not JSON.
        expect(f.failure).toMatch(/^the mutated message got no usable response: connection (reset|closed)/);
        expect(f.stoppedAnswering).toBe(true);
        expect(f.shrinks).toBe(0);
        expect(f.input).toBe(f.firstInput);
        expect(f.input).toMatch(/^the valid body cut after \d+ of \d+ bytes$/);
        expect(readFileSync(f.bodyFile).length).toBe(f.bodyBytes);
        for (const secret of s.secrets) expect(written(r)).not.toContain(secret);
        if (s.label === 'token script') {
          expect(f.curl).toMatch(/authorization: Bearer \[REDACTED\]/i);
          return;
        }
        // The written bytes, sent as the curl line says (its redacted header filled in), kill a fresh one.
        const ex = await replayOnFresh(s, f, server.origin);
        expect(ex.error, JSON.stringify(ex.response?.status)).toMatch(/reset|closed/);
      } finally {
        await server.close();
      }
    });
  });
}

test('ekuiper through the REST API: the fuzz makes its own stream and rule, and removes them after', async () => {
  const mock = await serveEkuiper({ version: 2 });
  try {
    const profile = profileOf('ekuiper');
    const settings = profile.configure({ 'ekuiper-api': mock.api.origin, method: 'PUT' }, {});
    const r = await fuzz(profile, settings, `${mock.data.origin}/api/data`, 15);
    expect(r.finding, JSON.stringify(r.finding)).toBeNull();
    expect(r.ran).toBe(15);
    // Removed: the data server no longer routes the path.
    const after = await fetch(`${mock.data.origin}/api/data`, { method: 'PUT', body: '{}' });
    expect(after.status).toBe(404);
  } finally {
    await mock.close();
  }
});

test('the header mutations damage the protocol headers and never write a secret they carry', () => {
  const eye4 = profileOf('eye4');
  const alert = profileOf('alertpush');
  const rng = () => ({ runTag: '1', rng: createRng(3, 'headers') });
  const alarm = eye4.fuzz.valid(eye4.configure({ guid: GUID }, {}), rng());
  const push = alert.fuzz.valid(alert.configure({ bearer: BEARER }, {}), rng());
  expect(alarm.headers.guid).toBe(GUID);
  for (let damage = 0; damage < HEADER_DAMAGE.length; damage++) {
    const a = applyMutation(alarm, { kind: 'header', field: 0, damage, length: 300 });
    const b = applyMutation(push, { kind: 'header', field: 0, damage, length: 300 });
    expect(a.body.toString()).toBe(alarm.body);
    expect(a.what).toContain('header "guid"');
    expect(b.what).toContain('header "authorization"');
    for (const m of [a, b]) {
      expect(m.what).not.toContain(GUID);
      expect(m.what).not.toContain(BEARER);
      // Content-Type is never what a header mutation damages.
      expect(m.headers['content-type']).toMatch(/^application\/json/);
    }
    // The damaged value is never the genuine one, nor a part of it that redaction would miss.
    const value = a.headers.guid;
    expect(value).not.toBe(GUID);
    if (value && !value.startsWith(GUID)) expect(GUID).not.toContain(value.slice(0, 6));
  }
  expect(
    applyMutation(alarm, { kind: 'header', field: 0, damage: 0, length: 300 }).headers,
  ).not.toHaveProperty('guid');
  // A wrong credential keeps its scheme, so that it is the token a receiver must refuse.
  const wrong = applyMutation(push, { kind: 'header', field: 0, damage: 2, length: 300 }).headers
    .authorization;
  expect(wrong).toMatch(/^Bearer x+$/);
  expect(wrong).toHaveLength(`Bearer ${BEARER}`.length);
  // A message with no header of its own (OneNET's) gets its body cut instead.
  const legacy = profileOf('onenet-legacy');
  const plain = legacy.fuzz.valid(legacy.configure({ token: TOKEN }, {}), rng());
  const cut = applyMutation(plain, { kind: 'header', field: 5, damage: 0, length: 300 });
  expect(cut.body.toString()).toBe(plain.body.slice(0, 5));
  expect(cut.what).toBe(`the valid body cut after 5 of ${Buffer.byteLength(plain.body)} bytes`);
});

test('a receiver that fails with 500 on a missing guid is found by a header mutation', async () => {
  const server = await serve(
    eye4Handlers(
      { guid: GUID },
      {
        ...eye4Faulty('guid-optional'),
        guidAccepted: (header, guid) => {
          if (header === null) throw new Error('guid header missing');
          return header === guid;
        },
      },
    ),
  );
  try {
    const profile = profileOf('eye4');
    const settings = profile.configure({ guid: GUID }, {});
    const r = await fuzz(profile, settings, `${server.origin}${ALARM_PATH}`, 100);
    expect(r.finding?.input).toBe('the valid message with header "guid" left out');
    expect(r.finding?.failure).toMatch(/HTTP 500/);
    expect(written(r)).not.toContain(GUID);
  } finally {
    await server.close();
  }
});

test('when what the receiver needs first cannot be set up, the fuzz is not run and says why', async () => {
  // The token endpoint answers JSON, which the box would send as the token itself.
  const server = await serve(alertpushHandlers({ mode: 'token-url' }, alertpushFaulty('json-token')));
  try {
    const profile = profileOf('alertpush');
    const settings = profile.configure(
      { target: `${server.origin}${PATHS.alert}`, 'token-url': `${server.origin}${PATHS.token}` },
      {},
    );
    const r = await fuzz(profile, settings, `${server.origin}${PATHS.alert}`, 10);
    expect(r.ran).toBe(0);
    expect(r.finding).toBeNull();
    expect(r.notRun).toMatch(/^the fuzz needs a token from --token-url and got none \(the body is JSON/);
    expect(fuzzLines(r)).toEqual([`fuzz: not run: ${r.notRun}`]);
  } finally {
    await server.close();
  }
});

test('--fuzz through the CLI on another profile: a finding on a crashing Eye4 receiver, the guid redacted', async () => {
  const dir = scratch();
  const server = await serve(eye4Handlers({ guid: GUID }, eye4Faulty('crash-on-malformed')));
  try {
    const args = ['run', '--profile', 'eye4', '--target', `${server.origin}${ALARM_PATH}`, '--guid', GUID];
    args.push('--report', dir, '--grep', 'eye4\\.alarm\\.acked', '--fuzz', '20', '--seed', '3', '--strict');
    const r = await pushcheck(args, dir);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/fuzz: FAILED after \d+ of 20 inputs/);
    expect(r.stdout).toMatch(/reproduce: curl .*-H 'guid: \[REDACTED\]' --data-binary @/);
    expect(r.stdout + r.stderr).not.toContain(GUID);
    expect(readFileSync(join(dir, 'fuzz.json'), 'utf8')).not.toContain(GUID);
  } finally {
    await server.close();
  }
});

test('--fuzz through the CLI that cannot run: a passing run is incomplete (exit 3), in one sentence', async () => {
  const dir = scratch();
  const server = await serve(alertpushHandlers({ mode: 'token-url' }, alertpushFaulty('json-token')));
  try {
    const args = ['run', '--profile', 'alertpush', '--target', `${server.origin}${PATHS.alert}`];
    args.push('--token-url', `${server.origin}${PATHS.token}`, '--report', dir);
    args.push('--grep', 'alertpush\\.auth\\.missing-refused', '--fuzz', '5', '--no-preflight');
    const r = await pushcheck(args, dir);
    expect(r.report?.verdict, r.stdout).toBe('conformant');
    expect(r.stdout).toMatch(
      /^fuzz: not run: the fuzz needs a token from --token-url and got none \(.+\): see the alertpush\.token cases$/m,
    );
    expect(r.code, r.stdout + r.stderr).toBe(3);
  } finally {
    await server.close();
  }
});

test('the body mutations reach the fields nested in a top-level object, where a protocol keeps what is read', () => {
  const eye4 = profileOf('eye4');
  const settings = eye4.configure({ guid: GUID }, {});
  const rng = createRng(8, 'nested');
  // A motion alarm whose payload is an object: it has a fileid.
  let alarm = eye4.fuzz.valid(settings, { runTag: '1', rng });
  while (!alarm.body.includes('"fileid"')) alarm = eye4.fuzz.valid(settings, { runTag: '1', rng });
  const payload = (JSON.parse(alarm.body) as { payload: Record<string, unknown> }).payload;
  const all = Array.from({ length: 64 }, (_, field) => applyMutation(alarm, { kind: 'missing', field }));
  const noFileid = all.find((m) => m.what === 'field "payload.fileid" left out');
  expect(noFileid, all.map((m) => m.what).join('\n')).toBeDefined();
  const parsed = JSON.parse(noFileid?.body.toString() ?? '{}') as { payload: Record<string, unknown> };
  expect(parsed.payload).toEqual(Object.fromEntries(Object.entries(payload).filter(([k]) => k !== 'fileid')));
  const field = all.indexOf(noFileid as (typeof all)[number]);
  const dup = applyMutation(alarm, { kind: 'duplicate-key', field, value: 5 }).body.toString();
  expect(dup).toContain(`"fileid":${JSON.stringify(payload.fileid)},"fileid":5`);
  expect((JSON.parse(dup) as { payload: { fileid: unknown } }).payload.fileid).toBe(5);
  const deep = applyMutation(alarm, { kind: 'deep-nesting', field, depth: 50 });
  expect(deep.what).toBe('field "payload.fileid" replaced by arrays nested 50 deep');
  expect(deep.body.toString()).toContain(`"fileid":${'['.repeat(50)}`);
  const typed = applyMutation(alarm, { kind: 'wrong-type', field, type: 0 });
  expect((JSON.parse(typed.body.toString()) as { payload: { fileid: unknown } }).payload.fileid).toBe(0);
  const bad = applyMutation(alarm, { kind: 'invalid-utf8', field, bytes: 0 }).body;
  expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bad)).toThrow();
});

test('an answer below 500 whose body is past the read limit is no finding; a 500 with such a body is', async () => {
  const big = 'x'.repeat(2 * 1024 * 1024);
  for (const status of [200, 500]) {
    const server = await serve([http.post('/echo', () => new HttpResponse(big, { status }))]);
    try {
      const ex = await send({ method: 'POST', url: `${server.origin}/echo`, body: '{}', deadlineMs: 5000 });
      expect(ex.response?.truncated).toBe(true);
      if (status === 200) expect(badAnswer(ex)).toBeUndefined();
      else expect(badAnswer(ex)).toMatch(/expected any complete answer below 500$/);
    } finally {
      await server.close();
    }
  }
});

test('through the CLI, a receiver pushcheck launched is restarted after each input that kills it, and the input shrunk', async () => {
  const report = join(scratch(), 'report');
  const serveCmd = `exec '${process.execPath}' '${join(ROOT, 'bin', 'pushcheck.js')}' serve eye4 --faulty crash-on-malformed --port $PORT --guid ${GUID}`;
  const r = await pushcheck(
    [
      ...['run', '--profile', 'eye4', '--guid', GUID, '--receiver-cmd', serveCmd],
      ...['--receiver-path', ALARM_PATH, '--grep', 'eye4\\.alarm\\.acked', '--fuzz', '20', '--seed', '1'],
      ...['--report', report],
    ],
    report,
  );
  const out = r.stdout + r.stderr;
  expect(out).toMatch(/fuzz: FAILED after/);
  expect(out).toMatch(
    /it kills the receiver: pushcheck restarted the receiver it launched \d+ times to shrink it/,
  );
  const finding = (JSON.parse(readFileSync(join(report, 'fuzz.json'), 'utf8')) as FuzzReport).finding;
  expect(finding?.restarts).toBeGreaterThan(0);
  expect(finding?.bodyBytes).toBeLessThan(finding?.firstBodyBytes ?? 0);
  expect(out).not.toContain(GUID);
});
