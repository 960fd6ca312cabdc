/**
 * The preflight tells a wrong target from a non-conformant receiver before any case: a target answering 404,
 * a port speaking something else than HTTP, and one that accepts connections and never answers each end the
 * run at once with one sentence and exit 2, no report written; `--no-preflight` runs the cases anyway. It
 * blocks a 404 in every profile, and lets every profile's reference receivers through.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { RunConfig } from '../src/core/config.ts';
import { UsageError } from '../src/core/errors.ts';
import {
  classify,
  classifyFinal,
  preflightTarget,
  printable,
  sendFirst,
  verdict,
} from '../src/core/preflight.ts';
import type { FirstRequest } from '../src/core/profile.ts';
import { HOSTILE, type HostileName, startHostile } from '../mocks/hostile/receivers.ts';
import { createRng } from '../src/core/rng.ts';
import { PROFILES } from '../src/profiles.ts';
import { onenetRun, pushcheck, scratch, TOKEN } from './helpers.ts';

/** OneNET's deadline: the silent target's runs wait it out once. */
const DEADLINE_MS = 5000;
/** The Done-when bounds of issue 16: a wrong target ends within 5 s; a silent one within its deadline + 2 s. */
const AT_ONCE_MS = 5000;
const SILENT_EXTRA_MS = 2000;

interface Loopback {
  origin: string;
  close(): Promise<void>;
}

/** An HTTP server answering 404 to every request, as a server does to a path it does not serve. */
async function notFound(): Promise<Loopback> {
  const server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('404 page not found\n');
  });
  return listening(server);
}

/** A TCP server that treats every connection with `accept`, and closes those still open when it closes. */
async function tcp(accept: (socket: Socket) => void): Promise<Loopback> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    accept(socket);
  });
  const up = await listening(server);
  return {
    origin: up.origin,
    close: async () => {
      for (const s of sockets) s.destroy();
      await up.close();
    },
  };
}

async function listening(server: Server | http.Server): Promise<Loopback> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** An SSH server's greeting: the bytes a user meets who gave the wrong port. */
const SSH_BANNER = 'SSH-2.0-OpenSSH_9.6\r\n';

const BAD_TARGETS = {
  'answering 404': {
    start: notFound,
    sentence: (t: string) =>
      `pushcheck: ${t} answered 404 to the verification GET: is the path in --target right? (--no-preflight runs the cases anyway)`,
  },
  'speaking SSH': {
    start: () =>
      tcp((s) => {
        s.write(SSH_BANNER);
        s.resume();
      }),
    sentence: (t: string) =>
      `pushcheck: ${t} answered the verification GET with bytes that are not HTTP ("SSH-2.0-OpenSSH_9.6\\r\\n"): is this port your receiver's HTTP port? (--no-preflight runs the cases anyway)`,
  },
  'that is silent': {
    // Reads the request and never writes nor closes.
    start: () => tcp((s) => s.resume()),
    sentence: (t: string) =>
      `pushcheck: ${t} accepted the connection but sent nothing within ${DEADLINE_MS} ms of the verification GET: is the receiver stuck or slower than the platform's deadline, or is this port not its HTTP port? (--no-preflight runs the cases anyway)`,
  },
} as const;

const onenet = (target: string, dir: string) => onenetRun(target, ['--report', dir]);

/**
 * How long a run refused at once (bad usage) takes now, with `env`: what any run costs before its first
 * request. On a loaded machine that alone can take seconds, so the bounds below are on the time beyond it.
 */
async function startUp(env: NodeJS.ProcessEnv): Promise<number> {
  const r = await pushcheck(
    ['run', '--profile', 'onenet', '--target', 'http://127.0.0.1:1/x'],
    undefined,
    env,
  );
  expect(r.stderr).toContain('--token is required');
  return r.ms;
}

