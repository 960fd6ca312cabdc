/**
 * The legacy reference receiver does what the legacy SDKs asks, and each faulty receiver shows its defect, in
 * process (msw's getResponse): the self-test then shows the same over HTTP through the CLI.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { getResponse } from 'msw';
import { type FaultyName, faultyBehaviour } from '../../mocks/onenet-legacy/faulty.ts';
import { type Behaviour, legacyHandlers, reference } from '../../mocks/onenet-legacy/reference.ts';
import { createRng } from '../../src/core/rng.ts';
import { LegacySender } from '../../src/protocols/onenet-legacy/sender.ts';
import { scratch, TOKEN } from '../helpers.ts';
import { ENCODING_AES_KEY } from './helpers.ts';

const ORIGIN = 'http://127.0.0.1:1';

function receiver(behaviour: Behaviour, encodingAesKey?: string) {
  const observeFile = join(scratch(), 'processed.log');
  const handlers = legacyHandlers({ token: TOKEN, encodingAesKey, observeFile }, behaviour);
  const sender = new LegacySender({
    token: TOKEN,
    encodingAesKey,
    runTag: '87654321',
    rng: createRng(1, 'mocks'),
  });
  const post = async (json: string) => {
    const request = new Request(`${ORIGIN}/onenet-legacy`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: json,
    });
    return (await getResponse(handlers, request, { baseUrl: ORIGIN }))?.status;
  };
  const get = async (query: string) => {
    const res = await getResponse(handlers, new Request(`${ORIGIN}/onenet-legacy?${query}`), {
      baseUrl: ORIGIN,
    });
    return { status: res?.status, body: await res?.text() };
  };
  const recorded = (marker: string) => {
    let text = '';
    try {
      text = readFileSync(observeFile, 'utf8');
    } catch {
      // nothing recorded yet
    }
    return text.split(marker).length - 1;
  };
  return { sender, post, get, recorded };
}

test('the reference acks and records genuine pushes, plain and encrypted, single and batched', async () => {
  for (const key of [undefined, ENCODING_AES_KEY]) {
    const r = receiver(reference, key);
    const p = r.sender.push(['datapoint', 'status', 'cachedCommand'], { slashes: true, signatureHas: '+/' });
    expect(await r.post(p.json)).toBe(200);
    for (const m of p.markers) expect(r.recorded(m)).toBe(1);
    expect(await r.post(p.json), 'a redelivery is acked').toBe(200);
    for (const m of p.markers) expect(r.recorded(m), 'and not processed again').toBe(1);
    const forged = r.sender.push('datapoint', { token: 'not-the-token' });
    expect(await r.post(forged.json)).toBe(403);
    expect(r.recorded(forged.markers[0] ?? '')).toBe(0);
  }
});

test('the reference echoes a genuine verification with a raw or encoded signature, and refuses a forged one', async () => {
  const r = receiver(reference);
  const probe = r.sender.verification({ signatureHas: '+/' });
  expect(await r.get(probe.query('raw'))).toEqual({ status: 200, body: probe.msg });
  expect(await r.get(probe.query('percent'))).toEqual({ status: 200, body: probe.msg });
  const forged = r.sender.verification({ token: 'not-the-token' });
  expect((await r.get(forged.query('raw'))).status).toBe(403);
});

test('the reference answers bad input below 500', async () => {
  const r = receiver(reference);
  for (const body of ['{"msg":', '', '{"msg":"{}","msg_signature":"x","nonce":1}', '[]']) {
    expect(await r.post(body), JSON.stringify(body)).toBe(400);
  }
});

test('signature defects drop genuine plain pushes; batch defects lose or refuse messages', async () => {
  const processed = async (name: FaultyName, kinds: Parameters<LegacySender['push']>[0], slashes = false) => {
    const r = receiver(faultyBehaviour(name));
    const p = r.sender.push(kinds, { slashes });
    const status = await r.post(p.json);
    return { status, seen: p.markers.map((m) => r.recorded(m)) };
  };
  expect(await processed('pretty-json-signature', 'datapoint')).toEqual({ status: 200, seen: [0] });
  expect(await processed('escaped-slash-signature', 'datapoint', true)).toEqual({ status: 200, seen: [0] });
  expect(await processed('escaped-slash-signature', 'datapoint')).toEqual({ status: 200, seen: [1] });
  expect(await processed('object-only', ['datapoint', 'datapoint'])).toEqual({ status: 400, seen: [0, 0] });
  expect(await processed('first-of-batch', ['datapoint', 'datapoint'])).toEqual({
    status: 200,
    seen: [1, 0],
  });
  expect((await processed('datapoint-only', 'status')).status).toBe(400);
  expect(await processed('datapoint-only', 'datapoint')).toEqual({ status: 200, seen: [1] });
});

test('decryption defects refuse every encrypted push', async () => {
  for (const name of ['prefix-not-stripped', 'utf8-key', 'aes-128'] as const) {
    const r = receiver(faultyBehaviour(name), ENCODING_AES_KEY);
    const p = r.sender.push('datapoint');
    expect(await r.post(p.json), name).toBe(400);
    expect(r.recorded(p.markers[0] ?? ''), name).toBe(0);
  }
});
