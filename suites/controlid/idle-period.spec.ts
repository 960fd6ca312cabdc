/**
 * A command queued while its device is idle (controlid.command.survives-idle-period): the device polls, then is
 * silent for a whole push_request_period while other devices poll, and must get the command at its next poll.
 * The wait is the server's clock, which cannot be compressed, so the case holds a lock of its own and runs
 * beside the run's other cases, on device ids of its own, in a worker the run adds for it (decisions/023).
 */
import { describeResponse, fail, notAssessed, recordMetrics } from '../../src/core/case.ts';
import { caseTimeoutMs, runLock } from '../../src/core/config.ts';
import { requirements } from '../../specs/controlid/requirements.ts';
import { type Command, describeAnswer, isSameCommand } from '../../src/protocols/controlid/codec.ts';
import { idleDevices, type LoggedReset, loggedResets, resetLog, test } from './fixtures.ts';
import { defineConformance } from '../fixtures.ts';

const conformance = defineConformance<Parameters<typeof test>[2], typeof requirements>(
  test,
  'controlid',
  requirements,
  { lock: (runIndex) => `${runLock(runIndex)}-beside` },
);

/** How often the other device polls during the gap: often enough that a sweep run on polls runs many times. */
function otherPollEveryMs(periodMs: number): number {
  return Math.min(5_000, Math.max(250, Math.round(periodMs / 6)));
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/** At most this many gaps: a second only when resets of other cases may have taken the first gap's command. */
const ATTEMPTS = 2;

conformance(
  'controlid.command.survives-idle-period',
  async ({ deviceAs, queue, settings, run }, testInfo) => {
    const periodMs = settings.periodS * 1000;
    // The gaps are the case's own wait; the usual limit covers the requests around them.
    testInfo.setTimeout(ATTEMPTS * periodMs + caseTimeoutMs(run));
    const { idle, other } = idleDevices(run);
    const device = deviceAs(idle);
    const neighbour = deviceAs(other);
    const every = otherPollEveryMs(periodMs);
    const command: Command = {
      verb: 'POST',
      endpoint: 'load_objects',
      body: { object: 'users', where: { users: { registration: `idle-${run.runTag}` } } },
      contentType: 'application/json',
    };
    let last = await device.poll(`poll as device ${idle}, nothing queued yet`);
    if (last.answer.kind !== 'empty') {
      notAssessed(
        `the idle device's first poll, before anything was queued for it, got no empty response (${describeAnswer(last.answer)}): see controlid.poll.unknown-device-empty`,
      );
    }
    for (let attempt = 1; ; attempt++) {
      const lastPolledAt = Date.now();
      await queue(idle, command);
      const queuedAt = Date.now();
      // Other devices keep polling, as in the field: a server that sweeps idle devices on any request sweeps now.
      let otherPolls = 0;
      let stolen = false;
      for (let next = lastPolledAt + every; next < lastPolledAt + periodMs - every / 2; next += every) {
        await sleep(next - Date.now());
        const p = await neighbour.poll(
          `poll as device ${other}, another device, while device ${idle} is idle`,
        );
        stolen ||= p.answer.kind === 'command' && isSameCommand(command, p.answer.command);
        otherPolls++;
      }
      await sleep(lastPolledAt + periodMs - Date.now());
      const polledAt = Date.now();
      last = await device.poll(`poll as device ${idle}, a full period (${settings.periodS} s) later`);
      const gapMs = polledAt - lastPolledAt;
      // What the case cost: the run lasts at least this long, whatever the other cases take.
      recordMetrics({ idleGapMs: gapMs, periodMs, otherDevicePolls: otherPolls, gaps: attempt });
      if (last.answer.kind === 'command' && isSameCommand(command, last.answer.command)) {
        await device.complete(last);
        return;
      }
      // Other cases reset the server meanwhile, asking it to keep this device's commands: blame the server only
      // when none did, or the hook was seen to keep them; otherwise wait one more period, when they are likely done.
      const doubtful = loggedResets(resetLog(testInfo, run)).filter(
        (r: LoggedReset) => r.answeredAt >= queuedAt && r.sentAt <= polledAt && r.keep !== 'kept',
      );
      // Handed to another device, it was not taken by a reset.
      if (doubtful.length === 0 || stolen) {
        fail(
          `a command queued while its device was idle was not delivered at the device's next poll, ${Math.round(gapMs / 100) / 10} s after its last`,
          `the command ${JSON.stringify(command)}, at the first poll after a period of ${settings.periodS} s (push_request_period)`,
          `${describeResponse(last.exchange)}: ${describeAnswer(last.answer)}${stolen ? `; device ${other}, polling meanwhile, was handed it instead` : ''}`,
        );
      }
      if (attempt === ATTEMPTS || last.answer.kind !== 'empty') {
        notAssessed(
          `the command queued for the idle device was not delivered (${describeAnswer(last.answer)}), but ${doubtful.length} reset(s) of other cases came in the gap and the state hook was not seen to keep the commands of the devices named in "keep": give the "reset" state its "keep" (specs/controlid/openapi.yaml), or run this case alone (--grep idle-period)`,
        );
      }
    }
  },
);
