/**
 * `pushcheck init`, run as a user would in a scratch repository: the three files it writes, that the config and
 * the expectations file load as `run` reads them, that it never writes over a file or writes anything when one
 * path fails, and the prompt on a terminal (attached with script(1)).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { expect, test } from '@playwright/test';
import { onenetHandlers } from '../mocks/onenet/reference.ts';
import { serve } from '../mocks/serve.ts';
import { askProfile, profileOptions, WORKFLOW_FILE } from '../src/commands/init.ts';
import { planRuns } from '../src/core/config-file.ts';
import { PROFILES } from '../src/profiles.ts';
import { readExpectations } from '../src/report/expectations.ts';
import { allCaseIds } from '../src/report/options.ts';
import { cleanEnv, lockFolder, pushcheck, ROOT, scratch, TOKEN } from './helpers.ts';

const FILES = ['pushcheck.config.ts', 'pushcheck.expectations.json', WORKFLOW_FILE];
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function written(dir: string): string[] {
  return [...FILES, 'pushcheck.config.json'].filter((f) => existsSync(join(dir, f)));
}

/** Makes this package resolvable as `pushcheck` from the project in `dir`. */
function linkPackage(dir: string): void {
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules', 'pushcheck'), 'dir');
}

/** The inputs action.yml declares, and which of them are required. */
function actionInputs(): Map<string, boolean> {
  const yml = readFileSync(join(ROOT, 'action.yml'), 'utf8');
  const block = yml.slice(yml.indexOf('\ninputs:\n'), yml.indexOf('\noutputs:\n'));
  const inputs = new Map<string, boolean>();
  let current = '';
  for (const line of block.split('\n')) {
    const name = /^ {2}([\w-]+):$/.exec(line)?.[1];
    if (name !== undefined) inputs.set((current = name), false);
    else if (/^ {4}required: true$/.test(line)) inputs.set(current, true);
  }
  return inputs;
}

/** The `with:` and `env:` entries of the workflow's pushcheck step (the lines init writes, not a YAML parser). */
function pushcheckStep(workflow: string): { uses: string; with: Map<string, string>; env: string[] } {
  const step = workflow.slice(workflow.indexOf('      - name: pushcheck\n'));
  const uses = /^ {8}uses: (.+)$/m.exec(step)?.[1] ?? '';
  const section = (name: string) => {
    const start = step.indexOf(`        ${name}:\n`);
    if (start < 0) return [];
    const lines = step.slice(start).split('\n').slice(1);
    return lines.slice(
      0,
      lines.findIndex((l) => !l.startsWith('          ')),
    );
  };
  const withs = new Map<string, string>();
  for (const line of section('with')) {
    const m = /^ {10}([\w-]+): (.*)$/.exec(line);
    if (m?.[1] !== undefined) withs.set(m[1], m[2] ?? '');
  }
  return { uses, with: withs, env: section('env').filter((l) => !l.trim().startsWith('#')) };
}

