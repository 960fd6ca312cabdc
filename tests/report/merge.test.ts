/**
 * `pushcheck report merge`: the site for the reference receivers and every faulty OneNET receiver, with the
 * reference's plain-mode run split in two with --shard and joined again; a missing or doubled part.
 * Each faulty receiver runs only the cases meant to catch it (the self-test runs them in full), so the matrix
 * shows its failures where the catalogue says they are, and "—" where it did not run.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { type FaultyName, faulty, faultyBehaviour } from '../../mocks/onenet/faulty.ts';
import { reference } from '../../mocks/onenet/reference.ts';
import { requirements } from '../../specs/onenet/requirements.ts';
import type { RunReport } from '../../src/report/model.ts';
import { reportProblems } from '../../src/report/schema.ts';
import { AES_KEY, pushcheck, scratch } from '../helpers.ts';
import { only, type Run, runOnenet } from './helpers.ts';

const ALL = Object.keys(requirements).length;

/** Runs `jobs` two at a time (the machines have two cores). */
async function pool<T>(jobs: (() => Promise<T>)[], width = 2): Promise<T[]> {
  const out: T[] = new Array<T>(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await (jobs[i] as () => Promise<T>)();
      }
    }),
  );
  return out;
}

test('the site has a page per receiver and a matrix that shows each faulty receiver failing its cases', async () => {
  test.setTimeout(1_800_000);
  const root = scratch('pushcheck-site-in-');
  const shards = [1, 2].map(
    (n) => () =>
      runOnenet(reference, {
        dir: join(root, `reference-plain-${n}`),
        extra: ['--shard', `${n}/2`, '--label', 'reference (plain)', '--strict'],
      }),
  );
  const secure = () =>
    runOnenet(reference, {
      dir: join(root, 'reference-secure'),
      aesKey: AES_KEY,
      extra: ['--label', 'reference (secure)'],
    });
  const names = Object.keys(faulty) as FaultyName[];
  const faults = names.map((name) => () => {
    const f = faulty[name];
    return runOnenet(faultyBehaviour(name), {
      dir: join(root, `faulty-${name}`),
      ...('secureOnly' in f && f.secureOnly ? { aesKey: AES_KEY } : {}),
      extra: ['--grep', only(f.caughtBy), '--label', `faulty ${name}`],
    });
  });
  const runs: Run[] = await pool([...shards, secure, ...faults]);
  for (const r of runs) expect(r.report, r.stdout + r.stderr).toBeTruthy();
  expect(runs[0]?.report?.shard).toEqual({ current: 1, total: 2 });

  const site = scratch('pushcheck-site-');
  const m = await pushcheck(['report', 'merge', root, '--out', site, '--title', 'OneNET receivers']);
  expect(m.code, m.stderr).toBe(0);
  expect(m.stdout).toContain('(2 shards joined)');
  const index = JSON.parse(readFileSync(join(site, 'index.json'), 'utf8')) as {
    receivers: { label: string; dir: string; verdict: string; shards: number }[];
  };
  expect(index.receivers).toHaveLength(2 + names.length);
  const page = (label: string) => {
    const rcv = index.receivers.find((x) => x.label === label);
    expect(rcv, label).toBeTruthy();
    const report = JSON.parse(readFileSync(join(site, rcv?.dir ?? '', 'report.json'), 'utf8')) as RunReport;
    expect(reportProblems(report), label).toBe('');
    return { dir: rcv?.dir ?? '', report };
  };

  const plain = page('reference (plain)').report;
  expect(plain.shard).toBeNull();
  expect(plain.summary.total, 'both halves of the split run are joined').toBe(ALL);
  expect(plain.summary.failed).toBe(0);
  expect(plain.verdict).toBe('conformant');
  expect(plain.gate.result).toBe('pass');
  expect(page('reference (secure)').report.summary.passed).toBe(ALL);

  const matrix = readFileSync(join(site, 'index.html'), 'utf8');
  for (const name of names) {
    const { dir, report } = page(`faulty ${name}`);
    // A case the document permits (decisions/022) catches its defect as a finding: passed, flagged ⚑.
    const found = new Set(report.cases.filter((c) => c.finding !== undefined).map((c) => c.id));
    const caughtIds = report.cases.filter((c) => c.outcome === 'failed' || found.has(c.id)).map((c) => c.id);
    expect(caughtIds.sort(), name).toEqual([...faulty[name].caughtBy].sort());
    for (const id of faulty[name].caughtBy) {
      const chip = found.has(id)
        ? '<span class="chip ok">OK</span> <span class="sec"'
        : '<span class="chip (failed|non-strict|informational)">';
      const cell = new RegExp(`href="${dir}/index\\.html#${id.replace(/\./g, '\\.')}" title="[^"]*">${chip}`);
      expect(matrix, `${name} × ${id}`).toMatch(cell);
    }
    expect(readFileSync(join(site, dir, 'index.html'), 'utf8')).toContain('<span id="verdict"');
  }
  expect(matrix.match(/<tr class="row"/g)).toHaveLength(ALL);
});

