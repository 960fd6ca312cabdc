/**
 * The verification GET a OneNET receiver answers, as one msw handler that the Studio and the legacy
 * reference receivers both serve: the legacy SDKs finds the legacy platform's GET identical to Studio's
 * (the OneNET HTTP push document §2 实例验证), so the receivers check it the same way.
 */
import { HttpResponse, http, type RequestHandler } from 'msw';
import { verifySignature } from '../../src/protocols/onenet/codec.ts';

/** The steps of answering a verification; a faulty receiver replaces one. */
export interface VerificationBehaviour {
  /** The verification response body for a genuine `msg`. */
  echo(msg: string): string;
  /** Whether a verification query's signature is genuine (`query` is the raw query string). */
  verifyQuery(token: string, query: string): boolean;
}

/** Splits a raw query string as a form decoder does (`+` is a space), keeping the first value of each name. */
export function formDecode(query: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(query)) if (!out.has(k)) out.set(k, v);
  return out;
}

/** What a correct receiver does: echoes msg as it is, once the form-decoded signature verifies. */
export const referenceVerification: VerificationBehaviour = {
  echo: (msg) => msg,
  verifyQuery(token, query) {
    const q = formDecode(query);
    const [msg, nonce, signature] = [q.get('msg'), q.get('nonce'), q.get('signature')];
    return msg !== undefined && nonce !== undefined && signature !== undefined
      ? verifySignature(token, nonce, msg, signature)
      : false;
  },
};

/** Answers the verification GET on `path`: msg as `behaviour` echoes it, or 403 when the signature fails. */
export function verificationHandler(
  path: string,
  token: string,
  behaviour: VerificationBehaviour,
): RequestHandler {
  return http.get(path, ({ request }) => {
    const query = new URL(request.url).search.slice(1);
    const msg = formDecode(query).get('msg');
    if (msg === undefined || !behaviour.verifyQuery(token, query)) {
      return HttpResponse.text('signature check failed', { status: 403 });
    }
    return new HttpResponse(behaviour.echo(msg), {
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  });
}
