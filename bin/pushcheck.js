#!/usr/bin/env node
// The `pushcheck` command: runs the compiled CLI (dist/, which `npm run build` makes and the package ships).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

// A reader that stops early (`pushcheck cases | head`) is not an error: stop quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const cli = join(import.meta.dirname, '..', 'dist', 'src', 'cli.js');
if (!existsSync(cli)) {
  console.error(
    `pushcheck is not built (no ${cli}): run \`npm run build\` in ${join(import.meta.dirname, '..')}.`,
  );
  process.exit(2);
}
const { main } = await import('../dist/src/cli.js');
process.exitCode = await main(process.argv.slice(2));
