/**
 * `pushcheck emulate controlid`: a simulated device polls your push server as a real one does, executes what
 * it is given and posts the results, printing each step. Bounded: `--polls` turns, each draining at most
 * `--max-commands` chained commands, `--period` seconds apart.
 */
import { integerOption, usage } from '../../core/errors.ts';
import type { OptionValues, ProfileCommand } from '../../core/profile.ts';
import { DEFAULT_REQUEST_PERIOD_S } from './codec.ts';
import { baseUrlOption, deviceIdOption, requestTimeoutOption } from './profile.ts';

/** `pushcheck emulate controlid`: pushcheck as a device, against the push server under test. */
export const emulateCommand: ProfileCommand = {
  options: {
    target: { type: 'string' },
    'device-id': { type: 'string' },
    polls: { type: 'string' },
    period: { type: 'string' },
    'request-timeout': { type: 'string' },
    'max-commands': { type: 'string' },
  },
  help: `  pushcheck emulate controlid --target URL [--device-id N] [--polls N] [--period S]
                    [--request-timeout MS] [--max-commands N]
                                     play a Control iD device against your push server`,
  run: emulate,
};

/** Plays the device with the parsed options; resolves with the exit code. */
async function emulate(values: OptionValues): Promise<number> {
  // The device loads when the command runs: the profile table is loaded by every command.
  const { DeviceSender } = await import('./sender.ts');
  const base = baseUrlOption(values.target, '--target');
  const polls = integerOption(values.polls, 'polls', 1, 1, 100_000);
  const periodS = integerOption(values.period, 'period', DEFAULT_REQUEST_PERIOD_S, 0, 86_400);
  const maxCommands = integerOption(values['max-commands'], 'max-commands', 100, 0, 10_000);
  const device = new DeviceSender({
    base,
    deviceId: deviceIdOption(values),
    requestTimeoutMs: requestTimeoutOption(values),
  });
  let stopped = false;
  let wake: () => void = () => {};
  const stop = () => {
    stopped = true;
    wake();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let failures = 0;
  try {
    console.log(`device ${device.deviceId} polling ${base}/push`);
    for (let turn = 1; turn <= polls && !stopped; turn++) {
      const done = await device.cycle(maxCommands, (line) => console.log(line));
      const first = done[0];
      if (turn === 1 && first?.exchange.response === undefined) {
        usage(`cannot poll ${base}/push: ${first?.exchange.error ?? 'no response'}. Is the server running?`);
      }
      failures += done.filter((p) => p.answer.kind === 'invalid').length;
      if (turn < polls && !stopped) {
        await new Promise<void>((r) => {
          const timer = setTimeout(r, periodS * 1000);
          wake = () => {
            clearTimeout(timer);
            r();
          };
        });
      }
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  console.log(failures ? `${failures} answers a device cannot use` : 'done');
  return failures ? 1 : 0;
}
