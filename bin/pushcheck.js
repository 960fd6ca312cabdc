#!/usr/bin/env node
// The `pushcheck` command: loads the TypeScript CLI through tsx's loader, then runs it.
import { register } from 'tsx/esm/api';

// A reader that stops early (`pushcheck cases | head`) is not an error: stop quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
