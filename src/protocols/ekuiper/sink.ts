/**
 * The receiving end of the REST sink of pushcheck's rule: a small HTTP server on loopback that eKuiper posts each
 * output row to. It is the observer of the `--ekuiper-api` path: a marker counted here went through eKuiper's
 * httppush source, its rule and its REST sink, which is what "the data reached the rule" means.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectBody } from '../../core/listener.ts';
import type { Observer } from '../../core/observer.ts';

/** What the sink keeps at most, so a rule that floods it cannot exhaust memory. */
const MAX_KEPT_BYTES = 16 * 1024 * 1024;
/** A single request's body is cut here (pushcheck's largest push is 1 MB). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export class RuleSink implements Observer {
  readonly kind = 'ekuiper-rest-sink';
  private readonly bodies: string[] = [];
  private kept = 0;
  private requests = 0;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  /** Where the observer looks, for the report. */
  get where(): string {
    return `the REST sink of pushcheck's rule, posting to ${this.url}`;
  }

  /** Starts listening on 127.0.0.1 (port 0 picks a free one). */
  static async start(port = 0): Promise<RuleSink> {
    const received: { keep?: (body: string) => void } = {};
    const server = http.createServer((req, res) => {
      collectBody(req, MAX_BODY_BYTES, (body) => {
        received.keep?.(body.toString('utf8'));
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    const { port: bound } = server.address() as AddressInfo;
    const sink = new RuleSink(server, `http://127.0.0.1:${bound}/pushcheck/sink`);
    received.keep = (body) => sink.keep(body);
    return sink;
  }

  private keep(body: string): void {
    this.requests++;
    if (this.kept + body.length > MAX_KEPT_BYTES) return;
    this.kept += body.length;
    this.bodies.push(body);
  }

  /** How many requests the rule has made to the sink. */
  get received(): number {
    return this.requests;
  }

  async count(marker: string): Promise<number> {
    let n = 0;
    for (const body of this.bodies) {
      for (let i = body.indexOf(marker); i !== -1; i = body.indexOf(marker, i + marker.length)) n++;
    }
    return n;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}
