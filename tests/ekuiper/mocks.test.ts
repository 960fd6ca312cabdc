/**
 * The eKuiper mocks against what eKuiper's code and docs say (api/restapi/*.md; rest.go), over real
 * HTTP: the reference endpoint for both generations, the mock eKuiper's REST API and data server, and
 * pushcheck's provisioning against it.
 */
import { expect, test } from '@playwright/test';
import { serveEkuiper } from '../../mocks/ekuiper/ekuiper.ts';
import { decodeLikeV1, httppushHandlers } from '../../mocks/ekuiper/reference.ts';
import { serve } from '../../mocks/serve.ts';
import { createStreamSql, EkuiperApi, provision, ruleFor } from '../../src/protocols/ekuiper/api.ts';
import { RuleSink } from '../../src/protocols/ekuiper/sink.ts';

/** Serves the mock eKuiper, lends it and a client of its REST API to `use`, and closes it. */
async function withEkuiper(
  use: (ek: Awaited<ReturnType<typeof serveEkuiper>>, api: EkuiperApi) => Promise<void>,
): Promise<void> {
  const ek = await serveEkuiper();
  try {
    await use(ek, new EkuiperApi(ek.api.origin));
  } finally {
    await ek.close();
  }
}

/** Starts a REST sink for a rule's rows, lends it to `use`, and closes it. */
async function withSink(use: (sink: RuleSink) => Promise<void>): Promise<void> {
  const sink = await RuleSink.start();
  try {
    await use(sink);
  } finally {
    await sink.close();
  }
}

async function answer(res: Response): Promise<[number, string]> {
  return [res.status, await res.text()];
}

test.describe('the reference httppush endpoint', () => {
  test('v2: 200 ok to any body with the configured method, 405 empty to others, 404 elsewhere', async () => {
    const server = await serve(httppushHandlers({ method: 'PUT', version: 2 }));
    try {
      const url = `${server.origin}/api/data`;
      for (const body of ['{"a":1}', '{"a":', '[1,2]', '']) {
        expect(await answer(await fetch(url, { method: 'PUT', body }))).toEqual([200, 'ok']);
      }
      for (const method of ['POST', 'GET', 'DELETE']) {
        expect(await answer(await fetch(url, { method }))).toEqual([405, '']);
      }
      expect(await answer(await fetch(`${url}/x`, { method: 'PUT', body: '{}' }))).toEqual([
        404,
        '404 page not found\n',
      ]);
    } finally {
      await server.close();
    }
  });

  test('v1: 400 "Fail to decode data: …" to malformed JSON, arrays and scalars; null and objects pass', async () => {
    const server = await serve(httppushHandlers({ version: 1 }));
    try {
      const url = `${server.origin}/api/data`;
      for (const body of ['{"a":', '[{"a":1}]', '42', '"s"', 'true', '']) {
        const [status, text] = await answer(await fetch(url, { method: 'POST', body }));
        expect(status, body).toBe(400);
        expect(text, body).toMatch(/^Fail to decode data: .+\n$/);
      }
      for (const body of ['{"a":1}', 'null', ' {"a":[1]} ']) {
        expect(await answer(await fetch(url, { method: 'POST', body }))).toEqual([200, 'ok']);
      }
    } finally {
      await server.close();
    }
  });

  test('decodeLikeV1 names the Go type for non-objects, as json.Decoder does', () => {
    expect(decodeLikeV1('[1]')).toBe(
      'json: cannot unmarshal array into Go value of type map[string]interface {}',
    );
    expect(decodeLikeV1('"x"')).toContain('cannot unmarshal string');
    expect(decodeLikeV1('')).toBe('EOF');
  });
});

