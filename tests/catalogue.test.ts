/**
 * The case linter, for every profile: the registry, the suite and the faulty receivers agree. Every requirement has exactly one
 * case, every case one requirement, interpreted requirements stay below MUST, and every case is shown to fail
 * on some faulty receiver.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { PROFILES } from '../src/profiles.ts';
import { caseLocations } from '../src/commands/cases.ts';
import { cleanEnv, pushcheck, ROOT } from './helpers.ts';

interface Listed {
  suites?: Listed[];
  specs?: { tests: { annotations: { type: string; description?: string }[] }[] }[];
}

function annotatedIds(node: Listed): string[] {
  const here = (node.specs ?? []).flatMap((s) =>
    s.tests.flatMap((t) =>
      t.annotations.filter((a) => a.type === 'pushcheck.id').map((a) => a.description ?? ''),
    ),
  );
  return [...here, ...(node.suites ?? []).flatMap(annotatedIds)];
}

function listedIds(project: string): string[] {
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const args = ['test', '--config', join(ROOT, 'playwright.config.ts'), '--project', project];
  const out = execFileSync(process.execPath, [cli, ...args, '--list', '--reporter', 'json'], {
    cwd: ROOT,
    env: cleanEnv(),
    encoding: 'utf8',
  });
  return annotatedIds(JSON.parse(out) as Listed);
}

for (const profile of Object.values(PROFILES)) {
  const { name, registry } = profile;

  test(`${name}: the suite has exactly one case per requirement`, () => {
    const ids = listedIds(name);
    expect(ids.length).toBe(new Set(ids).size);
    expect([...ids].sort()).toEqual(Object.keys(registry).sort());
  });

  test(`${name}: ids are <profile>.<area>.<behaviour>; interpreted requirements are never MUST; each quotes a source`, () => {
    const prefix = name.replace(/[.-]/g, '\\$&');
    for (const [id, r] of Object.entries(registry)) {
      expect(id).toMatch(new RegExp(`^${prefix}\\.[a-z]+\\.[a-z0-9]+(-[a-z0-9]+)*$`));
      if (r.interpreted) expect(r.level, id).not.toBe('MUST');
      expect(r.text.length, id).toBeGreaterThan(20);
      expect(r.source.document.title.length, id).toBeGreaterThan(5);
    }
  });

  test(`${name}: every case is caught by at least one faulty receiver, and every faulty receiver names real cases`, async () => {
    const faulty = await profile.faulty();
    const caught = new Set(Object.values(faulty).flatMap((f) => f.caughtBy));
    expect(Object.keys(registry).filter((id) => !caught.has(id))).toEqual([]);
    expect([...caught].filter((id) => !(id in registry))).toEqual([]);
  });
}

test('every case id is written out once in the suites, where the case is defined, and `cases` says where', async () => {
  const ids = Object.values(PROFILES).flatMap((p) => Object.keys(p.registry));
  const quoted = new Map<string, string[]>();
  for (const file of readdirSync(join(ROOT, 'suites'), { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts')) continue;
    const text = readFileSync(join(ROOT, 'suites', file), 'utf8');
    for (const id of ids) if (text.includes(`'${id}'`)) quoted.set(id, [...(quoted.get(id) ?? []), file]);
  }
  for (const id of ids) expect(quoted.get(id), id).toHaveLength(1);
  const where = caseLocations(ids);
  for (const id of ids)
    expect(where.get(id), id).toMatch(/^suites\/[a-z0-9-]+\/[a-z0-9-]+(\.spec)?\.ts:\d+$/);
  const r = await pushcheck(['cases', '--profile', 'onenet', '--json']);
  const rows = JSON.parse(r.stdout) as { id: string; definedAt: string }[];
  expect(rows.find((x) => x.id === 'onenet.verify.echo-verbatim')?.definedAt).toMatch(
    /^suites\/onenet-common\/verification\.ts:\d+$/,
  );
});