for (const [name, bad] of Object.entries(BAD_TARGETS)) {
  test(`a target ${name} ends the run before any case: one sentence, exit 2, no report`, async () => {
    const server = await bad.start();
    try {
      const dir = join(scratch(), 'report');
      const target = `${server.origin}/onenet`;
      // A temporary folder of the run's own, to show it leaves nothing there. The start-up run fills tsx's
      // compile cache in it first, as the usual temporary folder has it filled.
      const env = { TMPDIR: scratch() };
      await startUp(env);
      const base = await startUp(env);
      // Playwright's runner starts while the target is checked, and may fill its compile cache meanwhile: a cache
      // every run fills and reuses, not a file of this run's.
      const ours = () => readdirSync(env.TMPDIR).filter((f) => !f.startsWith('playwright-transform-cache'));
      const before = ours();
      const r = await pushcheck(onenet(target, dir), dir, env);
      test.info().annotations.push({ type: 'wall time', description: `${r.ms} ms` });
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toEqual([bad.sentence(target)]);
      expect(r.stderr).not.toContain('    at ');
      expect(r.stderr).not.toContain(TOKEN);
      expect(r.stdout, 'nothing else printed, no case run').toBe('');
      expect(existsSync(dir), 'no report written').toBe(false);
      expect(ours(), 'no temporary file left').toEqual(before);
      test.info().annotations.push({ type: 'start-up', description: `${base} ms` });
      if (name === 'that is silent') {
        // It waited the deadline once, and ended within 2 s of it beyond what starting pushcheck costs.
        expect(r.ms).toBeGreaterThanOrEqual(DEADLINE_MS);
        expect(r.ms - base).toBeLessThan(DEADLINE_MS + SILENT_EXTRA_MS);
      } else {
        expect(r.ms - base).toBeLessThan(AT_ONCE_MS);
      }
    } finally {
      await server.close();
    }
  });
}

test('--no-preflight runs the cases against a 404 target anyway: they fail, with a report', async () => {
  const server = await notFound();
  try {
    const dir = join(scratch(), 'report');
    const r = await pushcheck(
      [
        ...onenet(`${server.origin}/onenet`, dir),
        '--no-preflight',
        '--grep',
        'onenet\\.verify\\.echo-verbatim',
      ],
      dir,
    );
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.report?.cases.map((c) => [c.id, c.outcome])).toEqual([
      ['onenet.verify.echo-verbatim', 'failed'],
    ]);
    expect(r.report?.cases[0]?.actual).toMatch(/404/);
  } finally {
    await server.close();
  }
});

/** Each profile's `run` arguments but the target, with the options its first request needs. */
const PROFILE_ARGS: Record<string, string[]> = {
  onenet: ['--token', TOKEN],
  'onenet-legacy': ['--token', TOKEN],
  controlid: [],
  ekuiper: [],
  eye4: ['--guid', 'preflight-guid'],
  alertpush: [],
};

test('every profile is covered here', () => {
  expect(Object.keys(PROFILE_ARGS).sort()).toEqual(Object.keys(PROFILES).sort());
  for (const p of Object.values(PROFILES)) expect(p.firstRequest, p.name).toBeDefined();
});

test('a target answering 404 ends the run of every profile, naming its first request', async () => {
  const server = await notFound();
  try {
    for (const [profile, args] of Object.entries(PROFILE_ARGS)) {
      const dir = join(scratch(), 'report');
      const r = await pushcheck(
        ['run', '--profile', profile, '--target', `${server.origin}/base`, ...args, '--report', dir],
        dir,
      );
      expect(r.code, `${profile}: ${r.stdout}${r.stderr}`).toBe(2);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines, profile).toHaveLength(1);
      expect(lines[0], profile).toMatch(
        new RegExp(
          `^pushcheck: ${server.origin}/base\\S* answered 404 to .*\\(--no-preflight runs the cases anyway\\)$`,
        ),
      );
      expect(r.stderr).not.toContain('    at ');
      expect(existsSync(dir), `${profile}: no report written`).toBe(false);
    }
  } finally {
    await server.close();
  }
});

