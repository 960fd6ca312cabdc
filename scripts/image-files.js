#!/usr/bin/env node
/**
 * The Dockerfile's build stage: copies into DEST (default /out/opt/pushcheck) exactly the files the npm package
 * holds (as `npm pack --dry-run` lists them: the compiled dist/, the schemas, bin, package.json, README) and the
 * production node_modules (run `npm prune --omit=dev` first), so the image runs what the package runs.
 * Node does the file work: a base image made of the node binary alone has no cp.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

const dest = process.argv[2] ?? '/out/opt/pushcheck';
const npm = process.env.npm_execpath;
const packed = execFileSync(
  npm ? process.execPath : 'npm',
  [...(npm ? [npm] : []), 'pack', '--dry-run', '--json', '--ignore-scripts'],
  { encoding: 'utf8' },
);
const [{ files }] = JSON.parse(packed);
for (const { path } of files) {
  mkdirSync(join(dest, dirname(path)), { recursive: true });
  cpSync(path, join(dest, path));
}
cpSync('node_modules', join(dest, 'node_modules'), { recursive: true, verbatimSymlinks: true });
console.log(`${files.length} files of the package, and its production dependencies, in ${dest}`);