test('init --profile writes a commented config, an empty expectations file and a workflow, then says what to run', async () => {
  const dir = scratch();
  // A secret in init's own environment must not end up in any file it writes.
  const r = await pushcheck(['init', '--profile', 'onenet'], undefined, { PUSHCHECK_TOKEN: TOKEN }, dir);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(written(dir)).toEqual(FILES);
  expect(r.stdout).toMatch(/^ {2}PUSHCHECK_TOKEN=… npx pushcheck run$/m);
  expect(r.stdout).toContain('add PUSHCHECK_TOKEN to the repository');
  for (const f of FILES) expect(readFileSync(join(dir, f), 'utf8')).not.toContain(TOKEN);

  const ts = readFileSync(join(dir, 'pushcheck.config.ts'), 'utf8');
  expect(ts).toContain("import { defineConfig } from 'pushcheck';\n");
  expect(ts).toContain('export default defineConfig({');
  expect(ts).toContain("      profile: 'onenet',");
  // The token is required: read from the environment; secure mode is optional: commented out.
  expect(ts).toMatch(/^ {8}token: \{ env: 'PUSHCHECK_TOKEN' \},$/m);
  expect(ts).toMatch(/^ {8}\/\/ 'aes-key': \{ env: 'PUSHCHECK_AES_KEY' \},$/m);
  // Every option of the profile is there, with its help.
  for (const o of profileOptions(PROFILES.onenet!)) {
    expect(ts).toContain(`// ${o.help[0]}`);
    expect(ts).toMatch(new RegExp(`^ {8}(// )?'?${o.name}'?: `, 'm'));
  }
  // The file as written loads and yields the run: its `import … from 'pushcheck'` finds this package, linked
  // into the project as an installed one would be (tests/package.test.ts installs the real tarball).
  linkPackage(dir);
  // Through the CLI: the file loads, and its run reads the token from the environment.
  const unset = await pushcheck(['run'], undefined, {}, dir);
  expect(unset.code).toBe(2);
  expect(unset.stderr).toBe(
    `pushcheck: ${join(dir, 'pushcheck.config.ts')}, run 1: "token" reads the environment variable PUSHCHECK_TOKEN, which is not set\n`,
  );

  const expectations = readExpectations(join(dir, 'pushcheck.expectations.json'), allCaseIds());
  expect(expectations.expectations).toEqual({});

  const workflow = readFileSync(join(dir, WORKFLOW_FILE), 'utf8');
  const step = pushcheckStep(workflow);
  expect(step.uses).toBe(`your-org/pushcheck@v${VERSION}`);
  expect(step.with.get('profile')).toBe('onenet');
  expect(step.with.get('target')).toBe('http://127.0.0.1:8080/onenet');
  expect(step.with.get('expectations')).toBe('pushcheck.expectations.json');
  const inputs = actionInputs();
  expect([...inputs.keys()]).toContain('profile');
  for (const key of step.with.keys()) expect([...inputs.keys()]).toContain(key);
  for (const [name, required] of inputs) if (required) expect([...step.with.keys()]).toContain(name);
  expect(step.env).toEqual(['          PUSHCHECK_TOKEN: ${{ secrets.PUSHCHECK_TOKEN }}']);
  expect(workflow).toMatch(/^ {10}# PUSHCHECK_AES_KEY: \$\{\{ secrets\.PUSHCHECK_AES_KEY \}\}/m);
  // The receiver's step is the user's to fill in: until then it fails the job, saying so.
  expect(workflow).toContain('fill in the step that starts your receiver');
});

test('init --json writes a config `pushcheck run` loads, for every profile, secrets only from the environment', async () => {
  for (const profile of Object.values(PROFILES)) {
    const dir = scratch();
    const r = await pushcheck(['init', '--json', '--profile', profile.name], undefined, {}, dir);
    expect(r.code, r.stderr).toBe(0);
    expect(written(dir)).toEqual(['pushcheck.expectations.json', WORKFLOW_FILE, 'pushcheck.config.json']);
    expect(r.stdout).toMatch(/npx pushcheck run$/m);
    const file = join(dir, 'pushcheck.config.json');
    const config = JSON.parse(readFileSync(file, 'utf8')) as { runs: { options: Record<string, unknown> }[] };
    const secrets = profileOptions(profile).filter((o) => o.env !== undefined);
    const env = Object.fromEntries(secrets.map((s, i) => [s.env, `secret-${i}-value`]));
    const [run] = await planRuns(file, env);
    expect(run?.args.slice(0, 4)).toEqual([
      '--profile',
      profile.name,
      '--target',
      `http://127.0.0.1:8080/${profile.name}`,
    ]);
    // A secret option the file sets is an { env } reference, never a value.
    for (const s of secrets) {
      const value = config.runs[0]?.options[s.name];
      if (value !== undefined) expect(value).toEqual({ env: s.env });
    }
    const required = Object.keys(config.runs[0]?.options ?? {}).filter((k) =>
      secrets.some((s) => s.name === k),
    );
    // The profiles that cannot run without a secret ask for it; the others run without one.
    expect(required).toEqual(
      { onenet: ['token'], 'onenet-legacy': ['token'], eye4: ['guid'] }[profile.name] ?? [],
    );
    if (required.length > 0) {
      await expect(planRuns(file, {})).rejects.toThrow(
        /reads the environment variable PUSHCHECK_\w+, which is not set/,
      );
    }
    expect(readFileSync(join(dir, WORKFLOW_FILE), 'utf8')).toContain(`          profile: ${profile.name}\n`);
  }
});

test('the config init writes runs once its target is the receiver', async () => {
  const dir = scratch();
  expect((await pushcheck(['init', '--profile', 'onenet'], undefined, {}, dir)).code).toBe(0);
  const file = join(dir, 'pushcheck.config.ts');
  const server = await serve(onenetHandlers({ token: TOKEN }));
  try {
    // What the user edits: the target; and, here, only a few cases, to keep the test short. The package's
    // entry is stood in for, as above.
    const target = "        target: 'http://127.0.0.1:8080/onenet',\n";
    const ts = readFileSync(file, 'utf8');
    expect(ts).toContain(target);
    const edited = ts.replace(
      target,
      `        target: '${server.origin}/onenet',\n        grep: 'onenet\\\\.verify',\n`,
    );
    writeFileSync(file, edited);
    linkPackage(dir);
    const r = await pushcheck(['run'], join(dir, 'reports', 'onenet'), { PUSHCHECK_TOKEN: TOKEN }, dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.report?.profile).toBe('onenet');
    expect(r.report?.cases.filter((c) => c.outcome === 'passed').length).toBeGreaterThan(0);
    expect(r.stdout + r.stderr).not.toContain(TOKEN);
  } finally {
    await server.close();
  }
});

test('init never writes over a file: it names it, exits 2 and writes nothing; --force writes over it', async () => {
  const dir = scratch();
  const mine =
    '{ "expectations": { "onenet.verify.echo-verbatim": { "outcome": "failed", "reason": "x" } } }\n';
  writeFileSync(join(dir, 'pushcheck.expectations.json'), mine);
  const refused = await pushcheck(['init', '--profile', 'onenet'], undefined, {}, dir);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toBe(
    "pushcheck: pushcheck.expectations.json already exists here, so nothing was written: pass --force to write pushcheck init's files over it\n",
  );
  expect(written(dir)).toEqual(['pushcheck.expectations.json']);
  expect(readFileSync(join(dir, 'pushcheck.expectations.json'), 'utf8')).toBe(mine);

  const forced = await pushcheck(['init', '--profile', 'onenet', '--force'], undefined, {}, dir);
  expect(forced.code, forced.stderr).toBe(0);
  expect(written(dir)).toEqual(FILES);
  expect(JSON.parse(readFileSync(join(dir, 'pushcheck.expectations.json'), 'utf8'))).toMatchObject({
    expectations: {},
  });

  // Another config file counts too: `pushcheck run` would read it. With --force, the next command names ours.
  const json = await pushcheck(['init', '--profile', 'eye4', '--json'], undefined, {}, dir);
  expect(json.code).toBe(2);
  expect(json.stderr).toMatch(
    /^pushcheck: pushcheck\.expectations\.json, \.github\/workflows\/pushcheck\.yml and pushcheck\.config\.ts already exist here/,
  );
  expect(written(dir)).toEqual(FILES);
  const both = await pushcheck(['init', '--profile', 'eye4', '--json', '--force'], undefined, {}, dir);
  expect(both.code, both.stderr).toBe(0);
  expect(both.stdout).toMatch(
    /^ {2}PUSHCHECK_EYE4_GUID=… npx pushcheck run --config pushcheck\.config\.json$/m,
  );
  expect(readFileSync(join(dir, 'pushcheck.config.ts'), 'utf8')).toContain("profile: 'onenet'");
});

test('init exits 2 with a sentence and writes nothing: unknown profile, no terminal and no --profile, a bad --action', async () => {
  const dir = scratch();
  const cases: [string[], RegExp][] = [
    [['init', '--profile', 'mqtt'], /^pushcheck: unknown profile "mqtt": known profiles are onenet, /],
    [
      ['init'],
      /^pushcheck: init needs --profile P when no terminal is attached to ask: one of onenet, onenet-legacy, ekuiper, controlid, eye4, alertpush\n$/,
    ],
    [
      ['init', '--profile', 'onenet', '--action', 'pushcheck'],
      /^pushcheck: --action "pushcheck" is not an action reference/,
    ],
    [['init', '--profile', 'onenet', 'extra'], /^pushcheck: unexpected argument "extra"/],
  ];
  for (const [args, message] of cases) {
    const r = await pushcheck(args, undefined, {}, dir);
    expect(r.code, args.join(' ')).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(written(dir)).toEqual([]);
  }
  const help = await pushcheck(['init', '--help'], undefined, {}, dir);
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/^Usage: pushcheck init \[--profile P\] \[--json\] \[--force\]/);
});