/** A run of `settings` against `target`, as the CLI hands the preflight. */
function runOf(profile: string, target: string, settings: unknown, tag: string): RunConfig {
  const p = PROFILES[profile];
  if (!p) throw new Error(profile);
  return {
    profile,
    target,
    settings,
    secrets: p.secrets(settings),
    seed: 7,
    runTag: tag,
    reportDir: '/nonexistent',
    strict: false,
    deadlineMs: p.deadlineOf?.(settings) ?? p.deadlineMs,
    observeTimeoutMs: 3000,
  };
}

test("every profile's reference receivers pass the preflight, and the same run against a 404 server does not", async () => {
  const dir = scratch('pushcheck-preflight-demo-');
  const server = await notFound();
  try {
    for (const profile of Object.values(PROFILES)) {
      const targets = await profile.demo(dir);
      try {
        for (const [i, t] of targets.entries()) {
          const tag = `${31_000_000 + i}`;
          const run = runOf(profile.name, t.target, t.settings, tag);
          await preflightTarget(profile, run);
          // What the receiver records of it carries a fresh marker of the run, which no case waits for: one
          // marker when the first request is a message (a push, an alarm, an alert), none for a GET.
          if (t.observeFile !== undefined) {
            const first = await profile.firstRequest?.(run.target, run.settings, {
              runTag: tag,
              rng: createRng(run.seed, 'pushcheck preflight'),
              deadlineMs: run.deadlineMs,
            });
            const expected = first?.body === undefined ? 0 : 1;
            const markers = () =>
              existsSync(t.observeFile ?? '')
                ? (readFileSync(t.observeFile ?? '', 'utf8').match(new RegExp(`pc${tag}[a-z0-9]{10}`, 'g')) ??
                  [])
                : [];
            for (let i = 0; i < 40 && markers().length < expected; i++)
              await new Promise((r) => setTimeout(r, 50));
            expect(markers().length, t.label).toBe(expected);
          }
          // The same settings with every URL of the receiver moved to the 404 server.
          const origin = new URL(t.target).origin;
          const moved = (s: string) =>
            s.replaceAll(origin, server.origin).replaceAll(/http:\/\/127\.0\.0\.1:\d+/g, server.origin);
          const settings = JSON.parse(moved(JSON.stringify(t.settings))) as unknown;
          const refused = preflightTarget(profile, runOf(profile.name, moved(t.target), settings, tag));
          await expect(refused, t.label).rejects.toThrow(UsageError);
          await expect(refused, t.label).rejects.toThrow(/answered 404 to/);
        }
      } finally {
        await Promise.all(targets.map((t) => t.close()));
      }
    }
  } finally {
    await server.close();
  }
});

test('the first bytes decide: a status line, its start, or anything else', () => {
  const b = (s: string) => Buffer.from(s, 'latin1');
  expect(classify(b('HTTP/1.1 404 Not Found\r\n'))).toEqual({ kind: 'status', status: 404 });
  expect(classify(b('HTTP/1.0 200\r\n'))).toEqual({ kind: 'status', status: 200 });
  expect(classify(b('HTTP/2 404 '))).toEqual({ kind: 'status', status: 404 });
  // Not yet decided: more bytes could make it a status line, or not.
  for (const partial of ['H', 'HTTP/', 'HTTP/1.1 4', 'HTTP/1.1 404'])
    expect(classify(b(partial)), partial).toBeUndefined();
  for (const other of [
    SSH_BANNER,
    '\x15\x03\x01\x00\x02\x02\x0a',
    'HTTP/1.1 4040 ',
    'http/1.1 200 ',
    '<html>',
  ]) {
    expect(classify(b(other))?.kind, other).toBe('not-http');
  }
  // Once nothing more comes.
  expect(classifyFinal(b('HTTP/1.1 404'))).toEqual({ kind: 'status', status: 404 });
  expect(classifyFinal(b('HTTP/1.1 2')).kind).toBe('other');
  expect(classifyFinal(b('')).kind).toBe('other');
  expect(printable(b(SSH_BANNER))).toBe('SSH-2.0-OpenSSH_9.6\\r\\n');
  expect(printable(Buffer.from([0x16, 0x03, 0x01, 0x22, 0x5c]))).toBe('\\x16\\x03\\x01\\"\\\\');
  expect(printable(b('x'.repeat(100)))).toBe(`${'x'.repeat(32)}…`);
});

