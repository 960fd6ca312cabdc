/**
 * An independent eKuiper-compatible httppush endpoint, written from eKuiper's code alone with `node:` built-ins, to
 * cross-check pushcheck's verdicts on code that is not its own mock:
 * - the stream's path and method answer `200 ok` (text/plain; charset=utf-8, as Go sniffs it), other methods
 *   on that path `405` with no body, other paths `404 page not found`;
 * - v2 takes any body; v1 parses it as a JSON object first and answers `400 Fail to decode data: …`;
 * - "the rule" appends every object (or each object of an array) it can decode to `observeFile`, one per line,
 *   after answering, as eKuiper decodes in the rule and not in the handler.
 */
import { appendFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface IndependentEndpointOptions {
  version: 1 | 2;
  method: 'POST' | 'PUT';
  path: string;
  observeFile: string;
}

export interface RunningEndpoint {
  url: string;
  close(): Promise<void>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export async function startIndependentEndpoint(opts: IndependentEndpointOptions): Promise<RunningEndpoint> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== opts.path) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
      return;
    }
    if (req.method !== opts.method) {
      res.writeHead(405).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let parsed: unknown;
      let parseError: string | undefined;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        parseError = text.length === 0 ? 'EOF' : (e as Error).message;
      }
      if (opts.version === 1 && (parseError !== undefined || !(parsed === null || isObject(parsed)))) {
        const why = parseError ?? 'json: cannot unmarshal into Go value of type map[string]interface {}';
        res
          .writeHead(400, { 'content-type': 'text/plain; charset=utf-8' })
          .end(`Fail to decode data: ${why}\n`);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('ok');
      const rows = Array.isArray(parsed) ? parsed.filter(isObject) : isObject(parsed) ? [parsed] : [];
      for (const row of rows) void appendFile(opts.observeFile, `${JSON.stringify(row)}\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${opts.path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
