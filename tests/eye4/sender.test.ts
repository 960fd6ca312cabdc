/** The Eye4 sender builds callbacks the schemas accept, with the markers and fileids the cases rely on. */
import { expect, test } from '@playwright/test';
import { loadSchemas } from '../../src/core/schemas.ts';
import { createRng } from '../../src/core/rng.ts';
import { ACTION, Eye4Sender } from '../../src/protocols/eye4/sender.ts';

const schemas = loadSchemas('eye4');
const sender = (): Eye4Sender =>
  new Eye4Sender({
    guid: 'g-123',
    runTag: '12345678',
    rng: createRng(1, 'sender'),
    fileOrigin: 'http://127.0.0.1:9',
  });

test('a motion alarm has the documented shape, a fresh fileid, and its marker in did', () => {
  const s = sender();
  const a = s.alarm();
  const b = s.alarm();
  expect(schemas.validator('alarm.json')(a.body)).toBe(true);
  expect(a.body).toMatchObject({ type: 'doorbell', action: '100' });
  expect(a.body.did).toContain(a.marker);
  expect(a.fileid).toMatch(/^[0-9a-f]{40}$/);
  expect(a.fileid).toContain('12345678');
  expect(a.fileid).not.toBe(b.fileid);
  expect(a.marker).not.toBe(b.marker);
  expect(a.body.payload).toMatchObject({ fileid: a.fileid });
  expect(JSON.parse(a.json)).toEqual(a.body);
});

test('a low-battery reminder has no fileid; a payload can be sent as JSON text', () => {
  const s = sender();
  const low = s.alarm({ action: ACTION.lowBattery });
  expect(low.fileid).toBeUndefined();
  expect(low.body.payload).not.toHaveProperty('fileid');
  const text = s.alarm({ payloadForm: 'string' });
  expect(typeof text.body.payload).toBe('string');
  expect(JSON.parse(text.body.payload as string)).toMatchObject({ fileid: text.fileid });
  expect(schemas.validator('alarm.json')(text.body)).toBe(true);
});

test('a resource message carries the fileid as key or Key, and as d009_id', () => {
  const s = sender();
  for (const name of ['key', 'Key'] as const) {
    const r = s.resource('abc', name);
    expect(r.body).toMatchObject({ [name]: 'abc', d009_id: 'abc' });
    expect(schemas.validator('resource.json')(r.body)).toBe(true);
  }
  expect(schemas.validator('resource.json')({ region: 'x', d009_id: 'abc' })).toBe(false);
});

test('headers carry the guid as chosen', () => {
  const s = sender();
  expect(s.headers()).toMatchObject({ guid: 'g-123' });
  expect(s.headers({ kind: 'missing' })).not.toHaveProperty('guid');
  expect(s.headers({ kind: 'value', value: 'other' })).toMatchObject({ guid: 'other' });
});