test.describe('the mock eKuiper', () => {
  test('routes a stream’s DATASOURCE only while a rule reads it; the REST sink gets each row', async () => {
    await withEkuiper((ek, api) =>
      withSink(async (sink) => {
        const target = `${ek.data.origin}/dev/in`;
        const stmt = { sql: createStreamSql('s1', '/dev/in') };
        const created = await api.call('POST', '/streams', stmt);
        expect([created.response?.status, created.response?.body]).toEqual([201, 'Stream s1 is created.']);
        expect((await fetch(target, { method: 'POST', body: '{}' })).status).toBe(404);
        const rule = await api.call('POST', '/rules', ruleFor('r1', 's1', sink.url));
        expect([rule.response?.status, rule.response?.body]).toEqual([
          201,
          'Rule r1 was created successfully.',
        ]);
        expect(
          await answer(await fetch(target, { method: 'POST', body: '{"deviceId":"m1","v":1}' })),
        ).toEqual([200, 'ok']);
        await expect.poll(() => sink.count('m1'), { timeout: 3000 }).toBe(1);
        const referenced = await api.call('DELETE', '/streams/s1');
        expect(referenced.response?.status).toBe(400);
        expect(JSON.parse(referenced.response?.body ?? '')).toMatchObject({
          message: 'stream s1 has been referenced by other rules',
        });
        expect((await api.call('DELETE', '/rules/r1')).response?.body).toBe('Rule r1 is dropped.');
        // mux keeps the route of an unregistered endpoint: an empty 404.
        expect(await answer(await fetch(target, { method: 'POST', body: '{}' }))).toEqual([404, '']);
        expect((await api.call('DELETE', '/streams/s1')).response?.body).toBe('Stream s1 is dropped.');
      }),
    );
  });

  test('answers errors as eKuiper does: a JSON body with 400, or 404 for what is not there', async () => {
    await withEkuiper(async (_ek, api) => {
      expect(
        (await api.call('POST', '/streams', { sql: createStreamSql('s1', '/a') })).response?.status,
      ).toBe(201);
      const dup = await api.call('POST', '/streams', { sql: createStreamSql('s1', '/a') });
      expect(dup.response?.status).toBe(400);
      expect(JSON.parse(dup.response?.body ?? '')).toEqual({
        error: 1000,
        message: 'Stream command error: Create stream fails: Item s1 already exists.',
      });
      const noStream = await api.call('POST', '/rules', ruleFor('r1', 'nope', 'http://127.0.0.1:1/'));
      expect(noStream.response?.status).toBe(400);
      expect(noStream.response?.body).toContain('fail to get stream nope');
      await api.call('POST', '/streams', { sql: createStreamSql('s2', 'no-slash') });
      const slash = await api.call('POST', '/rules', ruleFor('r2', 's2', 'http://127.0.0.1:1/'));
      expect(slash.response?.body).toContain('property `endpoint` must start with /');
      expect((await api.call('DELETE', '/rules/ghost')).response?.status).toBe(404);
      expect((await api.call('POST', '/streams', { sql: 'SELEC nonsense' })).response?.status).toBe(400);
    });
  });

  test('a configuration key with method PUT makes the endpoint route PUT only', async () => {
    await withEkuiper((ek) =>
      withSink(async (sink) => {
        const p = await provision({
          api: ek.api.origin,
          target: `${ek.data.origin}/api/data`,
          method: 'PUT',
          suffix: 't1',
          sinkUrl: sink.url,
        });
        expect(ek.state.accepted[0]).toBe(
          'CREATE STREAM pushcheck_t1() WITH (DATASOURCE="/api/data", FORMAT="json", TYPE="httppush", CONF_KEY="pushcheck_t1")',
        );
        expect((await fetch(`${ek.data.origin}/api/data`, { method: 'PUT', body: '{}' })).status).toBe(200);
        expect((await fetch(`${ek.data.origin}/api/data`, { method: 'POST', body: '{}' })).status).toBe(405);
        expect(await p.teardown()).toEqual([]);
        expect([ek.state.streams.size, ek.state.rules.size, ek.state.confKeys.size]).toEqual([0, 0, 0]);
      }),
    );
  });

  test('provisioning that fails halfway removes what it created and says which call failed', async () => {
    await withEkuiper(async (ek, api) => {
      await api.call('POST', '/streams', { sql: createStreamSql('other', '/x') });
      await api.call('POST', '/rules', ruleFor('pushcheck_t2', 'other', 'http://127.0.0.1:1/'));
      const attempt = provision({
        api: ek.api.origin,
        target: `${ek.data.origin}/api/data`,
        method: 'POST',
        suffix: 't2',
        sinkUrl: 'http://127.0.0.1:1/',
      });
      await expect(attempt).rejects.toThrow(/did not create the rule \(POST \/rules\): HTTP 400/);
      expect([...ek.state.streams.keys()]).toEqual(['other']);
    });
  });

  test('with a token, the REST API refuses calls without it', async () => {
    const ek = await serveEkuiper({ token: 'ek-secret-token' });
    try {
      expect((await new EkuiperApi(ek.api.origin).call('GET', '/streams')).response?.status).toBe(401);
      expect(
        (await new EkuiperApi(ek.api.origin, 'ek-secret-token').call('GET', '/streams')).response?.status,
      ).toBe(200);
    } finally {
      await ek.close();
    }
  });
});