test('init exits 2 naming a folder it cannot write into, and writes nothing (checked before any file)', async () => {
  const dir = scratch();
  // .github a regular file: .github/workflows cannot be made (root writes anywhere, so a mode would not do).
  writeFileSync(join(dir, '.github'), 'not a folder\n');
  const r = await pushcheck(['init', '--profile', 'onenet', '--force'], undefined, {}, dir);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(
    'pushcheck: cannot make the folder .github/workflows: .github is a file, not a folder; move it away, then run pushcheck init again\n',
  );
  expect(written(dir)).toEqual([]);

  const other = scratch();
  mkdirSync(join(other, 'pushcheck.config.ts'));
  const folder = await pushcheck(['init', '--profile', 'onenet', '--force'], undefined, {}, other);
  expect(folder.code).toBe(2);
  expect(folder.stderr).toMatch(/^pushcheck: pushcheck\.config\.ts exists and is not a file: move it away/);
  expect(written(other)).toEqual(['pushcheck.config.ts']);
  expect(existsSync(join(other, 'pushcheck.expectations.json'))).toBe(false);
});

test('init exits 2 naming the current folder when it may not write there, and writes nothing', async () => {
  const dir = scratch();
  const unlock = lockFolder(dir);
  try {
    const r = await pushcheck(['init', '--profile', 'onenet'], undefined, {}, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `pushcheck: cannot write into ${dir} (permission denied): run pushcheck init where you may write\n`,
    );
    expect(written(dir)).toEqual([]);
  } finally {
    unlock();
  }
});

