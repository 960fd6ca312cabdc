/**
 * The user documentation stays true to the code: each profile's page (and the graders' of `pushcheck listen`)
 * shows its registry's cases as `npm run docs` generates them, the README stays a five-minute read with the two
 * commands that set everything up, and every relative link in README.md and docs/ leads to a file that exists.
 */
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import { catalogues, check, DOCS, renderBlock } from '../scripts/docs.ts';
import { PROFILES } from '../src/profiles.ts';
import { ROOT } from './helpers.ts';

/**
 * Files the README and docs/ link to that other branches of this work add (the report's screenshot, the benchmark
 * page): the lead removes each from this list once it is merged, and the link check then covers it.
 */
const PENDING = new Set<string>([]);

test('every page under docs/ shows its registry as npm run docs generates it', async () => {
  expect(await check()).toEqual([]);
});

test('the drift check fails on a page that differs from its registry, and says to run npm run docs', async () => {
  const copy = mkdtempSync(join(tmpdir(), 'pushcheck-docs-'));
  try {
    cpSync(DOCS, copy, { recursive: true });
    expect(await check(copy)).toEqual([]);

    // A row edited by hand: a level the registry does not give.
    const page = join(copy, 'profiles', 'onenet.md');
    const text = readFileSync(page, 'utf8');
    const row = text.split('\n').find((l) => l.startsWith('| `onenet.verify.echo-verbatim`'));
    expect(row).toBeDefined();
    writeFileSync(page, text.replace(row ?? '', (row ?? '').replace('MUST', 'MAY ')));
    expect(await check(copy)).toEqual([
      expect.stringMatching(/profiles\/onenet\.md differs .*: run npm run docs\.$/),
    ]);
    // A case missing from the table.
    writeFileSync(page, text.replace(`${row}\n`, ''));
    expect(await check(copy)).toEqual([expect.stringMatching(/profiles\/onenet\.md differs/)]);
    writeFileSync(page, text);

    // A profile without its page, and a block that names nothing.
    unlinkSync(join(copy, 'profiles', 'eye4.md'));
    writeFileSync(
      join(copy, 'extra.md'),
      '# x\n\n<!-- generated: cases no-such-profile -->\n<!-- end generated -->\n',
    );
    const problems = await check(copy);
    expect(problems).toContainEqual(expect.stringMatching(/profiles\/eye4\.md is missing: run npm run docs/));
    expect(problems).toContainEqual(expect.stringMatching(/"no-such-profile" names no profile or grader/));

    // A grader whose table is on no page.
    unlinkSync(join(copy, 'extra.md'));
    cpSync(join(DOCS, 'profiles', 'eye4.md'), join(copy, 'profiles', 'eye4.md'));
    const listen = join(copy, 'send-and-listen.md');
    writeFileSync(
      listen,
      readFileSync(listen, 'utf8').replace('<!-- generated: cases onenet-sender -->', '<!-- a table -->'),
    );
    expect(await check(copy)).toContainEqual(expect.stringMatching(/the cases of "onenet-sender"/));
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

test('a generated table lists every case with its level, title, source URL and the faulty variants it catches', async () => {
  const all = await catalogues();
  expect(all.map((c) => c.name)).toEqual([...Object.keys(PROFILES), 'onenet-sender', 'controlid-device']);
  for (const c of all) {
    const block = renderBlock(c);
    const rows = block.split('\n').filter((l) => l.startsWith('| `'));
    expect(rows).toHaveLength(Object.keys(c.registry).length);
    for (const [id, r] of Object.entries(c.registry)) {
      const row = rows.find((l) => l.startsWith(`| \`${id}\` |`)) ?? '';
      expect(row, id).toContain(`| ${r.level}${r.interpreted ? '\\*' : ''} |`);
      if (r.source.document.url) expect(row, id).toContain(`(${r.source.document.url})`);
      for (const [variant, { caughtBy }] of Object.entries(c.faulty)) {
        if (caughtBy.includes(id)) expect(row, `${id} ${variant}`).toContain(`\`${variant}\``);
      }
    }
  }
});

test('the README is a short read that shows the two commands setting everything up', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  expect(readme.split('\n').length).toBeLessThanOrEqual(200);
  expect(readme).toContain('npm ci && npm run demo');
  expect(readme).toMatch(/^npm test\s/m);
  const scripts = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  ).scripts;
  expect(scripts.demo).toContain('pushcheck.js demo');
  expect(scripts.test).toContain('playwright test --project self');
  expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/^npm test /m);
});

/** The relative link targets in a markdown text found in `dir`, as paths from the repository root (anchors dropped). */
function relativeLinks(text: string, dir: string): string[] {
  return [...text.replace(/```[\s\S]*?```/g, '').matchAll(/\]\(([^)\s]+)\)/g)]
    .map(([, target]) => target ?? '')
    .filter((t) => !/^[a-z]+:/.test(t) && !t.startsWith('#'))
    .map((t) => join(dir, t.split('#')[0] ?? '').replace(/\\/g, '/'));
}

test('every relative link in README.md and docs/ leads to a file of the repository', () => {
  const files = [
    'README.md',
    ...readdirSync(DOCS, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.md'))
      .map((f) => join('docs', f)),
  ];
  expect(files.length).toBeGreaterThan(10);
  const broken = files.flatMap((f) =>
    relativeLinks(readFileSync(join(ROOT, f), 'utf8'), dirname(f))
      .filter((t) => !PENDING.has(t) && !existsSync(join(ROOT, t)))
      .map((t) => `${f} → ${t}`),
  );
  expect(broken).toEqual([]);
  // The check sees a link that leads nowhere, and follows one that leads out of docs/.
  const links = relativeLinks(
    '[x](no-such-file.md) [y](../README.md#install) [z](https://example.org)',
    'docs',
  );
  expect(links).toEqual(['docs/no-such-file.md', 'README.md']);
  expect(links.filter((t) => !existsSync(join(ROOT, t)))).toEqual(['docs/no-such-file.md']);
});
