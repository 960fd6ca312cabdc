/**
 * Routing (gorilla/mux in eKuiper's data server): only the stream's method on the stream's
 * DATASOURCE is routed; another method there gets 405, another path 404. Neither may acknowledge data.
 */
import { describeResponse, fail } from '../../src/core/case.ts';
import type { Exchange, OutgoingRequest } from '../../src/core/http.ts';
import { newMarker } from '../../src/core/observer.ts';
import { conformance, settings } from './fixtures.ts';

conformance('ekuiper.route.other-methods-405', async ({ device, run }) => {
  const configured = settings(run).method;
  const others: OutgoingRequest['method'][] = [
    configured === 'POST' ? 'PUT' : 'POST',
    'GET',
    'DELETE',
    'HEAD',
  ];
  const wrong: Exchange[] = [];
  for (const method of others) {
    const withBody = method === 'POST' || method === 'PUT';
    const res = await device.push(withBody ? device.object().json : undefined, `${method} on the endpoint`, {
      method,
    });
    if (res.error !== undefined || res.response?.status !== 405) wrong.push(res);
  }
  if (wrong.length > 0) {
    fail(
      `the endpoint is configured for ${configured}; other methods must be refused with 405`,
      `HTTP 405 to ${others.join(', ')}`,
      wrong.map((r) => `${r.request.method}: ${describeResponse(r)}`).join('; '),
    );
  }
});

conformance('ekuiper.route.unknown-path-404', async ({ device, run }) => {
  const url = new URL(run.target);
  const base = url.pathname.replace(/\/+$/, '');
  const marker = newMarker(run.runTag, device.rng);
  const paths = [...new Set([`${base}/${marker}`, `${base}-${marker}`, `/${marker}`])];
  const wrong: Exchange[] = [];
  for (const path of paths) {
    const res = await device.push(device.object().json, `object to the unknown path ${path}`, {
      url: `${url.origin}${path}`,
    });
    if (res.error !== undefined || res.response?.status !== 404) wrong.push(res);
  }
  if (wrong.length > 0) {
    fail(
      `only the stream's DATASOURCE ${base || '/'} is routed; data sent elsewhere must get 404`,
      `HTTP 404 for ${paths.join(', ')}`,
      wrong.map((r) => `${new URL(r.request.url).pathname}: ${describeResponse(r)}`).join('; '),
    );
  }
});