test('the prompt takes a number or a name, asks again after a wrong answer, and gives up at the end of input', async () => {
  const ask = async (answers: string) => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (d: Buffer) => (shown += String(d)));
    const chosen = askProfile(input, output, { terminal: false });
    input.end(answers);
    return { chosen: await chosen.catch((err: Error) => err.message), shown };
  };
  expect((await ask('5\n')).chosen).toBe('eye4');
  const again = await ask('nine\nekuiper\n');
  expect(again.chosen).toBe('ekuiper');
  expect(again.shown).toContain('"nine" is not one of them: answer a number from 1 to 6, or a name.');
  expect(again.shown).toMatch(/ {2}1\. onenet +OneNET Studio HTTP push/);
  expect((await ask('')).chosen).toMatch(/^no profile chosen; pass --profile P, one of onenet, /);
  expect((await ask('x\ny\nz\nonenet\n')).chosen).toMatch(/^no profile chosen/);
  // A signal while it waits (SIGTERM, SIGHUP in the CLI) ends the question as Ctrl-C does.
  const input = new PassThrough();
  const interrupt = new AbortController();
  const waiting = askProfile(input, new PassThrough(), { terminal: false, signal: interrupt.signal });
  interrupt.abort();
  expect(await waiting).toBeUndefined();
});

const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;

/**
 * Runs `pushcheck init` on a pseudo-terminal (script(1)), and at each step, once its pattern shows, types the
 * answer or sends the signal to pushcheck (script's child: the shell execs it).
 */
async function onTerminal(
  dir: string,
  steps: [RegExp, string | NodeJS.Signals][],
): Promise<{ code: number | null; out: string }> {
  // `exec`: dash, script's shell when SHELL is unset (as in CI), would otherwise stay as pushcheck's parent.
  const cmd = `exec '${process.execPath}' '${join(ROOT, 'bin', 'pushcheck.js')}' init`;
  const child = spawn('script', ['-qec', cmd, '/dev/null'], { cwd: dir, env: cleanEnv({ TERM: 'dumb' }) });
  let out = '';
  let next = 0;
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  child.stdout.on('data', (d: Buffer) => {
    out += String(d);
    const step = steps[next];
    if (step && step[0].test(out)) {
      next += 1;
      if (!step[1].startsWith('SIG')) child.stdin.write(step[1]);
      else {
        const pid = spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' }).stdout.trim();
        process.kill(Number(pid), step[1] as NodeJS.Signals);
      }
    }
  });
  const code = await new Promise<number | null>((done) => child.on('close', done));
  clearTimeout(timer);
  return { code, out };
}

test('on a terminal, init asks for the profile, and Ctrl-C or SIGTERM writes nothing', async () => {
  test.skip(!HAS_SCRIPT, 'needs script(1) (util-linux) to attach a terminal');
  const dir = scratch();
  const answered = await onTerminal(dir, [
    [/Profile \(1-6 or a name\): /, 'mqtt\r'],
    [/is not one of them[\s\S]*Profile \(1-6 or a name\): /, '3\r'],
  ]);
  expect(answered.code, answered.out).toBe(0);
  expect(answered.out).toContain('Which protocol does your receiver speak?');
  expect(answered.out).toContain('for the ekuiper profile');
  expect(readFileSync(join(dir, 'pushcheck.config.ts'), 'utf8')).toContain("profile: 'ekuiper'");

  const other = scratch();
  const interrupted = await onTerminal(other, [[/Profile \(1-6 or a name\): /, '\x03']]);
  expect(interrupted.code, interrupted.out).toBe(130);
  expect(interrupted.out).toContain('interrupted; nothing was written');
  expect(written(other)).toEqual([]);

  const terminated = await onTerminal(other, [[/Profile \(1-6 or a name\): /, 'SIGTERM']]);
  expect(terminated.code, terminated.out).toBe(130);
  expect(terminated.out).toContain('interrupted; nothing was written');
  expect(written(other)).toEqual([]);
});
