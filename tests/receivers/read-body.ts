/** What the independent receivers share, with only `node:` built-ins: reading a request's body up to a limit. */
import type { IncomingMessage } from 'node:http';

/**
 * The body of `req`, read to its end; undefined when it is larger than `limit` bytes (the rest is read and
 * dropped, so that the answer can still be sent) or the request fails.
 */
export function readLimited(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on('end', () => resolve(size > limit ? undefined : Buffer.concat(chunks)));
    req.on('error', () => resolve(undefined));
  });
}
