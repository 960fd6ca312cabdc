/** `pushcheck serve P`: a reference (or faulty) receiver on a port, until Ctrl-C. */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { didYouMean, parseOptions } from '../core/args.ts';
import { integerOption, stringOption, usage } from '../core/errors.ts';
import { reaper } from '../core/reaper.ts';
import { selfSignedCertificate } from '../core/tls.ts';
import { profileNamed } from './common.ts';

/** A certificate made now for `serve --https`, removed when serving ends; says where its CA file is. */
function httpsCertificate(): { key: string; cert: string; remove(): void } {
  const { key, cert, certFile } = selfSignedCertificate();
  const dir = dirname(certFile);
  const unwatch = reaper.path(dir);
  console.log(`HTTPS with a certificate made now: pass --ca ${certFile} to pushcheck run`);
  return {
    key,
    cert,
    remove() {
      rmSync(dir, { recursive: true, force: true });
      unwatch();
    },
  };
}

/** `pushcheck serve …`: resolves with the exit code once stopped. */
export async function cmdServe(args: string[]): Promise<number> {
  const profile = profileNamed(
    args[0]?.startsWith('-') ? undefined : args[0],
    'serve needs a profile, as in `pushcheck serve onenet`',
  );
  const { values, positionals } = parseOptions(
    args.slice(1),
    {
      faulty: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      https: { type: 'boolean', default: false },
      ...profile.serveOptions,
    },
    `pushcheck serve ${profile.name}`,
  );
  if (positionals.length) usage(`unexpected argument "${positionals[0]}"; see \`pushcheck serve --help\``);
  const name = stringOption(values.faulty);
  const faulty = await profile.faulty();
  const catalogue = Object.entries(faulty).map(([n, f]) => `  ${n.padEnd(28)} ${f.defect}`);
  if (name === 'help') {
    console.log(
      `faulty ${profile.name} receivers (each the reference with one defect):\n${catalogue.join('\n')}`,
    );
    return 0;
  }
  if (name !== undefined && !(name in faulty)) {
    const hint = didYouMean(name, Object.keys(faulty));
    usage(`unknown faulty receiver "${name}".${hint} Known ones:\n${catalogue.join('\n')}`);
  }
  const port = integerOption(values.port, 'port', 0, 0, 65_535);
  const tls = values.https === true ? httpsCertificate() : undefined;
  try {
    const served = await profile.serve({
      ...(name !== undefined ? { faulty: name } : {}),
      host: stringOption(values.host) ?? '127.0.0.1',
      port,
      values,
      ...(tls ? { tls: { key: tls.key, cert: tls.cert } } : {}),
    });
    for (const line of [...served.lines, 'Ctrl-C stops it.']) console.log(line);
    await new Promise<void>((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
      process.once('SIGHUP', done);
    });
    await served.close();
    return 0;
  } finally {
    tls?.remove();
  }
}
