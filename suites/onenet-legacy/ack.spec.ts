/** Ack timing (the legacy SDKs): HTTP 200 within 5 s, measured to the last byte and cut at 5 s. */
import { ackCases } from '../onenet-common/ack.ts';
import { family, settings } from './fixtures.ts';

ackCases(family, {
  size: (run) => settings(run).burst,
  push: (sender, i) => sender.push(i % 2 ? 'datapoint' : 'status'),
});