test('any other answer lets the run go on; a refused connection says so', async () => {
  const req = (url: string): FirstRequest => ({
    what: 'the verification GET',
    option: '--target',
    method: 'GET',
    url,
    deadlineMs: 2000,
  });
  for (const status of [200, 204, 401, 500]) {
    const server = await listening(http.createServer((_, res) => res.writeHead(status).end('no')));
    try {
      const answer = await sendFirst(req(`${server.origin}/x`));
      expect(answer).toEqual({ kind: 'status', status });
      expect(verdict(req(`${server.origin}/x`), answer)).toBeUndefined();
    } finally {
      await server.close();
    }
  }
  // A close without a word is the receiver's fault for the cases to show, not a wrong target.
  const closing = await tcp((s) => s.destroy());
  try {
    const answer = await sendFirst(req(`${closing.origin}/x`));
    expect(verdict(req(`${closing.origin}/x`), answer)).toBeUndefined();
  } finally {
    await closing.close();
  }
  const gone = await listening(createServer());
  await gone.close();
  const refused = await sendFirst(req(`${gone.origin}/x`));
  expect(refused).toEqual({ kind: 'refused' });
  expect(verdict(req(`${gone.origin}/x`), refused)).toBe(
    `cannot reach ${gone.origin}: connection refused. Is the receiver running, and is --target right?`,
  );
});

/** The hostile receivers the preflight stops: the rest answer in some way, which the cases then judge. */
const STOPPED: Partial<Record<HostileName, RegExp>> = {
  'never-answers': /accepted the connection but sent nothing within 2000 ms/,
  silent: /accepted the connection but sent nothing within 2000 ms/,
  'not-http': /with bytes that are not HTTP \("/,
};

test('of the hostile receivers, the preflight stops those that say nothing or no HTTP, and no other', async () => {
  for (const name of Object.keys(HOSTILE) as HostileName[]) {
    const receiver = await startHostile(name);
    try {
      const req: FirstRequest = {
        what: 'the verification GET',
        option: '--target',
        method: 'GET',
        url: `${receiver.url}?msg=x`,
        deadlineMs: 2000,
      };
      const said = verdict(req, await sendFirst(req, { insecure: true }));
      const expected = STOPPED[name];
      if (expected) expect(said, name).toMatch(expected);
      else expect(said, name).toBeUndefined();
      expect(receiver.offTargetRequests(), name).toBe(0);
    } finally {
      await receiver.close();
    }
  }
});

test('the sentence never shows a secret, not even one the receiver echoes back', async () => {
  // A port that echoes what it reads: the request line, with a guid put in the path, comes back as not HTTP.
  const echo = await tcp((s) => s.pipe(s));
  try {
    const guid = 'echoed-guid-4242';
    const profile = PROFILES.eye4;
    if (!profile) throw new Error('no eye4 profile');
    const run = runOf('eye4', `${echo.origin}/cb/${guid}`, { guid }, '31000009');
    const refused = preflightTarget(profile, run);
    await expect(refused).rejects.toThrow(/with bytes that are not HTTP \("POST \/cb\/\[REDACTED\] HTTP/);
    await expect(refused).rejects.toThrow(new RegExp(`^${echo.origin}/cb/\\[REDACTED\\] answered`));
    await expect(refused).rejects.not.toThrow(guid);
  } finally {
    await echo.close();
  }
});
