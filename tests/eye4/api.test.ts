/** pushcheck's Eye4 API mock answers like the real API, over real HTTP, and records every call. */
import { expect, test } from '@playwright/test';
import { eye4ApiHandlers, Eye4ApiState } from '../../mocks/eye4/api.ts';
import { serve } from '../../mocks/serve.ts';
import { loadSchemas } from '../../src/core/schemas.ts';

const schemas = loadSchemas('eye4');
const FILEID = 'f991d9064ac71fad6a9fae22d17a4aab9f5b264d';

async function withApi(body: (origin: string, state: Eye4ApiState) => Promise<void>): Promise<void> {
  const state = new Eye4ApiState();
  const server = await serve(eye4ApiHandlers(state));
  try {
    await body(server.origin, state);
  } finally {
    await server.close();
  }
}

function lookup(origin: string, body: string, type = 'application/json; charset=utf-8') {
  return fetch(`${origin}/push/fileid`, { method: 'POST', headers: { 'content-type': type }, body });
}

test('a known doorbell recording is listed as an image and a video, in the documented shape', async () => {
  await withApi(async (origin, state) => {
    state.register(FILEID);
    const res = await lookup(
      origin,
      JSON.stringify({ fileid: FILEID, type: 'D009', userid: 'u', authkey: 'k' }),
    );
    expect(res.status).toBe(200);
    const files = (await res.json()) as { file_name: string; file_Type: string }[];
    expect(schemas.validator('lookup-response.json')(files)).toBe(true);
    expect(files.map((f) => f.file_Type)).toEqual(['image', 'video']);
    // The links stay on loopback, and are served.
    for (const f of files) {
      expect(f.file_name.startsWith(origin)).toBe(true);
      expect((await fetch(f.file_name)).status).toBe(200);
    }
    const [call] = state.calls();
    expect(call).toMatchObject({
      fileid: FILEID,
      type: 'D009',
      status: 200,
      files: 2,
      hasUserid: true,
      hasAuthkey: true,
    });
  });
});

test('an expired, unknown, or wrongly typed recording is []', async () => {
  await withApi(async (origin, state) => {
    state.register('expired-1', { storage: 'D009', state: 'expired' });
    state.register(FILEID);
    for (const body of [
      { fileid: 'expired-1', type: 'D009' },
      { fileid: 'never-heard-of', type: 'D009' },
      { fileid: FILEID, type: 'D005' },
    ]) {
      const res = await lookup(origin, JSON.stringify(body));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual([]);
    }
    expect(state.calls().map((c) => c.files)).toEqual([0, 0, 0]);
  });
});

test('malformed requests get a 400 naming what is wrong, and are recorded too', async () => {
  await withApi(async (origin, state) => {
    const cases: [string, string, RegExp][] = [
      ['fileid=x&type=D009', 'application/x-www-form-urlencoded', /must be JSON/],
      ['[]', 'application/json', /JSON object/],
      ['{"type":"D009"}', 'application/json', /fileid is required/],
      [`{"fileid":"${FILEID}","type":"D010"}`, 'application/json', /type must be/],
      [`{"fileid":"${FILEID}"}`, 'application/json', /type must be/],
    ];
    for (const [body, type, message] of cases) {
      const res = await lookup(origin, body, type);
      expect(res.status, body).toBe(400);
      const error = (await res.json()) as { error: string };
      expect(schemas.validator('api-error.json')(error)).toBe(true);
      expect(error.error).toMatch(message);
    }
    expect(state.calls().map((c) => c.status)).toEqual([400, 400, 400, 400, 400]);
    expect(state.calls()[0]?.fileid).toBeUndefined();
  });
});

test('know() makes a fileid available without overriding a registered state', () => {
  const state = new Eye4ApiState();
  state.register('a', { storage: 'D009', state: 'expired' });
  state.know('a');
  state.know('b');
  expect(state.lookup('a', 'D009')).toBe('empty');
  expect(state.lookup('b', 'D009')).toBe('files');
});