test('a missing part leaves the joined run incomplete; two copies of one part are refused', async () => {
  test.setTimeout(300_000);
  const root = scratch('pushcheck-shards-');
  const args = (n: number) => ['--shard', `${n}/2`, '--label', 'halves', '--grep', 'onenet\\.verify'];
  const one = await runOnenet(reference, { dir: join(root, 'a'), extra: args(1) });
  expect(one.report?.shard).toEqual({ current: 1, total: 2 });
  const site = scratch('pushcheck-site-');
  const m = await pushcheck(['report', 'merge', join(root, 'a'), '--out', site]);
  expect(m.code, m.stderr).toBe(0);
  const [dir] = (
    JSON.parse(readFileSync(join(site, 'index.json'), 'utf8')) as { receivers: { dir: string }[] }
  ).receivers;
  const joined = JSON.parse(readFileSync(join(site, dir?.dir ?? '', 'report.json'), 'utf8')) as RunReport;
  expect(joined.verdict).toBe('incomplete');
  expect(joined.errors).toEqual(['shard 2/2 is missing from the merge']);
  expect(joined.gate.result).toBe('incomplete');

  const twice = await pushcheck(['report', 'merge', join(root, 'a'), join(root, 'a'), '--out', scratch()]);
  expect(twice.code).toBe(2);
  expect(twice.stderr).toMatch(/two reports are shard 1\/2 of onenet halves/);
});

test('the site has a matrix per profile, dates the runs of one receiver, marks narrowed runs, and refuses an --out that holds a report', async () => {
  test.setTimeout(300_000);
  const root = scratch('pushcheck-site-runs-');
  const run = await runOnenet(reference, {
    dir: join(root, 'ref-1'),
    extra: ['--grep', 'onenet\\.verify', '--label', 'ref'],
  });
  expect(run.code, run.stdout + run.stderr).toBe(0);
  const r = run.report as RunReport;
  expect(r.grep).toBe('onenet\\.verify');
  // The same receiver an hour later, an unlabelled run, and a run of another profile: copies of the real one.
  const later = { ...r, startedAt: new Date(Date.parse(r.startedAt) + 3_600_000).toISOString() };
  const unlabelled = { ...r, label: '127.0.0.1:8080/onenet', grep: null };
  const legacy = {
    ...r,
    profile: 'onenet-legacy',
    label: 'legacy box',
    grep: null,
    cases: r.cases.map((c) => ({ ...c, id: c.id.replace(/^onenet\./, 'onenet-legacy.') })),
  };
  for (const [name, report] of Object.entries({ 'ref-2': later, unlabelled, legacy })) {
    mkdirSync(join(root, name));
    writeFileSync(join(root, name, 'report.json'), JSON.stringify(report));
  }
  const site = join(root, 'site');
  const m = await pushcheck(['report', 'merge', root, '--out', site]);
  expect(m.code, m.stderr).toBe(0);
  expect(m.stdout.trimEnd().split('\n').at(-1)).toBe(`open: xdg-open ${join(site, 'index.html')}`);
  const index = () =>
    (
      JSON.parse(readFileSync(join(site, 'index.json'), 'utf8')) as {
        receivers: { label: string; dir: string }[];
      }
    ).receivers;
  const dirs = index().map((x) => x.dir);
  const stamp = (iso: string) => iso.slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  expect(dirs.sort()).toEqual(
    [
      `onenet-ref-${stamp(r.startedAt)}`,
      `onenet-ref-${stamp(later.startedAt)}`,
      'onenet-127-0-0-1-8080-onenet',
      'onenet-legacy-legacy-box',
    ].sort(),
  );

  const matrix = readFileSync(join(site, 'index.html'), 'utf8');
  const section = (profile: string) =>
    matrix.match(new RegExp(`<section class="profile" id="profile-${profile}">[\\s\\S]*?</section>`))?.[0] ??
    '';
  const onenet = section('onenet');
  const legacyPart = section('onenet-legacy');
  expect(onenet.match(/<tr class="row"/g)).toHaveLength(r.cases.length);
  expect(legacyPart.match(/<tr class="row"/g)).toHaveLength(r.cases.length);
  expect(onenet).not.toContain('onenet-legacy.');
  expect(onenet.match(/<th class="rcv">/g)).toHaveLength(3);
  expect(legacyPart.match(/<th class="rcv">/g)).toHaveLength(1);
  // The two runs of "ref" are told apart by their date; the --grep runs say they are narrowed.
  const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
  for (const iso of [r.startedAt, later.startedAt]) {
    expect(onenet).toContain(`<span class="muted twice">${when(iso)}</span>`);
  }
  expect(onenet.match(/ · narrowed<\/span>/g)).toHaveLength(2);
  expect(legacyPart).not.toContain(' · narrowed');
  const narrowedDir = `onenet-ref-${stamp(r.startedAt)}`;
  expect(readFileSync(join(site, narrowedDir, 'badge.svg'), 'utf8')).toMatch(
    /conformant \d+\/\d+ · narrowed</,
  );
  expect(readFileSync(join(site, narrowedDir, 'index.html'), 'utf8')).toContain('<p id="narrowed"');
  expect(readFileSync(join(site, 'onenet-legacy-legacy-box', 'badge.svg'), 'utf8')).not.toContain('narrowed');

  // Merging again into the site (inside the merged folder) leaves out the site's own copies.
  const again = await pushcheck(['report', 'merge', root, '--out', site]);
  expect(again.code, again.stderr).toBe(0);
  expect(index()).toHaveLength(4);

  // A run's report folder is not a site: refused, untouched.
  const page = readFileSync(join(root, 'ref-1', 'index.html'), 'utf8');
  const refused = await pushcheck(['report', 'merge', root, '--out', join(root, 'ref-1')]);
  expect(refused.code).toBe(2);
  expect(refused.stderr.trim().split('\n')).toHaveLength(1);
  expect(refused.stderr).toMatch(/--out \S+ref-1 holds a run's report, which the site would overwrite/);
  expect(readFileSync(join(root, 'ref-1', 'index.html'), 'utf8')).toBe(page);
});
