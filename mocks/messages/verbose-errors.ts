/**
 * A OneNET Studio receiver that fails every push the way a framework in development mode does: HTTP 500 with
 * a whole HTML error page (a stack trace, several kilobytes). The verification GET is answered correctly, so
 * the run gets past the preflight and each push case quotes what came back: the failure's one line must cut
 * the page, give its size and point to the wire log, where the page is kept.
 */
import { HttpResponse, http, type RequestHandler } from 'msw';
import { referenceVerification, verificationHandler } from '../onenet-common/verification.ts';

/** The size of the error page: more than the one-line quote, more than the wire log keeps (4096 bytes). */
export const ERROR_PAGE_BYTES = 6000;

const FRAME =
  '    at Layer.handle [as handle_request] (/srv/app/node_modules/express/lib/router/layer.js:95:5)<br>\n';

/** The error page: a title, then stack frames up to {@link ERROR_PAGE_BYTES}. */
export function errorPage(): string {
  const head =
    "<!DOCTYPE html><html><head><title>Error</title></head><body><pre>TypeError: Cannot read properties of undefined (reading 'signature')<br>\n";
  const tail = '</pre></body></html>\n';
  const frames = FRAME.repeat(Math.ceil(ERROR_PAGE_BYTES / FRAME.length));
  return (head + frames).slice(0, ERROR_PAGE_BYTES - tail.length) + tail;
}

export function verboseErrorHandlers(token: string): RequestHandler[] {
  return [
    verificationHandler('/onenet', token, referenceVerification),
    http.post(
      '/onenet',
      () => new HttpResponse(errorPage(), { status: 500, headers: { 'content-type': 'text/html' } }),
    ),
  ];
}
