/**
 * The eKuiper httppush requirements: one entry per case. The docs (ekuiper.seed.md) say what the endpoint is for;
 * how it answers comes from eKuiper's own code as FACTS.md §3 reads it, which is what "compatible with eKuiper"
 * means for a device. Where both are silent (sizes, bursts), pushcheck decides, marks the requirement
 * interpreted and keeps it at SHOULD. Ids are stable forever.
 */
import type { Registry } from '../../src/core/case.ts';

const SEED = 'ekuiper.seed.md';
const V2_HANDLER =
  'internal/io/http/httpserver/data_server.go (v2): `io.ReadAll(r.Body)`; on a read error `http.Error(w, "Fail to decode data: <err>", 400)`; else it publishes the raw bytes and answers `200` with body `ok`';
const V1_HANDLER =
  'internal/io/http/httpserver/data_server.go (v1.14.7): `json.NewDecoder(r.Body).Decode(&map[string]interface{})`; on failure `400 "Fail to decode data: <err>\\n"`, so malformed JSON and JSON arrays or scalars are rejected; success is `200 ok`';

export const requirements = {
  'ekuiper.push.object-accepted': {
    level: 'MUST',
    title: 'accepts a JSON object pushed with the configured method with 200 and body ok',
    text: `“With eKuiper acting as an endpoint, devices can send data using standard HTTP methods” (${SEED}). ${V2_HANDLER}. The same in v1 for a JSON object. The method is the stream's \`method\` (POST by default, or PUT).`,
    source: `${SEED} (HTTP Push Source Connector); FACTS.md §3 data_server.go`,
  },
  'ekuiper.push.no-content-type': {
    level: 'MUST',
    title: 'accepts a JSON object sent without a Content-Type, or with text/plain',
    text: '“Content-Type is not checked at all” (FACTS.md §3, v2 data_server.go); v1 checked `contentType` only at configuration time, never on the request. A device that sends no Content-Type (or a wrong one) is accepted with 200.',
    source: 'FACTS.md §3 (v2 and v1)',
  },
  'ekuiper.route.other-methods-405': {
    level: 'MUST',
    title: 'refuses every method other than the configured one with 405',
    text: '“Only the `method` property is available for configuring the HTTP method to listen to” (ekuiper.seed.md). gorilla/mux `router.HandleFunc(endpoint, …).Methods(method)`: a wrong method on a known path gets 405 with an empty body (FACTS.md §3). A device sending with the wrong method must learn it, not be told its data arrived.',
    source: `${SEED} Source Configuration; FACTS.md §3 routing`,
  },
  'ekuiper.route.unknown-path-404': {
    level: 'MUST',
    title: 'answers 404 to a path that is not the stream’s DATASOURCE',
    text: '“we bind the source to `/api/data` endpoint. Thus … it will listen on `http://localhost:10081/api/data`” (ekuiper.seed.md). An unknown path falls to mux’s default `http.NotFoundHandler()`: 404 “404 page not found” (FACTS.md §3). Data sent to a wrong path must not be acknowledged.',
    source: `${SEED} Create with Custom Configuration; FACTS.md §3 routing`,
  },
  'ekuiper.decode.malformed-json': {
    level: 'MUST',
    title: 'answers malformed JSON as the selected eKuiper generation does, never with 5xx',
    text: `v2: “No JSON validation at HTTP level: malformed JSON still gets 200 ok (decoding happens later in the rule’s decoder)” — ${V2_HANDLER}. v1: ${V1_HANDLER}. Probes: a truncated object, a trailing comma, an unquoted key, an empty body.`,
    source: 'FACTS.md §3 v2.x and v1.x data_server.go (--ekuiper-version selects which)',
  },
  'ekuiper.decode.non-object-json': {
    level: 'MUST',
    title:
      'answers JSON that is not an object (array, number, string, boolean) as the selected generation does, never with 5xx',
    text: `v2 accepts any body with 200 ok (${V2_HANDLER}). v1 decodes into map[string]interface{}, so “JSON arrays/scalars are rejected” with 400 “Fail to decode data: …” (${V1_HANDLER}).`,
    source: 'FACTS.md §3 v2.x and v1.x data_server.go (--ekuiper-version selects which)',
  },
  'ekuiper.push.large-body': {
    level: 'SHOULD',
    title: 'accepts a 1 MB JSON object with 200',
    text: 'v2 reads the body with io.ReadAll and v1 with a streaming JSON decoder: neither sets a size limit, and the docs give none (FACTS.md §3). pushcheck checks that a 1 MB object (a batch of readings) is accepted; a compatible endpoint with a lower limit refuses data eKuiper takes.',
    source: 'FACTS.md §3 (no limit in the handler); pushcheck (the size)',
    interpreted: true,
  },
  'ekuiper.push.burst': {
    level: 'SHOULD',
    title: 'accepts a burst of concurrent pushes, each with 200 within 5 s',
    text: 'Many devices push to one endpoint at once; eKuiper’s Go server handles each request in its own goroutine and buffers up to `BufferLength` 1024 messages per stream (FACTS.md §3 PushConf). The docs give no figure: pushcheck sends `--burst` (default 20) concurrent pushes and expects each acknowledged within 5 s (the REST sink’s own default timeout, a usual device timeout).',
    source: 'FACTS.md §3 PushConf; pushcheck (count and deadline)',
    interpreted: true,
  },
  'ekuiper.rule.data-reached': {
    level: 'MUST',
    title: 'hands an accepted object to the rule reading the stream',
    text: '“Once the data is received, eKuiper processes it according to the defined rules and streams” (ekuiper.seed.md). An object acknowledged with 200 must reach the rule: with --ekuiper-api, pushcheck’s own rule (SELECT * with a REST sink back to pushcheck) must emit it; otherwise the observer file must record its marker.',
    source: `${SEED} (introduction)`,
    needs: ['observer'],
  },
} as const satisfies Registry;

/** An eKuiper case id. */
export type EkuiperCaseId = keyof typeof requirements;
