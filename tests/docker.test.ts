/**
 * The Docker image (Dockerfile), built with no image registry: its base is the host's node binary
 * (scripts/node-image.sh), its build stage's image that plus a shell and npm (scripts/node-build-image.sh).
 * Run as the README says, against a reference receiver and a faulty one on the host's loopback, it gives the
 * verdicts and exit codes the package gives (bin/pushcheck.js runs the same compiled dist/). Docker missing:
 * skipped loudly on a developer's machine, a failure in CI.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { pushcheck, ROOT, scratch } from './helpers.ts';
import { dockerAvailable, freePort, NODE_IMAGE, requireService, sh as run } from './launchers/support.ts';
import { background, sh, stop, validReport, waitForPort } from './package-helpers.ts';

const IMAGE = 'pushcheck/pushcheck:local';
const BUILD_IMAGE = 'pushcheck/node-build:local';
const TOKEN = 'docker-test-token-7';

test.describe('the Docker image', () => {
  test.describe.configure({ mode: 'serial' });

  test.beforeAll(async () => {
    // A clean machine's first build fetches the build stage's npm packages and compiles.
    test.setTimeout(900_000);
    requireService(await dockerAvailable(), 'Docker (docker info)');
    const base = await sh(
      'bash',
      [join(ROOT, 'scripts', 'node-build-image.sh'), BUILD_IMAGE, NODE_IMAGE],
      ROOT,
    );
    expect(base.code, base.out + base.err).toBe(0);
    const built = await sh(
      'docker',
      [
        ...['build', '-q', '-t', IMAGE, '--build-arg', `BASE_IMAGE=${NODE_IMAGE}`],
        ...['--build-arg', `BUILD_IMAGE=${BUILD_IMAGE}`, ROOT],
      ],
      ROOT,
      840_000,
    );
    expect(built.code, built.out + built.err).toBe(0);
  });

  test('runs as a user, not root, and holds no development dependency', async () => {
    const user = await run('docker', [
      'image',
      'inspect',
      '-f',
      '{{.Config.User}} {{.Config.WorkingDir}}',
      IMAGE,
    ]);
    expect(user.out.trim()).toBe('1000:1000 /work');
    const probe = `const fs = require('fs');
      console.log(['tsx', 'eslint', '@playwright/test', 'ajv'].map((m) => m + '=' + fs.existsSync('/opt/pushcheck/node_modules/' + m)).join(' '), process.getuid());`;
    const inside = await run('docker', ['run', '--rm', '--entrypoint', 'node', IMAGE, '-e', probe]);
    expect(inside.code, inside.out).toBe(0);
    expect(inside.out.trim()).toBe('tsx=false eslint=false @playwright/test=true ajv=true 1000');
    const version = await run('docker', ['run', '--rm', IMAGE, '--version']);
    expect(version.out.trim()).toBe((await pushcheck(['--version'])).stdout.trim());
  });

  for (const [receiver, faulty, code, verdict] of [
    ['the reference receiver', undefined, 0, 'conformant'],
    ['a faulty receiver (quoted-echo)', 'quoted-echo', 1, 'non-conformant'],
  ] as const) {
    test(`grades ${receiver} as the package does: exit ${code}`, async () => {
      test.setTimeout(240_000);
      const dir = scratch('pushcheck-docker-');
      // The container writes as the calling user (README: --user "$(id -u):$(id -g)").
      chmodSync(dir, 0o777);
      writeFileSync(join(dir, 'processed.log'), '');
      const port = await freePort();
      const target = `http://127.0.0.1:${port}/onenet`;
      const serve = background(process.execPath, dir, [
        ...[join(ROOT, 'bin', 'pushcheck.js'), 'serve', 'onenet', '--port', String(port), '--token', TOKEN],
        ...['--observe-file', join(dir, 'processed.log'), ...(faulty ? ['--faulty', faulty] : [])],
      ]);
      const name = `pushcheck-test-${process.pid}-${port}`;
      try {
        await waitForPort(port, serve.child);
        const args = ['run', '--profile', 'onenet', '--target', target, '--token', TOKEN];
        const user = `${process.getuid?.() ?? 1000}:${process.getgid?.() ?? 1000}`;
        const docker = await run(
          'docker',
          [
            ...['run', '--rm', '--name', name, '--network', 'host', '--user', user, '-v', `${dir}:/work`],
            ...[IMAGE, ...args, '--observe-file', 'processed.log', '--report', 'reports/docker'],
          ],
          180_000,
        );
        const npm = await pushcheck(
          [
            ...args,
            '--observe-file',
            join(dir, 'processed.log'),
            '--report',
            join(dir, 'reports', 'package'),
          ],
          undefined,
          {},
          dir,
        );
        expect(docker.code, docker.out).toBe(code);
        expect(npm.code, npm.stdout + npm.stderr).toBe(code);
        const [fromDocker, fromPackage] = ['docker', 'package'].map((r) =>
          validReport(join(dir, 'reports', r)),
        );
        expect(fromDocker?.verdict).toBe(verdict);
        expect(fromPackage?.verdict).toBe(verdict);
        expect(docker.out).toContain('report: /work/reports/docker/index.html');
        expect(docker.out).not.toContain(TOKEN);
      } finally {
        stop(serve.child);
        await run('docker', ['rm', '-f', name], 30_000);
      }
    });
  }
});
