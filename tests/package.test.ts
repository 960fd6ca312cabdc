/**
 * The published package, as a user gets it: `npm pack`, the tarball installed into a scratch project outside
 * the repository, and every command run from there through `npx pushcheck` (the README's "Install" lines). A
 * file the compiled code needs but `files` leaves out fails a step here. One pack and one install serve every
 * step; background commands are stopped in `finally`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { ROOT, scratch } from './helpers.ts';
import { freePort } from './launchers/support.ts';
import { background, exitOf, sh, stop, validReport, waitForPort } from './package-helpers.ts';

const TOKEN = 'package-test-token-5';
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** `npx pushcheck …` in the scratch project. */
const npx = (cwd: string, args: string[], env = {}) => sh('npx', ['pushcheck', ...args], cwd, 120_000, env);
const TYPESCRIPT = (
  JSON.parse(readFileSync(join(ROOT, 'node_modules', 'typescript', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

test.describe('the npm package', () => {
  test.describe.configure({ mode: 'serial' });
  let work = '';
  let project = '';

  test.beforeAll(async () => {
    // npm pack builds (prepack) and packs; the install resolves from npm's cache when it can.
    test.setTimeout(300_000);
    work = scratch('pushcheck-package-');
    const packed = await sh('npm', ['pack', '--pack-destination', work, '--json'], ROOT, 240_000);
    expect(packed.code, packed.err).toBe(0);
    const [tarball] = JSON.parse(packed.out.slice(packed.out.indexOf('['))) as {
      filename: string;
      size: number;
      entryCount: number;
    }[];
    expect(tarball?.filename).toBe(`pushcheck-${VERSION}.tgz`);
    console.log(`tarball: ${tarball?.size} bytes, ${tarball?.entryCount} files`);
    project = join(tmpdir(), `pushcheck-consumer-${process.pid}-${Date.now()}`);
    mkdirSync(project);
    expect(project.startsWith(ROOT)).toBe(false);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2),
    );
    const started = performance.now();
    const installed = await sh(
      'npm',
      [
        ...['install', '--save-dev', '--no-audit', '--no-fund', '--prefer-offline'],
        ...[join(work, tarball?.filename ?? ''), `typescript@${TYPESCRIPT}`],
      ],
      project,
      240_000,
    );
    expect(installed.code, installed.err).toBe(0);
    console.log(`npm install of the tarball (and typescript): ${Math.round(performance.now() - started)} ms`);
  });

  test.afterAll(() => {
    for (const dir of [work, project]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('it holds what runs, and no TypeScript source', () => {
    const installed = join(project, 'node_modules', 'pushcheck');
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
      );
    const all = files(installed).map((f) => f.slice(installed.length + 1));
    expect(all.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(all.filter((f) => f.endsWith('.d.ts')).sort()).toEqual([
      'dist/src/core/config-file.d.ts',
      'dist/src/index.d.ts',
    ]);
    for (const f of ['bin/pushcheck.js', 'dist/src/cli.js', 'dist/playwright.config.js', 'README.md']) {
      expect(all).toContain(f);
    }
    expect(all).toContain('specs/report.schema.json');
    expect(all).toContain('specs/onenet/schemas/push.json');
    expect(all.filter((f) => f.endsWith('.map') || f.endsWith('.yaml'))).toEqual([]);
    expect(all).toContain('dist/src/protocols/alertpush/camera/1920x1080.jpg');
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies)).not.toContain('tsx');
  });

  test('--version and cases', async () => {
    const version = await npx(project, ['--version']);
    expect(version.code, version.err).toBe(0);
    expect(version.out.trim()).toBe(VERSION);
    const cases = await npx(project, ['cases']);
    expect(cases.code, cases.err).toBe(0);
    for (const id of ['onenet.verify.echo-verbatim', 'onenet-legacy.', 'ekuiper.', 'controlid.', 'eye4.']) {
      expect(cases.out).toContain(id);
    }
  });

  test('demo --profile onenet', async () => {
    test.setTimeout(180_000);
    const demo = await npx(project, ['demo', '--profile', 'onenet']);
    expect(demo.code, demo.out + demo.err).toBe(0);
    expect(demo.out).toMatch(/verdict: CONFORMANT/);
    expect(validReport(join(project, 'reports', 'demo', 'onenet-plain')).verdict).toBe('conformant');
  });

  test('run against serve, by flags and by a pushcheck.config.ts; send; report merge', async () => {
    test.setTimeout(240_000);
    const port = await freePort();
    const target = `http://127.0.0.1:${port}/onenet`;
    const processed = join(project, 'processed.log');
    writeFileSync(processed, '');
    const serve = background('npx', project, [
      'pushcheck',
      ...['serve', 'onenet', '--port', String(port), '--token', TOKEN, '--observe-file', processed],
    ]);
    try {
      await waitForPort(port, serve.child);
      expect(serve.output()).toContain(`reference receiver (onenet) at ${target}`);

      const run = await npx(project, [
        ...['run', '--profile', 'onenet', '--target', target, '--token', TOKEN],
        ...['--observe-file', processed, '--label', 'by-flags', '--report', 'reports/by-flags'],
      ]);
      expect(run.code, run.out + run.err).toBe(0);
      expect(run.out).toMatch(/verdict: CONFORMANT/);
      const byFlags = validReport(join(project, 'reports', 'by-flags'));
      expect(byFlags.verdict).toBe('conformant');
      expect(byFlags.summary.passed).toBeGreaterThan(20);

      // The config, typed by the package's own declarations: tsc accepts it, and rejects a wrong one.
      const config = `import { defineConfig } from 'pushcheck';

export default defineConfig({
  runs: [
    {
      name: 'by-config',
      profile: 'onenet',
      options: {
        target: '${target}',
        token: { env: 'ONENET_TOKEN' },
        'observe-file': 'processed.log',
        label: 'by-config',
      },
    },
  ],
});
`;
      writeFileSync(join(project, 'pushcheck.config.ts'), config);
      const tsc = ['tsc', '--noEmit', '--strict', '--module', 'nodenext'];
      const typed = await sh('npx', [...tsc, 'pushcheck.config.ts'], project);
      expect(typed.code, typed.out + typed.err).toBe(0);
      writeFileSync(join(project, 'wrong.config.ts'), config.replace("profile: 'onenet'", 'profile: 7'));
      const wrong = await sh('npx', [...tsc, 'wrong.config.ts'], project);
      expect(wrong.code).not.toBe(0);
      expect(wrong.out).toMatch(/wrong\.config\.ts\(\d+,\d+\): error TS2322/);
      rmSync(join(project, 'wrong.config.ts'));

      const byConfig = await npx(project, ['run'], { ONENET_TOKEN: TOKEN });
      expect(byConfig.code, byConfig.out + byConfig.err).toBe(0);
      expect(byConfig.out).toMatch(/report: \S+reports\/by-config\/index.html/);
      expect(validReport(join(project, 'reports', 'by-config')).verdict).toBe('conformant');
      expect(
        readdirSync(project).filter((f) => f.endsWith('.mjs')),
        'no scratch file left',
      ).toEqual([]);

      // Without the typescript package, a .ts config is one sentence saying what to do.
      const ts = join(project, 'node_modules', 'typescript');
      renameSync(ts, `${ts}.away`);
      try {
        const bare = await npx(project, ['run'], { ONENET_TOKEN: TOKEN });
        expect(bare.code).toBe(2);
        expect(bare.err).toMatch(
          /pushcheck\.config\.ts is TypeScript, which needs the typescript package to load: install it/,
        );
        expect(bare.err).not.toMatch(/\n\s+at /);
      } finally {
        renameSync(`${ts}.away`, ts);
      }

      const send = await npx(project, ['send', 'onenet', '--target', target, '--token', TOKEN]);
      expect(send.code, send.out + send.err).toBe(0);
      expect(send.out).toMatch(/1 delivered, 0 dropped/);

      const merged = await npx(project, [
        ...[
          'report',
          'merge',
          'reports/by-flags',
          'reports/by-config',
          '--out',
          'site',
          '--title',
          'consumer',
        ],
      ]);
      expect(merged.code, merged.out + merged.err).toBe(0);
      expect(merged.out).toMatch(/merged 2 report\(s\) into 2 receiver page\(s\)/);
      expect(readFileSync(join(project, 'site', 'index.html'), 'utf8')).toContain('consumer');
    } finally {
      stop(serve.child);
    }
  });

  test('listen grades send', async () => {
    test.setTimeout(120_000);
    const port = await freePort();
    const fast = ['--time-scale', '0.001'];
    const listen = background('npx', project, [
      'pushcheck',
      ...['listen', 'onenet', '--port', String(port), '--token', TOKEN, '--respond', 'fail-first=2'],
      ...[...fast, '--count', '1', '--duration', '60', '--report', 'reports/listen'],
    ]);
    try {
      await waitForPort(port, listen.child);
      const send = await npx(project, [
        ...['send', 'onenet', '--target', `http://127.0.0.1:${port}/onenet`, '--token', TOKEN, ...fast],
      ]);
      expect(send.code, send.out + send.err).toBe(0);
      expect(send.out).toMatch(/delivered at attempt 3/);
      expect(await exitOf(listen.child, 60_000), listen.output()).toBe(0);
      expect(listen.output()).toMatch(/passed +MUST +onenet-sender\.retry\.schedule/);
      expect(validReport(join(project, 'reports', 'listen')).verdict).toBe('conformant');
      expect(existsSync(join(project, 'reports', 'listen', 'index.html'))).toBe(true);
    } finally {
      stop(listen.child);
    }
  });
});

test('a clone that was not built says so in one sentence', async () => {
  // The bin alone, with no dist/ beside it, as in a fresh clone before `npm run build`.
  const dir = scratch();
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'pushcheck.js'), readFileSync(join(ROOT, 'bin', 'pushcheck.js')));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
  const r = await sh(process.execPath, [join(dir, 'bin', 'pushcheck.js'), '--version'], dir);
  expect(r.code).toBe(2);
  expect(r.err.trim()).toBe(
    `pushcheck is not built (no ${join(dir, 'dist', 'src', 'cli.js')}): run \`npm run build\` in ${dir}.`,
  );
});
