/**
 * The reusable action's run step (scripts/action-run.sh, which action.yml calls), run as GitHub would: inputs
 * in INPUT_* variables, outputs to GITHUB_OUTPUT, the job summary to GITHUB_STEP_SUMMARY, annotations on
 * stdout.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { faultyBehaviour } from '../../mocks/onenet/faulty.ts';
import { onenetHandlers } from '../../mocks/onenet/reference.ts';
import { serve } from '../../mocks/serve.ts';
import { cleanEnv, ROOT, scratch, TOKEN } from '../helpers.ts';

test('the action runs pushcheck with its inputs, sets its outputs, writes the summary and annotates', async () => {
  const dir = scratch();
  const observeFile = join(dir, 'processed.log');
  const files = {
    output: join(dir, 'output'),
    summary: join(dir, 'summary.md'),
    report: join(dir, 'report'),
  };
  writeFileSync(files.output, '');
  const server = await serve(onenetHandlers({ token: TOKEN, observeFile }, faultyBehaviour('quoted-echo')));
  let stdout: string;
  try {
    stdout = await new Promise<string>((done, fail) =>
      execFile(
        'bash',
        [join(ROOT, 'scripts', 'action-run.sh')],
        {
          cwd: dir,
          timeout: 240_000,
          env: cleanEnv({
            GITHUB_ACTIONS: 'true',
            GITHUB_ACTION_PATH: ROOT,
            GITHUB_OUTPUT: files.output,
            GITHUB_STEP_SUMMARY: files.summary,
            PUSHCHECK_TOKEN: TOKEN,
            INPUT_PROFILE: 'onenet',
            INPUT_TARGET: `${server.origin}/onenet`,
            INPUT_CONFIG: `--observe-file ${observeFile} --grep onenet\\.verify --label quoted`,
            INPUT_FAIL_ON: 'must',
            INPUT_EXPECTATIONS: '',
            INPUT_REPORT: files.report,
          }),
        },
        (err, out, stderr) => (err ? fail(new Error(`${err.message}\n${out}\n${stderr}`)) : done(out)),
      ),
    );
  } finally {
    await server.close();
  }
  expect(readFileSync(files.output, 'utf8')).toBe('verdict=non-conformant\ngate=fail\nexit-code=1\n');
  expect(readFileSync(files.summary, 'utf8')).toMatch(/^## ❌ pushcheck onenet · quoted: NON-CONFORMANT/);
  // The annotation points at the case's code, which OneNET Studio and legacy share (suites/onenet-common/).
  expect(stdout).toMatch(
    /^::error file=suites\/onenet-common\/verification\.ts,line=\d+,title=FAILED MUST onenet\.verify\.echo-verbatim/m,
  );
  expect(stdout).not.toContain(TOKEN);
});
