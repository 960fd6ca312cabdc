/** The parts of launching and observing that need no receiver: fast, in-process. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { planRuns } from '../../src/core/config-file.ts';
import { UsageError } from '../../src/core/errors.ts';
import { CommandObserver, startHttpSink } from '../../src/core/observers.ts';
import { receiverEnv } from '../../src/core/run-setup.ts';
import { scratch } from '../helpers.ts';
import { freePort } from './support.ts';

test('--receiver-env: values passed on from the environment, and secret-looking names, are secrets', () => {
  const { vars, secrets } = receiverEnv(
    ['PORT=8080', 'DB_PASSWORD=pw-1', 'API_TOKEN=tk-2', 'FROM_ENV', 'EMPTY_KEY='],
    { FROM_ENV: 'env-3' },
  );
  expect(vars).toEqual({
    PORT: '8080',
    DB_PASSWORD: 'pw-1',
    API_TOKEN: 'tk-2',
    FROM_ENV: 'env-3',
    EMPTY_KEY: '',
  });
  expect(secrets.sort()).toEqual(['env-3', 'pw-1', 'tk-2']);
  expect(() => receiverEnv(['1BAD=x'], {})).toThrow(UsageError);
});

test('the command observer counts the marker in the latest output, and bounds a command that hangs', async () => {
  const dir = scratch();
  const file = join(dir, 'rows.txt');
  writeFileSync(file, 'pc1aaa\npc1bbb\npc1aaa\n');
  const observer = new CommandObserver(`cat ${file}`, 5000);
  expect(await observer.count('pc1aaa')).toBe(2);
  expect(await observer.count('pc1ccc')).toBe(0);
  const started = performance.now();
  await expect(new CommandObserver('sleep 20', 300).count('x')).rejects.toThrow(
    /did not finish within 300 ms/,
  );
  expect(performance.now() - started).toBeLessThan(5000);
  await expect(new CommandObserver('echo oops >&2; exit 4', 5000).count('x')).rejects.toThrow(
    /exited 4 \(oops\)/,
  );
});

test('the HTTP sink records POSTs, one line each, and refuses other methods and large bodies', async () => {
  const dir = scratch();
  const file = join(dir, 'posted.log');
  const port = await freePort();
  const sink = await startHttpSink(`127.0.0.1:${port}`, file);
  try {
    const url = `http://127.0.0.1:${port}/anything`;
    expect((await fetch(url, { method: 'POST', body: '{"msg":"pc1\\nx"}' })).status).toBe(204);
    expect((await fetch(url, { method: 'POST', body: 'second\nline' })).status).toBe(204);
    expect((await fetch(url)).status).toBe(405);
    expect((await fetch(url, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) })).status).toBe(413);
    expect(readFileSync(file, 'utf8')).toBe('{"msg":"pc1\\nx"}\nsecond line\n');
    await expect(startHttpSink(`127.0.0.1:${port}`, file)).rejects.toThrow(/the port is in use/);
  } finally {
    await sink.close();
  }
});

test('a config file becomes run arguments; values from the environment are secrets', async () => {
  const dir = scratch();
  const file = join(dir, 'pushcheck.config.json');
  writeFileSync(
    file,
    JSON.stringify({
      runs: [
        {
          name: 'a',
          profile: 'onenet',
          options: {
            target: 'http://127.0.0.1:1/x',
            token: { env: 'T' },
            strict: true,
            'observe-log': false,
            'receiver-env': { K: 'v', S: { env: 'T' } },
          },
        },
      ],
    }),
  );
  const [run] = await planRuns(file, { T: 'secret-t' });
  expect(run?.args).toEqual([
    ...['--profile', 'onenet', '--target', 'http://127.0.0.1:1/x', '--token', 'secret-t', '--strict'],
    ...['--receiver-env', 'K=v', '--receiver-env', 'S=secret-t', '--report', 'reports/a'],
  ]);
  expect(run?.secrets).toEqual(['secret-t', 'secret-t']);
  writeFileSync(
    file,
    JSON.stringify({
      runs: [
        { name: 'a', profile: 'onenet' },
        { name: 'a', profile: 'onenet' },
      ],
    }),
  );
  await expect(planRuns(file, {})).rejects.toThrow(/the name "a" is used twice/);
  writeFileSync(file, '{ not json');
  await expect(planRuns(file, {})).rejects.toThrow(/is not valid JSON/);
});
