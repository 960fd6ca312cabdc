/**
 * One-defect variants of the reference httppush endpoint, each named for its defect and for the case meant to
 * catch it: the mistakes an "eKuiper-compatible" ingest endpoint makes. The self-test shows the suite catches
 * each one. `runWith` is the configuration the defect shows under (a PUT stream, a v1 endpoint).
 */
import type { EkuiperCaseId } from '../../specs/ekuiper/requirements.ts';
import type { EkuiperVersion, PushMethod } from '../../src/protocols/ekuiper/messages.ts';
import { type Behaviour, decodeLikeV1, reference } from './reference.ts';

export interface FaultyEndpoint {
  /** What is wrong, as an implementation would have it. */
  defect: string;
  /** The step that differs from the reference. */
  behaviour: Partial<Behaviour>;
  /** The cases meant to catch it. */
  caughtBy: readonly EkuiperCaseId[];
  /** The stream configuration and eKuiper generation the run declares. */
  runWith?: { method?: PushMethod; version?: EkuiperVersion };
  /** Why other cases fail too, where the defect is not confined to what `caughtBy` tests. */
  collateral?: string;
}

export const faulty = {
  'get-accepted': {
    defect: 'routes GET on the endpoint as well, answering 200 ok to a request that carries no data',
    behaviour: { routed: (m) => [m, 'GET'] },
    caughtBy: ['ekuiper.route.other-methods-405'],
  },
  'put-configured-post-routed': {
    defect: 'ignores the stream’s method: configured for PUT, it routes only POST',
    behaviour: { routed: () => ['POST'] },
    caughtBy: ['ekuiper.push.object-accepted'],
    runWith: { method: 'PUT' },
    collateral: 'every push with the configured method gets 405, and POST is accepted',
  },
  'any-path': {
    defect:
      'answers every path as the endpoint (a catch-all route), so data sent to a wrong path is acknowledged',
    behaviour: { anyPath: true },
    caughtBy: ['ekuiper.route.unknown-path-404'],
  },
  'json-content-type-required': {
    defect: 'refuses a body whose Content-Type is not application/json with 415',
    behaviour: { contentTypeStatus: 415 },
    caughtBy: ['ekuiper.push.no-content-type'],
  },
  'malformed-500': {
    defect: 'parses the body in the handler and fails with 500 on malformed JSON',
    behaviour: {
      answer: (body, version) => {
        const error = decodeLikeV1(body);
        const malformed = error !== undefined && !error.startsWith('json: cannot unmarshal');
        return malformed ? { status: 500, text: 'internal error' } : reference.answer(body, version);
      },
    },
    caughtBy: ['ekuiper.decode.malformed-json'],
  },
  'non-object-500': {
    defect: 'casts the parsed body to an object and fails with 500 on an array or a scalar',
    behaviour: {
      answer: (body, version) =>
        decodeLikeV1(body)?.startsWith('json: cannot unmarshal')
          ? { status: 500, text: 'internal error' }
          : reference.answer(body, version),
    },
    caughtBy: ['ekuiper.decode.non-object-json'],
  },
  'v1-accepts-any-json': {
    defect: 'claims v1 but decodes into any JSON value, so arrays and scalars are accepted',
    behaviour: {
      answer: (body, version) =>
        decodeLikeV1(body)?.startsWith('json: cannot unmarshal')
          ? undefined
          : reference.answer(body, version),
    },
    caughtBy: ['ekuiper.decode.non-object-json'],
    runWith: { version: 1 },
  },
  'v2-claimed-as-v1': {
    defect: 'a v2 endpoint declared as v1: malformed JSON and non-objects get 200 ok instead of 400',
    behaviour: { answer: (body) => reference.answer(body, 2) },
    caughtBy: ['ekuiper.decode.malformed-json', 'ekuiper.decode.non-object-json'],
    runWith: { version: 1 },
  },
  'size-limit-64k': {
    defect: 'refuses bodies over 64 KiB with 413 (eKuiper sets no limit)',
    behaviour: { maxBodyBytes: 64 * 1024 },
    caughtBy: ['ekuiper.push.large-body'],
  },
  'ack-json-body': {
    defect: 'acknowledges with a JSON body {"result":"ok"} instead of ok',
    behaviour: { okBody: '{"result":"ok"}' },
    caughtBy: ['ekuiper.push.object-accepted'],
  },
  'serial-slow': {
    defect: 'handles one push at a time, 400 ms each: a burst of 20 waits 8 s for the last answer',
    behaviour: { workMs: 400 },
    caughtBy: ['ekuiper.push.burst'],
  },
  'acked-not-forwarded': {
    defect: 'answers 200 ok but never hands the data to the rule',
    behaviour: { forwards: false },
    caughtBy: ['ekuiper.rule.data-reached'],
  },
  'crash-on-malformed': {
    defect:
      'parses the body in the handler without catching the error: malformed JSON takes it down, and every later push gets a closed connection',
    behaviour: { crashOnNotJson: true },
    caughtBy: ['ekuiper.decode.malformed-json'],
    collateral: 'a dead endpoint fails every case that runs after it died',
  },
} as const satisfies Record<string, FaultyEndpoint>;

export type FaultyName = keyof typeof faulty;

/** The reference behaviour with the defect of `name`. */
export function faultyBehaviour(name: FaultyName): Behaviour {
  return { ...reference, ...faulty[name].behaviour };
}
