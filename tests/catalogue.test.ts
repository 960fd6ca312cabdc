/**
 * The case linter: the registry, the suite and the faulty receivers agree. Every requirement has exactly one
 * case, every case one requirement, interpreted requirements stay below MUST, and every case is shown to fail
 * on some faulty receiver.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { faulty } from '../mocks/onenet/faulty.ts';
import { requirements } from '../specs/onenet/requirements.ts';
import { cleanEnv, ROOT } from './helpers.ts';

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

test('the suite has exactly one case per requirement', () => {
  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const out = execFileSync(
    process.execPath,
    [
      cli,
      'test',
      '--config',
      join(ROOT, 'playwright.config.ts'),
      '--project',
      'onenet',
      '--list',
      '--reporter',
      'json',
    ],
    { cwd: ROOT, env: cleanEnv(), encoding: 'utf8' },
  );
  const ids = annotatedIds(JSON.parse(out) as Listed);
  expect(ids.length).toBe(new Set(ids).size);
  expect([...ids].sort()).toEqual(Object.keys(requirements).sort());
});

test('ids are <profile>.<area>.<behaviour>; interpreted requirements are never MUST; each quotes a source', () => {
  for (const [id, r] of Object.entries(requirements)) {
    expect(id).toMatch(/^onenet\.[a-z]+\.[a-z0-9]+(-[a-z0-9]+)*$/);
    if ('interpreted' in r && r.interpreted) expect(r.level, id).not.toBe('MUST');
    expect(r.text.length, id).toBeGreaterThan(20);
    expect(r.source.length, id).toBeGreaterThan(5);
  }
});

test('every case is caught by at least one faulty receiver', () => {
  const caught = new Set(Object.values(faulty).flatMap((f) => f.caughtBy));
  expect(Object.keys(requirements).filter((id) => !caught.has(id as never))).toEqual([]);
});
