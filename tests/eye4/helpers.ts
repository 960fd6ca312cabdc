/** Runs the real CLI against an Eye4 receiver served on loopback, with pushcheck's Eye4 API mock. */
import { join } from 'node:path';
import { type Behaviour, eye4Handlers, reference } from '../../mocks/eye4/reference.ts';
import { serve } from '../../mocks/serve.ts';
import { freePort } from '../../src/protocols/eye4/profile.ts';
import { type CliResult, pushcheck, scratch, type Runner } from '../helpers.ts';

/** The account guid of the self-tests (a secret: never to appear in a report or the output). */
export const GUID = 'selftest-guid-7f3e91';

export interface RunOptions {
  /** Runs pushcheck (default: at once; a batch's part in the faulty-receiver loop). */
  runner?: Runner;
  /** Serve the API mock and point the receiver at it (default true). */
  api?: boolean;
  /** Pass --observe-file (default true). */
  observe?: boolean;
  /** Alarms and resource messages on one URL, and no --resource-target (default false). */
  oneUrl?: boolean;
  extra?: string[];
}

/** Serves `behaviour` and runs `pushcheck run --profile eye4` against it. */
export async function runEye4(
  behaviour: Behaviour = reference,
  opts: RunOptions = {},
): Promise<CliResult & { dir: string }> {
  const dir = scratch('pushcheck-eye4-');
  const observeFile = join(dir, 'processed.log');
  const api = opts.api !== false;
  const port = await freePort();
  const paths = opts.oneUrl ? { alarmPath: '/cb', resourcePath: '/cb' } : {};
  const server = await serve(
    eye4Handlers(
      { guid: GUID, observeFile, ...(api ? { apiOrigin: `http://127.0.0.1:${port}` } : {}), ...paths },
      behaviour,
    ),
  );
  try {
    const args = ['run', '--profile', 'eye4', '--guid', GUID, '--seed', '11'];
    if (opts.oneUrl) args.push('--target', `${server.origin}/cb`);
    else {
      args.push('--target', `${server.origin}/eye4/alarm`);
      args.push('--resource-target', `${server.origin}/eye4/resource`);
    }
    if (api) args.push('--eye4-api-listen', `127.0.0.1:${port}`);
    if (opts.observe !== false) args.push('--observe-file', observeFile);
    args.push('--observe-timeout', '1500', '--report', join(dir, 'report'), ...(opts.extra ?? []));
    return { ...(await (opts.runner ?? pushcheck)(args, join(dir, 'report'))), dir };
  } finally {
    await server.close();
  }
}
