/** `pushcheck send onenet` and `pushcheck listen onenet`: the two directions of the retry issue. */
import { randomInt } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { FaultySenderName } from '../../../mocks/onenet/faulty-senders.ts';
import { redact } from '../../core/config.ts';
import {
  integerOption,
  positiveNumberOption,
  stringOption,
  timeScaleOption,
  usage,
} from '../../core/errors.ts';
import type { OptionValues, ProfileCommand } from '../../core/profile.ts';
import type { Respond } from './listen.ts';
import { keyOption, requiredToken, STUDIO_KEY } from './options.ts';

function secretsOf(values: OptionValues): { token: string; aesKey?: string } {
  const token = requiredToken(values, process.env, 'the token of the push instance');
  const aesKey = keyOption(values, process.env, STUDIO_KEY);
  return { token, ...(aesKey !== undefined ? { aesKey } : {}) };
}

/** Stops on Ctrl-C or SIGTERM. */
function interrupted(): Promise<void> {
  return new Promise((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
}

export const sendCommand: ProfileCommand = {
  options: {
    target: { type: 'string' },
    token: { type: 'string' },
    'aes-key': { type: 'string' },
    count: { type: 'string' },
    rate: { type: 'string' },
    'time-scale': { type: 'string' },
    'ack-deadline': { type: 'string' },
    seed: { type: 'string' },
    faulty: { type: 'string' },
  },
  help: `  pushcheck send onenet --target URL --token TOKEN [--aes-key KEY] [--count N] [--rate R] [--time-scale F]
      pushes as the platform does, retrying each push not acked with 200 within 5 s at 5s, 10s, 30s,
      1m … 1h (16 retries), same id; prints every attempt. Exit 0 when every message was delivered.
    --count N          messages to send (default 1)
    --rate R           new messages per second (default 1)
    --time-scale F     compresses the retry schedule (0.001: the whole 2 h 45 min in about 10 s)
    --ack-deadline MS  the ack deadline of each attempt (default 5000, not scaled)
    --faulty NAME      send like a faulty sender (\`--faulty help\` lists them), to try a grader`,
  async run(values) {
    // The command's machinery loads when it runs: every process that lists the profiles loads this file.
    const [{ faultySenderBehaviour, faultySenders }, { sendMessages }] = await Promise.all([
      import('../../../mocks/onenet/faulty-senders.ts'),
      import('./send.ts'),
    ]);
    const faulty = stringOption(values.faulty);
    if (faulty === 'help') {
      for (const [n, f] of Object.entries(faultySenders)) console.log(`  ${n.padEnd(24)} ${f.defect}`);
      return 0;
    }
    if (faulty !== undefined && !(faulty in faultySenders)) {
      usage(`unknown faulty sender "${faulty}"; \`pushcheck send onenet --faulty help\` lists them`);
    }
    const target = stringOption(values.target);
    if (!target || !/^https?:\/\//.test(target)) usage('--target URL is required: the receiver to push to');
    const secrets = secretsOf(values);
    const log = (line: string) => console.log(redact(line, Object.values(secrets)));
    const sent = await sendMessages({
      target,
      ...secrets,
      count: integerOption(values.count, 'count', 1, 1, 100_000),
      rate: positiveNumberOption(values.rate, 'rate', 1),
      timeScale: timeScaleOption(values['time-scale'], 'time-scale', 1),
      deadlineMs: integerOption(values['ack-deadline'], 'ack-deadline', 5000, 1, 60_000),
      seed: integerOption(values.seed, 'seed', randomInt(0, 2 ** 31)),
      ...(faulty ? { behaviour: faultySenderBehaviour(faulty as FaultySenderName) } : {}),
      log,
    });
    const dropped = sent.filter((m) => !m.delivery.delivered).length;
    const attempts = sent.reduce((n, m) => n + m.delivery.attempts.length, 0);
    console.log(`${sent.length - dropped} delivered, ${dropped} dropped, ${attempts} attempts in all`);
    return dropped === 0 ? 0 : 1;
  },
};

function respondOf(value: unknown): Respond {
  const v = stringOption(value) ?? 'ok';
  if (v === 'ok' || v === '500' || v === 'timeout') return { kind: v };
  const m = /^fail-first=(\d{1,2})$/.exec(v);
  if (m) return { kind: 'fail-first', n: Number(m[1]) };
  return usage(`--respond must be ok, 500, timeout or fail-first=N (N up to 99), got "${v}"`);
}

export const listenCommand: ProfileCommand = {
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    token: { type: 'string' },
    'aes-key': { type: 'string' },
    respond: { type: 'string' },
    'time-scale': { type: 'string' },
    count: { type: 'string' },
    duration: { type: 'string' },
    report: { type: 'string' },
    strict: { type: 'boolean' },
  },
  help: `  pushcheck listen onenet --port P --token TOKEN [--aes-key KEY] [--respond ok|500|timeout|fail-first=N]
                        [--time-scale F] [--count N] [--duration S] [--report DIR] [--strict]
      plays the receiver and grades the sender that pushes to it: body, signature (and which mistake),
      time in ms, unique ids, secure-mode encryption, and with failures forced, its retries against the
      schedule. Ends after --count messages have settled, after --duration seconds (default 600), or at
      Ctrl-C, with a report; exit codes as for run.`,
  async run(values) {
    const [{ listen }, { finishListen }] = await Promise.all([
      import('./listen.ts'),
      import('../../report/listen.ts'),
    ]);
    const secrets = secretsOf(values);
    const respond = respondOf(values.respond);
    const scale = timeScaleOption(values['time-scale'], 'time-scale', 1);
    const count =
      values.count === undefined ? undefined : integerOption(values.count, 'count', 1, 1, 100_000);
    const reportDir = resolve(stringOption(values.report) ?? join('reports', 'onenet-sender'));
    const strict = values.strict === true;
    const redactLine = (line: string) => redact(line, Object.values(secrets));
    const startedAt = new Date();
    const stop = interrupted();
    const result = await listen({
      host: stringOption(values.host) ?? '127.0.0.1',
      port: integerOption(values.port, 'port', 0, 0, 65_535),
      ...secrets,
      respond,
      timeScale: scale,
      count,
      durationMs: integerOption(values.duration, 'duration', 600, 1, 86_400) * 1000,
      holdMs: 6000,
      log: (line) => console.log(redactLine(line)),
      onListening: (url) => console.log(`pushcheck listen onenet: point the sender at ${url}`),
      stop,
    }).catch((err: NodeJS.ErrnoException) =>
      usage(`cannot listen: ${err.code === 'EADDRINUSE' ? 'the port is in use' : err.message}`),
    );
    return finishListen({
      dir: reportDir,
      profile: 'onenet-sender',
      label: 'sender under test',
      target: `the sender that pushed to pushcheck listen (${result.requests} requests, ${result.messages} messages)`,
      mode: secrets.aesKey ? 'secure mode' : null,
      settings: { respond: stringOption(values.respond) ?? 'ok', timeScale: scale, count: count ?? null },
      strict,
      deadlineMs: 5000,
      startedAt,
      durationMs: result.durationMs,
      cases: result.cases,
      secrets: Object.values(secrets),
    });
  },
};
