/**
 * The http and command observers, each assessing the cases that need one, against the example receiver run
 * as a process; the command observer queries the receiver's own PostgreSQL database with psql. Each is also
 * shown to fail the processing case when what it observes lacks the receiver's work.
 */
import { expect, test } from '@playwright/test';
import { requirements } from '../../specs/onenet/requirements.ts';
import { idsWith, pushcheck, scratch, TOKEN } from '../helpers.ts';
import { EXAMPLE_SERVER, freePort, freshDatabase, postgresAvailable, requireService } from './support.ts';

/** The plain-mode OneNET cases that need an observer: each must name the one that assessed it. */
const OBSERVED = Object.entries(requirements)
  .filter(([, r]) => {
    const needs: readonly string[] = 'needs' in r ? r.needs : [];
    return needs.includes('observer') && !needs.includes('aes-key');
  })
  .map(([id]) => id)
  .sort();

function launch(env: string[]): string[] {
  const args = ['run', '--profile', 'onenet', '--token', TOKEN, '--receiver-cmd', `node ${EXAMPLE_SERVER}`];
  for (const e of [`ONENET_TOKEN=${TOKEN}`, ...env]) args.push('--receiver-env', e);
  return [...args, '--receiver-path', '/onenet'];
}

test('http: the receiver POSTs what it processed to pushcheck, which assesses the cases with it', async () => {
  const dir = scratch();
  const sink = `127.0.0.1:${await freePort()}`;
  const r = await pushcheck(
    [
      ...launch([`PROCESSED_URL=http://${sink}/processed`]),
      '--observe-http',
      sink,
      '--strict',
      '--report',
      dir,
    ],
    dir,
  );
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(r.report?.observer).toBe(`http POSTs to http://${sink}`);
  const by = (r.report?.cases ?? []).filter((c) => c.assessedBy).map((c) => [c.id, c.assessedBy]);
  expect(by.sort()).toEqual(OBSERVED.map((id) => [id, 'http']));
});

test('http: when nothing is POSTed, processing is not seen and the case fails', async () => {
  const dir = scratch();
  const sink = `127.0.0.1:${await freePort()}`;
  const r = await pushcheck(
    [
      ...launch([]),
      '--observe-http',
      sink,
      '--observe-timeout',
      '1000',
      '--grep',
      'onenet\\.push\\.processed',
      '--report',
      dir,
    ],
    dir,
  );
  expect(idsWith(r.report, 'failed')).toEqual(['onenet.push.processed']);
  expect(r.code).toBe(1);
});

test.describe('command, against PostgreSQL', () => {
  test('psql finds what the receiver stored in its database; the password stays out of the report', async () => {
    requireService(await postgresAvailable(), 'PostgreSQL (psql to 127.0.0.1:5432, role pushcheck)');
    const db = await freshDatabase();
    try {
      const dir = scratch();
      const query = `psql ${db.url} -At -c 'select msg from processed'`;
      const r = await pushcheck(
        [...launch([`DATABASE_URL=${db.url}`]), '--observe-cmd', query, '--strict', '--report', dir],
        dir,
      );
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.report?.observer).toMatch(/^command psql postgresql:\/\/pushcheck:\[REDACTED\]@/);
      const by = (r.report?.cases ?? []).filter((c) => c.assessedBy).map((c) => [c.id, c.assessedBy]);
      expect(by.sort()).toEqual(OBSERVED.map((id) => [id, 'command']));
      expect(JSON.stringify(r.report)).not.toContain('pushcheck:pushcheck@');
    } finally {
      await db.drop();
    }
  });

  test('a query that misses the receiver\'s rows fails "processed"; one that errors is pushcheck\'s error', async () => {
    requireService(await postgresAvailable(), 'PostgreSQL (psql to 127.0.0.1:5432, role pushcheck)');
    const db = await freshDatabase();
    try {
      const grep = ['--grep', 'onenet\\.push\\.processed', '--observe-timeout', '1000'];
      /** The processed case alone, observed by running `cmd`. */
      const observedBy = (cmd: string) => {
        const dir = scratch();
        const args = [...launch([`DATABASE_URL=${db.url}`]), '--observe-cmd', cmd, ...grep, '--report', dir];
        return pushcheck(args, dir);
      };
      const r = await observedBy(`psql ${db.url} -At -c "select msg from processed where id = 'none'"`);
      expect(idsWith(r.report, 'failed')).toEqual(['onenet.push.processed']);
      expect(r.code).toBe(1);

      const e = await observedBy(`psql ${db.url} -At -c 'select msg from no_such_table'`);
      expect(idsWith(e.report, 'error')).toEqual(['onenet.push.processed']);
      expect(e.report?.cases[0]?.reason).toMatch(/the observe command exited 1 \(.*no_such_table.*\)/);
      expect(e.code).toBe(3);
    } finally {
      await db.drop();
    }
  });
});
