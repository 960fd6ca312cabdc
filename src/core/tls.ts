/**
 * TLS for https:// targets: the `--ca FILE` / `--insecure` options, a handshake before any case runs (so a
 * certificate problem is one sentence, not every case failing), and a self-signed certificate made with the
 * openssl command line for the reference receivers that serve HTTPS.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect } from 'node:tls';
import { usage, UsageError } from './errors.ts';
import type { TlsOptions } from './http.ts';

/** The TLS options of a run from `--ca` and `--insecure`; undefined when neither was given. */
export function tlsOptions(ca: string | undefined, insecure: boolean): TlsOptions | undefined {
  if (ca !== undefined && insecure) usage('give --ca FILE or --insecure, not both');
  if (insecure) return { insecure: true };
  if (ca === undefined) return undefined;
  const file = resolve(ca);
  if (!existsSync(file)) usage(`--ca ${ca}: no such file`);
  const pem = readFileSync(file, 'utf8');
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    usage(`--ca ${ca} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  return { ca: pem, caFile: file };
}

/**
 * Opens a TLS connection to an https:// target and resolves once the handshake succeeds; throws a UsageError
 * that says what to do when the certificate is not trusted. Plain http:// targets pass through.
 */
export async function checkTls(target: string, tls: TlsOptions | undefined, timeoutMs = 3000): Promise<void> {
  const url = new URL(target);
  if (url.protocol !== 'https:') {
    if (tls) usage(`--ca and --insecure are for https:// targets; ${url.origin} is plain HTTP`);
    return;
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  await new Promise<void>((ok, ko) => {
    const socket = connect({
      host,
      port: Number(url.port || 443),
      ...(/^[\d.:]+$/.test(host) ? {} : { servername: host }),
      ...(tls?.ca !== undefined ? { ca: tls.ca } : {}),
      rejectUnauthorized: !tls?.insecure,
    });
    const timer = setTimeout(() => {
      socket.destroy();
      ko(
        new UsageError(
          `${url.origin} accepted a connection but finished no TLS handshake within ${timeoutMs} ms: is it serving HTTPS?`,
        ),
      );
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.end();
      ok();
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const certificate = /CERT|SELF_SIGNED|UNABLE_TO|ALTNAME/i.test(err.code ?? err.message);
      ko(
        new UsageError(
          certificate
            ? `the certificate of ${url.origin} is not trusted (${err.code ?? err.message}): pass --ca FILE with the certificate of the CA that signed it, or --insecure to test without checking it`
            : `no TLS handshake with ${url.origin} (${err.code ?? err.message}): is it serving HTTPS?`,
        ),
      );
    });
  });
}

/**
 * A self-signed certificate for 127.0.0.1, ::1 and localhost, made now with the openssl command line and
 * valid for a day; the certificate is also its own CA (what `--ca` takes).
 */
export function selfSignedCertificate(): { key: string; cert: string; certFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pushcheck-tls-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=pushcheck reference receiver',
      '-addext',
      'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost',
    ],
    { stdio: 'ignore', timeout: 10_000 },
  );
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}
