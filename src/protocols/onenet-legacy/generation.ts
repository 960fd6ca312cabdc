/**
 * Which OneNET generation a receiver speaks. The two share the verification GET, so a receiver of the other
 * generation passes the preflight and then fails every push: a Studio push carries `signature`, a legacy one
 * `msg_signature`. When the profile's own genuine push is not acked and the other generation's is, the run says
 * so before the cases, rather than leaving the user with a page of failures.
 */
import type { RunConfig } from '../../core/config.ts';
import { send } from '../../core/http.ts';
import { createRng } from '../../core/rng.ts';
import { OneNetSender } from '../onenet/sender.ts';
import { LegacySender } from './sender.ts';

/**
 * How long a probe waits: a receiver refuses another generation's push at once, and a slow receiver must not
 * hold up the cases (whose deadlines judge it) by more than this.
 */
const PROBE_DEADLINE_MS = 1000;

export type Generation = 'onenet' | 'onenet-legacy';

const NAMES: Record<Generation, string> = {
  onenet: 'OneNET Studio generation',
  'onenet-legacy': 'older OneNET generation',
};

/** The run's keys: a genuine push of the profile's own generation is sent in the run's mode. */
export interface Keys {
  token: string;
  aesKey?: string | undefined;
  encodingAesKey?: string | undefined;
}

/** A genuine push of `generation`, as its platform sends it, signed with the run's token (plain for the other). */
function genuinePush(generation: Generation, keys: Keys, run: RunConfig): string {
  const rng = createRng(run.seed, `pushcheck generation probe ${generation}`);
  const { token } = keys;
  const { runTag } = run;
  return generation === 'onenet'
    ? new OneNetSender({ token, aesKey: keys.aesKey, runTag, rng }).push('property').json
    : new LegacySender({ token, encodingAesKey: keys.encodingAesKey, runTag, rng }).push('datapoint').json;
}

/** 'acked', 'refused' (a complete answer other than 200), or 'silent' (no complete answer in time). */
async function answer(run: RunConfig, body: string): Promise<'acked' | 'refused' | 'silent'> {
  const ex = await send({
    method: 'POST',
    url: run.target,
    headers: { 'content-type': 'application/json' },
    body,
    label: 'generation probe',
    deadlineMs: Math.min(PROBE_DEADLINE_MS, run.deadlineMs),
    ...(run.tls !== undefined ? { tls: run.tls } : {}),
  });
  if (ex.error !== undefined || ex.response === undefined) return 'silent';
  return ex.response.status === 200 ? 'acked' : 'refused';
}

/**
 * A sentence naming the other generation when `run`'s receiver refuses a genuine push of `own` and acks the
 * other's; undefined otherwise. One push when the receiver acks its own generation's or answers it late (a
 * slow receiver is the cases' finding, and a second wait would only delay them), two at most.
 */
export async function otherGeneration(
  own: Generation,
  run: RunConfig,
  keys: Keys,
): Promise<string | undefined> {
  if ((await answer(run, genuinePush(own, keys, run))) !== 'refused') return undefined;
  const other: Generation = own === 'onenet' ? 'onenet-legacy' : 'onenet';
  if ((await answer(run, genuinePush(other, { token: keys.token }, run))) !== 'acked') return undefined;
  return `this receiver acks pushes of the ${NAMES[other]} and not of the ${NAMES[own]}: try --profile ${other}`;
}
