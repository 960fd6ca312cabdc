/**
 * The Eye4 API as msw handlers: `POST /push/fileid` answers like the real API (a file list for a known
 * recording, `[]` for an expired or unknown one, 400 for a malformed request) and records every call, so
 * that the receiver's follow-up is observable. `GET /files/*` serves small stand-ins for the images and
 * videos the file lists point at, so that a receiver that downloads them stays on loopback.
 */
import { HttpResponse, http, type RequestHandler } from 'msw';
import type { components } from '../../specs/eye4/generated/types.ts';

type LookupResponse = components['schemas']['LookupResponse'];
type ApiError = components['schemas']['ApiError'];

/** What the mock knows of a recording. */
export type Recording = { storage: 'D005' | 'D009'; state: 'available' | 'expired' };

/** One call to `POST /push/fileid`, as received, with the mock's answer. */
export interface LookupCall {
  /** Milliseconds since the API state was created (performance.now() based). */
  at: number;
  contentType: string;
  /** The body as received (at most 4 KiB kept). */
  body: string;
  /** The fileid and type, when the body was JSON with those members as strings. */
  fileid?: string;
  type?: string;
  /** The parameters the table lists beside fileid and type, when present (secrets: never reported). */
  hasUserid: boolean;
  hasAuthkey: boolean;
  status: number;
  /** How many files the answer listed (0 for `[]`), or undefined for an error. */
  files?: number;
}

/** The most calls remembered; older ones are dropped (a receiver in a retry loop must not exhaust memory). */
const MAX_CALLS = 2000;
const KEEP_BODY = 4096;
const VALID_TYPES = new Set(['D005', 'D009']);

/** The state behind the handlers: the recordings the mock knows, and the calls it received. */
export class Eye4ApiState {
  private readonly recordings = new Map<string, Recording>();
  private readonly log: LookupCall[] = [];
  private readonly t0 = performance.now();

  /** Makes `fileid` known: its files are listed when looked up with `storage`, `[]` once expired. */
  register(fileid: string, recording: Recording = { storage: 'D009', state: 'available' }): void {
    this.recordings.set(fileid, recording);
  }

  /** Makes `fileid` known as an available doorbell recording, unless the mock already knows it. */
  know(fileid: string): void {
    if (!this.recordings.has(fileid)) this.register(fileid);
  }

  /** Milliseconds on the clock the calls are stamped with. */
  now(): number {
    return Math.round(performance.now() - this.t0);
  }

  /** The calls received, oldest first. */
  calls(): readonly LookupCall[] {
    return this.log;
  }

  /** @internal */
  record(call: LookupCall): void {
    this.log.push(call);
    if (this.log.length > MAX_CALLS) this.log.splice(0, this.log.length - MAX_CALLS);
  }

  /** @internal */
  lookup(fileid: string, type: string): 'files' | 'empty' {
    const r = this.recordings.get(fileid);
    return r && r.state === 'available' && r.storage === type ? 'files' : 'empty';
  }
}

function error(message: string): Response {
  return HttpResponse.json({ error: message } satisfies ApiError, { status: 400 });
}

/** The handlers of the Eye4 API mock over `state`. */
export function eye4ApiHandlers(state: Eye4ApiState): RequestHandler[] {
  return [
    http.post('*/push/fileid', async ({ request }) => {
      const text = await request.text();
      const call: LookupCall = {
        at: state.now(),
        contentType: request.headers.get('content-type') ?? '',
        body: text.slice(0, KEEP_BODY),
        hasUserid: false,
        hasAuthkey: false,
        status: 400,
      };
      const answer = (): Response => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          return error('the body must be JSON: {"fileid": "…", "type": "D009"}');
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
          return error('the body must be a JSON object: {"fileid": "…", "type": "D009"}');
        }
        const body = parsed as Record<string, unknown>;
        call.hasUserid = typeof body.userid === 'string';
        call.hasAuthkey = typeof body.authkey === 'string';
        if (typeof body.fileid === 'string') call.fileid = body.fileid;
        if (typeof body.type === 'string') call.type = body.type;
        if (typeof body.fileid !== 'string' || body.fileid.length === 0) return error('fileid is required');
        if (typeof body.type !== 'string' || !VALID_TYPES.has(body.type)) {
          return error('type must be "D005" or "D009"');
        }
        const origin = new URL(request.url).origin;
        const expires = Math.floor(Date.now() / 1000) + 3600;
        const files: LookupResponse =
          state.lookup(body.fileid, body.type) === 'files'
            ? [
                {
                  file_name: `${origin}/files/alarm_image_${body.fileid}.jpg?e=${expires}`,
                  file_Type: 'image',
                },
                {
                  file_name: `${origin}/files/alarm_video_${body.fileid}.h264?e=${expires}`,
                  file_Type: 'video',
                },
              ]
            : [];
        call.status = 200;
        call.files = files.length;
        return HttpResponse.json(files);
      };
      const response = answer();
      state.record(call);
      return response;
    }),
    http.get('*/files/:name', ({ params }) => {
      const name = String(params.name);
      const type = name.endsWith('.jpg') ? 'image/jpeg' : 'application/octet-stream';
      return new HttpResponse(`pushcheck stand-in for ${name}`, { headers: { 'content-type': type } });
    }),
  ];
}
