/**
 * Bad input (the documents are silent: pushcheck's interpretation, never above SHOULD), and the MUST that
 * follows from the ack requirement: after any bad input, the next genuine push is still acked.
 */

import type { OneNetCaseId } from '../../specs/onenet/requirements.ts';
import type { OneNetSender } from '../../src/protocols/onenet/sender.ts';
import { type BadInput, robustnessCases } from '../onenet-common/robustness.ts';
import { family } from './fixtures.ts';

const HUGE_BYTES = 4 * 1024 * 1024;
/** Uploading 4 MiB may itself take seconds on a real link: that answer is not held to the 5 s deadline. */
const HUGE_DEADLINE_MS = 30_000;

const BAD_INPUTS: BadInput<OneNetCaseId, OneNetSender>[] = [
  {
    id: 'onenet.robust.bad-json',
    label: 'a body that is not JSON',
    send: (t, s) => t.post(`${s.push('property').json.slice(0, 40)}`, 'truncated JSON body'),
  },
  {
    id: 'onenet.robust.missing-fields',
    label: 'a push without signature and nonce',
    send: (t, s) => {
      const { msg, time, id } = s.push('property').body;
      return t.post(JSON.stringify({ msg, time, id }), 'push without signature and nonce');
    },
  },
  {
    id: 'onenet.robust.wrong-types',
    label: 'a push with msg as an object and time as a string',
    send: (t, s) => {
      const p = s.push('property');
      return t.post(
        JSON.stringify({ ...p.body, msg: p.payload, time: String(p.body.time) }),
        'push with wrong types',
      );
    },
  },
  {
    id: 'onenet.robust.huge-body',
    label: 'a 4 MiB body',
    send: (t, s) => {
      const p = s.push('property');
      const pad = 'x'.repeat(HUGE_BYTES);
      return t.post(JSON.stringify({ ...p.body, padding: pad }), '4 MiB push', {
        deadlineMs: HUGE_DEADLINE_MS,
      });
    },
  },
  {
    id: 'onenet.robust.no-content-type',
    label: 'a genuine push without a Content-Type',
    send: (t, s) => t.post(s.push('property').json, 'genuine push, no Content-Type', { headers: {} }),
  },
  {
    id: 'onenet.robust.empty-body',
    label: 'an empty POST',
    send: (t) => t.post('', 'empty POST'),
  },
];

robustnessCases(family, BAD_INPUTS, (sender) => sender.push('lifeCycle'));
