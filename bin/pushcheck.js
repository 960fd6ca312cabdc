#!/usr/bin/env node
// The `pushcheck` command: loads the TypeScript CLI through tsx's loader, then runs it.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
