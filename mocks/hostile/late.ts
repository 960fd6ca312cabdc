/**
 * A late receiver: any receiver's msw handlers, with every POST answered only after a delay (6 s by default,
 * past OneNET's 5 s ack deadline) and every other request (the verification GET) as fast as the receiver
 * answers it. What it answers is the wrapped receiver's answer, unchanged: only its timing is wrong.
 */
import { delay, http, type RequestHandler } from 'msw';

/** How late the acks of {@link lateAcks} come by default: a second past a 5 s deadline. */
export const LATE_ACK_MS = 6000;

/** `handlers` with every POST held `ms` before the wrapped receiver sees it. */
export function lateAcks(handlers: readonly RequestHandler[], ms = LATE_ACK_MS): RequestHandler[] {
  // A resolver that returns nothing hands the request on to the next handler that matches it.
  return [
    http.post('*', async () => {
      await delay(ms);
    }),
    ...handlers,
  ];
}
