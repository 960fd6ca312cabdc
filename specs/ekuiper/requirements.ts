/**
 * The eKuiper httppush requirements: one entry per case. The docs say what the endpoint is for; how it answers
 * comes from eKuiper's own code (both listed in specs/ekuiper/sources.ts), which is what "compatible with eKuiper"
 * means for a device. Where both are silent (sizes, bursts), pushcheck decides, marks the requirement
 * interpreted and keeps it at SHOULD. Ids are stable forever.
 */
import type { Registry, Source } from '../../src/core/case.ts';
import { HTTP_PUSH, V1_SERVER, V2_SERVER, V2_SOURCE } from './sources.ts';

const V2_CODE: Source = { document: HTTP_PUSH, section: 'Source Configuration', code: V2_SERVER };
const V2_HANDLER =
  'internal/io/http/httpserver/data_server.go (v2): `io.ReadAll(r.Body)`; on a read error `http.Error(w, "Fail to decode data: <err>", 400)`; else it publishes the raw bytes and answers `200` with body `ok`';
const V1_HANDLER =
  'internal/io/http/httpserver/data_server.go (v1.14.7): `json.NewDecoder(r.Body).Decode(&map[string]interface{})`; on failure `400 "Fail to decode data: <err>\\n"`, so malformed JSON and JSON arrays or scalars are rejected; success is `200 ok`';

export const requirements = {
  'ekuiper.push.object-accepted': {
    level: 'MUST',
    title: 'accepts a JSON object pushed with the configured method with 200 and body ok',
    text: `Devices send data to eKuiper's HTTP push endpoint with standard HTTP methods. ${V2_HANDLER}. The same in v1 for a JSON object. The method is the stream's \`method\` (POST by default, or PUT).`,
    source: {
      document: HTTP_PUSH,
      section: 'HTTP Push Source Connector',
      quote: 'With eKuiper acting as an endpoint, devices can send data using standard HTTP methods',
      code: V2_SERVER,
    },
  },
  'ekuiper.push.no-content-type': {
    level: 'MUST',
    title: 'accepts a JSON object sent without a Content-Type, or with text/plain',
    text: 'v2 data_server.go never reads the Content-Type; v1 checked `contentType` only at configuration time, never on the request. A device that sends no Content-Type (or a wrong one) is accepted with 200.',
    source: V2_CODE,
  },
  'ekuiper.route.other-methods-405': {
    level: 'MUST',
    title: 'refuses every method other than the configured one with 405',
    text: 'The stream listens to one configured HTTP method. gorilla/mux `router.HandleFunc(endpoint, …).Methods(method)`: a wrong method on a known path gets 405 with an empty body. A device sending with the wrong method must learn it, not be told its data arrived.',
    source: {
      document: HTTP_PUSH,
      section: 'Source Configuration',
      quote:
        'Currently, only the `method` property is available for configuring the HTTP method to listen to',
      code: V2_SERVER,
    },
  },
  'ekuiper.route.unknown-path-404': {
    level: 'MUST',
    title: 'answers 404 to a path that is not the stream’s DATASOURCE',
    text: 'The source listens on the path it is bound to (`/api/data` in the docs). An unknown path falls to mux’s default `http.NotFoundHandler()`: 404 “404 page not found”. Data sent to a wrong path must not be acknowledged.',
    source: {
      document: HTTP_PUSH,
      section: 'Create a Stream Source (custom configuration)',
      quote: 'it will listen on `http://localhost:10081/api/data`',
      code: V2_SERVER,
    },
  },
  'ekuiper.decode.malformed-json': {
    level: 'MUST',
    title: 'answers malformed JSON as the selected eKuiper generation does, never with 5xx',
    text: `v2: “No JSON validation at HTTP level: malformed JSON still gets 200 ok (decoding happens later in the rule’s decoder)” — ${V2_HANDLER}. v1: ${V1_HANDLER}. Probes: a truncated object, a trailing comma, an unquoted key, an empty body.`,
    source: { ...V2_CODE, section: 'Source Configuration (v1: tag v1.14.7, ' + V1_SERVER.file + ')' },
  },
  'ekuiper.decode.non-object-json': {
    level: 'MUST',
    title:
      'answers JSON that is not an object (array, number, string, boolean) as the selected generation does, never with 5xx',
    text: `v2 accepts any body with 200 ok (${V2_HANDLER}). v1 decodes into map[string]interface{}, so “JSON arrays/scalars are rejected” with 400 “Fail to decode data: …” (${V1_HANDLER}).`,
    source: { ...V2_CODE, section: 'Source Configuration (v1: tag v1.14.7, ' + V1_SERVER.file + ')' },
  },
  'ekuiper.push.large-body': {
    level: 'SHOULD',
    title: 'accepts a 1 MB JSON object with 200',
    text: 'v2 reads the body with io.ReadAll and v1 with a streaming JSON decoder: neither sets a size limit, and the docs give none. pushcheck checks that a 1 MB object (a batch of readings) is accepted; a compatible endpoint with a lower limit refuses data eKuiper takes.',
    source: { ...V2_CODE, section: 'Source Configuration (silent on size)' },
    interpreted: true,
  },
  'ekuiper.push.burst': {
    level: 'SHOULD',
    title: 'accepts a burst of concurrent pushes, each with 200 within 5 s',
    text: 'Many devices push to one endpoint at once; eKuiper’s Go server handles each request in its own goroutine and buffers up to `BufferLength` 1024 messages per stream (httppush_source.go PushConf). The docs give no figure: pushcheck sends `--burst` (default 20) concurrent pushes and expects each acknowledged within 5 s (the REST sink’s own default timeout, a usual device timeout).',
    source: { document: HTTP_PUSH, section: 'Source Configuration (silent on load)', code: V2_SOURCE },
    interpreted: true,
  },
  'ekuiper.rule.data-reached': {
    level: 'MUST',
    title: 'hands an accepted object to the rule reading the stream',
    text: 'Received data is processed by the rules over its stream. An object acknowledged with 200 must reach the rule: with --ekuiper-api, pushcheck’s own rule (SELECT * with a REST sink back to pushcheck) must emit it; otherwise the observer file must record its marker.',
    source: {
      document: HTTP_PUSH,
      section: 'HTTP Push Source Connector',
      quote: 'Once the data is received, eKuiper processes it according to the defined rules and streams',
    },
    needs: ['observer'],
  },
} as const satisfies Registry;

/** An eKuiper case id. */
export type EkuiperCaseId = keyof typeof requirements;
