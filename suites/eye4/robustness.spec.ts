/** Bad input (the documents are silent: pushcheck's interpretation, never above SHOULD). */
import { expectNoServerError } from '../../src/core/case.ts';
import type { Eye4Sender } from '../../src/protocols/eye4/sender.ts';
import { conformance } from './fixtures.ts';

/** Malformed alarm bodies, each sent with the genuine guid so that the receiver has to read them. */
function badAlarms(s: Eye4Sender): [string, string][] {
  const good = s.alarm().body;
  const noDid = Object.fromEntries(Object.entries(good).filter(([k]) => k !== 'did'));
  return [
    ['a truncated JSON body', JSON.stringify(good).slice(0, 30)],
    ['an empty body', ''],
    ['an alarm without did', JSON.stringify(noDid)],
    ['an alarm whose action is a number', JSON.stringify({ ...good, action: 100 })],
    ['an alarm whose payload is an array', JSON.stringify({ ...good, payload: [good.payload] })],
    ['an alarm whose payload text is not JSON', JSON.stringify({ ...good, payload: '{"fileid":' })],
    ['a JSON array', JSON.stringify([good])],
  ];
}

conformance('eye4.robust.malformed-alarm', async ({ eye4, sender }) => {
  for (const [what, body] of badAlarms(sender)) {
    expectNoServerError(await eye4.alarm(body, what), `${what} must get a complete answer below 500`);
  }
});

conformance('eye4.robust.malformed-resource', async ({ eye4, sender }) => {
  const fileid = sender.fileid();
  const bad: [string, string][] = [
    ['a resource body that is not JSON', `{"Key":"${fileid}",`],
    // No key, Key or d009_id: nothing names the file (one with only d009_id is a resource message the
    // table's reading understands, and so is left to the tolerance cases).
    ['a resource message that names no file', JSON.stringify({ region: 'cn-shenzhen' })],
    ['a resource message whose key is a number', JSON.stringify({ key: 12345, region: 'cn-shenzhen' })],
    ['an empty resource body', ''],
  ];
  for (const [what, body] of bad) {
    expectNoServerError(await eye4.resource(body, what), `${what} must get a complete answer below 500`);
  }
});
