/** `pushcheck send controlid` and `pushcheck listen controlid`: pushcheck as the device, and as the push server. */
import { randomInt } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { FaultyDeviceName } from '../../../mocks/controlid/faulty-devices.ts';
import { integerOption, stringOption, timeScaleOption, usage } from '../../core/errors.ts';
import type { ProfileCommand } from '../../core/profile.ts';
import { createRng } from '../../core/rng.ts';
import { DEFAULT_REQUEST_PERIOD_S } from './codec.ts';
import { baseUrlOption, deviceIdOption, periodOption, requestTimeoutOption } from './options.ts';

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
    'device-id': { type: 'string' },
    period: { type: 'string' },
    'time-scale': { type: 'string' },
    count: { type: 'string' },
    duration: { type: 'string' },
    'request-timeout': { type: 'string' },
    seed: { type: 'string' },
    faulty: { type: 'string' },
  },
  help: `  pushcheck send controlid --target URL [--device-id N] [--period S] [--time-scale F] [--count N]
                          [--duration S] [--request-timeout MS] [--faulty NAME]
      plays a device in Push mode against your push server: polls URL/push every push_request_period,
      executes each command, posts its result with the poll's uuid and polls again at once; prints every
      poll and result with its latency. Exit 0 when every answer was one a device can work with.
    --period S         push_request_period (default ${DEFAULT_REQUEST_PERIOD_S})
    --time-scale F     compresses the period (0.01: 60 s becomes 600 ms); request timeouts are not scaled
    --count N          polls to make (default 5); --duration S stops it sooner (default 3600)
    --faulty NAME      poll like a faulty device (\`--faulty help\` lists them), to try a grader`,
  async run(values) {
    // The command's machinery loads when it runs: every process that lists the profiles loads this file.
    const [{ faultyDeviceBehaviour, faultyDevices }, { sendAsDevice }] = await Promise.all([
      import('../../../mocks/controlid/faulty-devices.ts'),
      import('./send.ts'),
    ]);
    const faulty = stringOption(values.faulty);
    if (faulty === 'help') {
      for (const [n, f] of Object.entries(faultyDevices)) console.log(`  ${n.padEnd(26)} ${f.defect}`);
      return 0;
    }
    if (faulty !== undefined && !(faulty in faultyDevices)) {
      usage(`unknown faulty device "${faulty}"; \`pushcheck send controlid --faulty help\` lists them`);
    }
    const base = baseUrlOption(values.target, '--target');
    const deviceId = deviceIdOption(values);
    const periodS = periodOption(values.period);
    const timeScale = timeScaleOption(values['time-scale'], 'time-scale', 1);
    const seed = integerOption(values.seed, 'seed', randomInt(0, 2 ** 31));
    console.log(
      `device ${deviceId} polling ${base}/push every ${periodS} s${timeScale === 1 ? '' : ` (× ${timeScale}: ${Math.round(periodS * 1000 * timeScale)} ms)`}`,
    );
    const played = await sendAsDevice({
      base,
      deviceId,
      requestTimeoutMs: requestTimeoutOption(values),
      periodS,
      timeScale,
      count: integerOption(values.count, 'count', 5, 1, 100_000),
      durationMs: integerOption(values.duration, 'duration', 3600, 1, 86_400) * 1000,
      rng: createRng(seed, 'pushcheck send controlid'),
      ...(faulty ? { behaviour: faultyDeviceBehaviour(faulty as FaultyDeviceName) } : {}),
      log: (line) => console.log(line),
      stop: interrupted(),
    });
    if (played.unreachable !== undefined) {
      usage(`cannot poll ${base}/push: ${played.unreachable}. Is the push server running?`);
    }
    for (const p of played.problems) console.log(`  problem: ${p}`);
    console.log(
      `${played.polls} polls, ${played.results} results posted, ${played.problems.length} answers a device cannot work with`,
    );
    return played.problems.length === 0 ? 0 : 1;
  },
};

export const listenCommand: ProfileCommand = {
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    period: { type: 'string' },
    'time-scale': { type: 'string' },
    chain: { type: 'string' },
    count: { type: 'string' },
    duration: { type: 'string' },
    'request-timeout': { type: 'string' },
    report: { type: 'string' },
    strict: { type: 'boolean' },
  },
  help: `  pushcheck listen controlid --port P [--period S] [--time-scale F] [--chain N] [--count N]
                            [--duration S] [--request-timeout MS] [--report DIR] [--strict]
      plays the push server (point the device's push_remote_address at the URL it prints) and grades the
      device: deviceId on every poll and result, a result after every command with the poll's uuid, a poll
      at once after each result, and push_request_period (--period, scaled) between idle polls. Hands out
      --chain commands (default 2) on the first poll and after every two idle polls; ends at the first
      idle poll after --count polls (default 7), after --duration seconds (default 600), or at Ctrl-C.`,
  async run(values) {
    const [{ listenDevice, repollLimitMs }, { finishListen }] = await Promise.all([
      import('./listen.ts'),
      import('../../report/listen.ts'),
    ]);
    const periodS = periodOption(values.period);
    const scale = timeScaleOption(values['time-scale'], 'time-scale', 1);
    const chain = integerOption(values.chain, 'chain', 2, 1, 100);
    const count = integerOption(values.count, 'count', 7, 1, 100_000);
    const requestTimeoutMs = requestTimeoutOption(values);
    const reportDir = resolve(stringOption(values.report) ?? join('reports', 'controlid-device'));
    const startedAt = new Date();
    const result = await listenDevice({
      host: stringOption(values.host) ?? '127.0.0.1',
      port: integerOption(values.port, 'port', 0, 0, 65_535),
      periodS,
      timeScale: scale,
      chain,
      count,
      durationMs: integerOption(values.duration, 'duration', 600, 1, 86_400) * 1000,
      requestTimeoutMs,
      log: (line) => console.log(line),
      onListening: (url) =>
        console.log(
          `pushcheck listen controlid: set the device's push_remote_address to ${url} (it polls ${url}/push)`,
        ),
      stop: interrupted(),
    }).catch((err: NodeJS.ErrnoException) =>
      usage(`cannot listen: ${err.code === 'EADDRINUSE' ? 'the port is in use' : err.message}`),
    );
    const periodMs = periodS * 1000 * scale;
    return finishListen({
      dir: reportDir,
      profile: 'controlid-device',
      label: 'device under test',
      target: `the device that polled pushcheck listen (${result.requests} requests from ${result.devices} device ids)`,
      mode: null,
      settings: {
        periodS,
        timeScale: scale,
        chain,
        count,
        repollLimitMs: repollLimitMs(periodMs),
        requestTimeoutMs,
      },
      strict: values.strict === true,
      deadlineMs: requestTimeoutMs,
      startedAt,
      durationMs: result.durationMs,
      cases: result.cases,
      secrets: [],
    });
  },
};
