/**
 * A OneNET Studio receiver that verifies nothing, as quick-start webhooks are written: it echoes msg to every
 * verification and acks every push with 200, recording it, without checking a signature. The document lets a
 * receiver skip the verification check; the signature's stated purpose is to check the pushing client. So it is
 * conformant, and its report must say, everywhere, that it has SHOULD failures and security findings.
 */
import { appendFileSync } from 'node:fs';
import { HttpResponse, http, type RequestHandler } from 'msw';

export function verifiesNothing(opts: { observeFile: string; path?: string }): RequestHandler[] {
  const path = opts.path ?? '/onenet';
  const seen = new Set<string>();
  return [
    http.get(path, ({ request }) => HttpResponse.text(new URL(request.url).searchParams.get('msg') ?? '')),
    http.post(path, async ({ request }) => {
      let push: { msg?: unknown; id?: unknown } | null;
      try {
        push = JSON.parse(await request.text()) as typeof push;
      } catch {
        return HttpResponse.text('not JSON', { status: 400 });
      }
      if (typeof push?.msg !== 'string' || typeof push.id !== 'string') {
        return HttpResponse.text('not a push', { status: 400 });
      }
      if (!seen.has(push.id)) appendFileSync(opts.observeFile, `${JSON.stringify(push)}\n`);
      seen.add(push.id);
      return HttpResponse.text('ok');
    }),
  ];
}
