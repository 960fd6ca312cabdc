/**
 * Several runs in one Playwright process: a config file's runs against given targets, side by side with
 * `--parallel`, each writing its own report and printing its own block, the exit code the worst of them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { faultyBehaviour } from '../mocks/onenet/faulty.ts';
import { onenetHandlers, reference } from '../mocks/onenet/reference.ts';
import { serve } from '../mocks/serve.ts';
import type { RunReport } from '../src/report/reporter.ts';
import { pushcheck, scratch, TOKEN } from './helpers.ts';

test('a config file runs its targets side by side, each with its own report, block and verdict', async () => {
  const dir = scratch();
  const good = await serve(onenetHandlers({ token: TOKEN }, reference));
  const bad = await serve(onenetHandlers({ token: TOKEN }, faultyBehaviour('quoted-echo')));
  try {
    const run = (name: string, origin: string) => ({
      name,
      profile: 'onenet',
      options: {
        target: `${origin}/onenet`,
        token: TOKEN,
        grep: 'onenet\\.verify',
        report: join(dir, name),
      },
    });
    const config = join(dir, 'pushcheck.config.json');
    writeFileSync(config, JSON.stringify({ runs: [run('good', good.origin), run('bad', bad.origin)] }));
    const r = await pushcheck(['run', '--config', config, '--parallel', '2']);
    expect(r.code, 'the worst run decides the exit code').toBe(1);
    const report = (name: string) =>
      JSON.parse(readFileSync(join(dir, name, 'report.json'), 'utf8')) as RunReport;
    expect(report('good').verdict).toBe('conformant');
    expect(report('good').target).toBe(`${good.origin}/onenet`);
    expect(report('bad').verdict).toBe('non-conformant');
    expect(report('bad').cases.find((c) => c.outcome === 'failed')?.id).toBe('onenet.verify.echo-verbatim');
    // Each run's lines form one block: its header, its cases, then its verdict, never interleaved.
    const blocks = r.stdout.split(/\n(?=pushcheck onenet )/).filter((b) => b.startsWith('pushcheck onenet'));
    expect(blocks).toHaveLength(2);
    for (const block of blocks) {
      const origin = block.includes(good.origin) ? good.origin : bad.origin;
      const other = origin === good.origin ? bad.origin : good.origin;
      expect(block).not.toContain(other);
      // Every case of the run is in its block: a passed case's progress line, a failed one in the summary.
      expect(new Set(block.match(/onenet\.verify\.[a-z-]+/g)).size).toBe(report('good').cases.length);
      expect(block).toMatch(/verdict: (CONFORMANT|NON-CONFORMANT)/);
    }
  } finally {
    await Promise.all([good.close(), bad.close()]);
  }
});

test('--parallel takes a whole number, and only with a config file', async () => {
  const r = await pushcheck(['run', '--config', 'x.json', '--parallel', 'two']);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/--parallel/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
});

test('a config file run with --shard goes alone, as Playwright splits a whole process', async () => {
  const dir = scratch();
  const good = await serve(onenetHandlers({ token: TOKEN }, reference));
  try {
    const run = (name: string, extra: Record<string, string>) => ({
      name,
      profile: 'onenet',
      options: {
        target: `${good.origin}/onenet`,
        token: TOKEN,
        grep: 'onenet\\.verify',
        report: join(dir, name),
        ...extra,
      },
    });
    const config = join(dir, 'pushcheck.config.json');
    writeFileSync(config, JSON.stringify({ runs: [run('whole', {}), run('part', { shard: '1/2' })] }));
    const r = await pushcheck(['run', '--config', config]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const report = (name: string) =>
      JSON.parse(readFileSync(join(dir, name, 'report.json'), 'utf8')) as RunReport;
    expect(report('whole').shard).toBeNull();
    expect(report('whole').cases).toHaveLength(4);
    expect(report('part').shard).toEqual({ current: 1, total: 2 });
    expect(r.stdout).toMatch(/\(seed \d+, shard 1\/2\)/);
  } finally {
    await good.close();
  }
});

test("runs share Playwright's workers, yet no two cases ever meet the same receiver at once", async () => {
  const dir = scratch();
  // One slow receiver and one faster one: a worker done with a faster case would take the slow receiver's next
  // case while the other worker is still in its last one, but for the lock per receiver. Neither answers at
  // once: where one run's cases end and the other's begin, each case is on the wire long enough for the
  // overlap to show whatever order the workers take them in.
  const receivers = await Promise.all(
    [300, 100].map((ackDelayMs) => serve(onenetHandlers({ token: TOKEN }, { ...reference, ackDelayMs }))),
  );
  try {
    const runs = receivers.map((rx, i) => ({
      name: `r${i}`,
      profile: 'onenet',
      options: {
        target: `${rx.origin}/onenet`,
        token: TOKEN,
        grep: 'onenet\\.(verify|push\\.[a-z-]+-acked|ack\\.)',
        report: join(dir, `r${i}`),
      },
    }));
    const config = join(dir, 'pushcheck.config.json');
    writeFileSync(config, JSON.stringify({ runs }));
    const r = await pushcheck(['run', '--config', config, '--parallel', '2']);
    expect(r.code, r.stderr).toBe(0);
    // Each case's time on the wire: from its first request's start to its last answer's end.
    const windows = runs.map(({ name }) => {
      const report = JSON.parse(readFileSync(join(dir, name, 'report.json'), 'utf8')) as RunReport;
      expect(report.verdict).toBe('conformant');
      return report.cases
        .filter((c) => c.wire.length > 0)
        .map((c) => ({
          id: c.id,
          from: Math.min(...c.wire.map((w) => Date.parse(w.startedAt))),
          to: Math.max(...c.wire.map((w) => Date.parse(w.startedAt) + w.totalMs)),
        }))
        .sort((a, b) => a.from - b.from);
    });
    for (const cases of windows) {
      expect(cases.length).toBeGreaterThan(8);
      // A run's cases follow one another (1 ms for the timestamps' rounding).
      for (let i = 1; i < cases.length; i++) {
        const [prev, next] = [cases[i - 1], cases[i]];
        expect(next?.from, `${prev?.id} then ${next?.id}`).toBeGreaterThanOrEqual((prev?.to ?? 0) - 1);
      }
    }
    // Yet the runs went side by side: some case of one run overlaps some case of another.
    const all = windows.flatMap((cases, run) => cases.map((c) => ({ ...c, run })));
    const overlapping = all.some((a) => all.some((b) => a.run !== b.run && a.from < b.to && b.from < a.to));
    expect(overlapping, 'two workers served the two receivers side by side').toBe(true);
  } finally {
    await Promise.all(receivers.map((rx) => rx.close()));
  }
});
