/**
 * The edge-box alert push requirements ("DataPush → Alarm → HTTP", with bearer tokens): one entry per case,
 * quoted from the vendor README (KS-server-demo) or the vendor's KS-server-demo (the vendor's KS-server-demo code). Ids are stable forever.
 * Where both are silent, the requirement is pushcheck's reading, marked interpreted and never above SHOULD.
 */
import type { CodeReference, Registry, Source } from '../../src/core/case.ts';
import {
  ALERT_FIELDS,
  ALERT_SERVER,
  FIXED_TOKEN_DEMO,
  HEADERS_DEMO,
  HTTP_ALERT_PUSH,
  JAVA_CONTROLLER,
  RFC6750,
  TOKEN_SERVER,
} from './sources.ts';

const readme = (section: string, quote: string, translation: string, code?: CodeReference): Source => ({
  document: HTTP_ALERT_PUSH,
  section,
  quote,
  translation,
  ...(code ? { code } : {}),
});
const TIMEOUT = readme(
  'headers',
  '`timeout`：指定获取`token`的超时时间（单位：秒）。',
  '`timeout`: the timeout for fetching the token (in seconds).',
  HEADERS_DEMO,
);
const INTERVAL = readme(
  'headers',
  '`interval`：定时刷新`headers`的时间间隔（单位：秒）。',
  '`interval`: the interval at which the headers are refreshed (in seconds).',
  HEADERS_DEMO,
);
const VERIFY = readme(
  'headers',
  '如果需要将盒子产生的告警推送到您自建平台，并且你的平台需要验证**token**，则需要用到该文件夹下的`headers_demo.py`文件。',
  'If the alerts the box raises are to be pushed to your own platform and your platform needs to verify a **token**, use `headers_demo.py` in this folder.',
);
const FETCHED = readme(
  'http-server-token',
  '`headers_demo1.py`：通过调用url接口获取token。',
  '`headers_demo1.py`: gets the token by calling a URL.',
  TOKEN_SERVER,
);
const RECEIVER = readme(
  'http-server',
  '它主要用于接收盒子的**http**告警推送。',
  "It is mainly used to receive the box's **http** alert pushes.",
  ALERT_SERVER,
);
const TOKEN_SCRIPT =
  "headers_demo1.py: requests.get(get_headers_url, params=…, timeout=self.timeout) with self.timeout = 5; on 200 it uses resp.text as the raw token and returns {'authorization': 'Bearer ' + resp.text}";
const RECEIVE =
  'It is mainly used to receive alert pushes from the device via HTTP … enter the HTTP server address to start receiving alerts';
const SILENT_ON_AUTH =
  'The documents give the receiver a bearer token to check ("your platform requires token verification") but do not say what it answers when the check fails; the vendor\'s demo only prints the header. pushcheck expects RFC 6750 §3.1\'s answer, 401 (or 403), with the alert not processed';

export const requirements = {
  'alertpush.token.within-5s': {
    level: 'MUST',
    title: 'answers the token request with 200 within 5 s',
    text: `timeout: token request timeout (seconds) … self.timeout = 5 — ${TOKEN_SCRIPT}. A token endpoint slower than 5 s, or answering anything but 200, leaves the box without headers until the next refresh 600 s later.`,
    source: TIMEOUT,
    needs: ['token-url'],
  },
  'alertpush.token.plain-text': {
    after: ['alertpush.token.within-5s'],
    level: 'MUST',
    title: 'answers the token request with the bare token as plain text',
    text: `${TOKEN_SCRIPT}. The vendor's token server answers secrets.token_hex(32) as plain text, no JSON wrapper. The whole body becomes the credential: JSON, quotes, a "Bearer " prefix or surrounding whitespace end up inside it, and a trailing newline makes requests refuse the header ("Invalid leading whitespace, reserved character(s), or return character(s) in header value").`,
    source: FETCHED,
    needs: ['token-url'],
  },
  'alertpush.token.bearer-syntax': {
    after: ['alertpush.token.within-5s'],
    level: 'MAY',
    title: 'issues tokens in the RFC 6750 bearer token syntax',
    text: 'The documents say nothing of the token\'s characters (the vendor\'s servers issue hex and alphanumerics). RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="; a token outside it (a colon, a comma, a space, non-ASCII) is not a valid bearer credential and strict HTTP stacks reject it.',
    source: {
      ...{ document: RFC6750, section: '2.1. Authorization Request Header Field' },
      code: TOKEN_SERVER,
    },
    interpreted: true,
    needs: ['token-url'],
  },
  'alertpush.token.earlier-still-valid': {
    after: ['alertpush.token.within-5s'],
    level: 'SHOULD',
    title: 'still accepts an earlier token after issuing a newer one',
    text: 'interval: interval for refreshing headers (seconds) … interval = 60 * 10 — the box fetches a token on its own schedule and uses it for up to 600 s. The documents do not say how long a token lives; a server that invalidates every earlier token when it issues a new one (to a second box, a retry, an operator testing the URL) refuses the alerts of a box still holding the earlier token until its next refresh.',
    source: INTERVAL,
    interpreted: true,
    needs: ['token-url'],
  },
  'alertpush.token.valid-for-interval': {
    level: 'SHOULD',
    title: 'still accepts a token a whole refresh interval after issuing it',
    text: "interval: interval for refreshing headers (seconds) … interval = 60 * 10 — the box fetches a token and sends it with every alert until its next refresh, 600 s later in the script the documents give. The documents do not say how long a token lives; a server whose tokens expire sooner (a 5-minute JWT) refuses the box's alerts for the rest of each interval. pushcheck fetches a token, waits --token-interval seconds (the box's interval: 600 in the vendor's script; without the option the case is not assessed), and sends an alert with it. The wait is a case's own: it runs beside the other cases, and the report gives its length.",
    source: INTERVAL,
    interpreted: true,
    needs: ['token-url', 'token-interval'],
  },
  'alertpush.auth.fetched-token-accepted': {
    level: 'MUST',
    title: 'accepts an alert carrying the token it issued',
    text: `${TOKEN_SCRIPT}. An alert with authorization: Bearer <the token just fetched> is received (any 2xx; the vendor's servers answer 200).`,
    source: FETCHED,
    needs: ['token-url'],
  },
  'alertpush.auth.fixed-token-accepted': {
    level: 'MUST',
    title: 'accepts an alert carrying the configured fixed token',
    text: "headers_demo2.py: Uses a fixed token — {'authorization': 'Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkXXX'}. An alert with that constant bearer is received (any 2xx).",
    source: readme(
      'http-server-token',
      '`headers_demo2.py`：固定token。',
      '`headers_demo2.py`: a fixed token.',
      FIXED_TOKEN_DEMO,
    ),
    needs: ['bearer'],
  },
  'alertpush.auth.missing-refused': {
    level: 'SHOULD',
    security: true,
    title: 'refuses an alert without an authorization header with 401 or 403',
    text: `${SILENT_ON_AUTH}. An alert without any authorization header is refused.`,
    source: { ...VERIFY, section: 'headers; RFC 6750 §3.1 (the answer)' },
    interpreted: true,
    needs: ['auth'],
  },
  'alertpush.auth.wrong-refused': {
    level: 'SHOULD',
    security: true,
    title: 'refuses an alert carrying a token it never issued with 401 or 403',
    text: `${SILENT_ON_AUTH}. Bearer tokens it never issued (one of the same length and alphabet, the right one with its last character changed, and the right one cut short) are refused.`,
    source: { ...VERIFY, section: 'headers; RFC 6750 §3.1 (the answer)' },
    interpreted: true,
    needs: ['auth'],
  },
  'alertpush.auth.malformed-refused': {
    level: 'SHOULD',
    security: true,
    title: 'refuses an alert whose authorization header is not "Bearer <token>" with 401 or 403',
    text: `${SILENT_ON_AUTH}. The box sends exactly "Bearer <token>"; the right token without a scheme, under another scheme (Basic), with trailing text, or an empty Bearer is refused.`,
    source: { ...VERIFY, section: 'headers (Bearer abcdefghijklmnopqrstuvwxyz); RFC 6750 §2.1, §3.1' },
    interpreted: true,
    needs: ['auth'],
  },
  'alertpush.auth.refused-not-processed': {
    level: 'SHOULD',
    security: true,
    title: 'does not process the alerts it refuses',
    text: `${SILENT_ON_AUTH}. An alert refused for its token must leave no trace where the receiver records processed alerts.`,
    source: { ...VERIFY, section: 'headers (silent on refusal)' },
    interpreted: true,
    needs: ['auth', 'observer'],
  },
  'alertpush.alert.processed': {
    level: 'MUST',
    title: 'processes an authorised alert',
    text: `${RECEIVE}. The vendor's receiver json.loads the raw body and handles every alert it acknowledges; an alert answered 2xx and then lost is lost for good (the box is not documented to retry).`,
    source: RECEIVER,
    needs: ['observer'],
  },
  'alertpush.alert.full-hd-accepted': {
    level: 'MUST',
    title: 'accepts a realistic alert carrying a full-HD JPEG',
    text: `${RECEIVE}. image: base64 JPEG of the frame that raised the alert — a 1920×1080 camera frame is a few hundred KB, its Base64 a third more; a receiver that caps bodies near 100 KB loses every real alert.`,
    source: { ...RECEIVER, code: ALERT_FIELDS },
  },
  'alertpush.alert.image-decoded': {
    level: 'SHOULD',
    title: 'decodes the Base64 image into the exact JPEG bytes',
    text: "The vendor's receiver pops image, base64-decodes it to image.jpg. The documents do not oblige a customer's server to keep images; one that does must store the JPEG itself, byte for byte, not its Base64 text or a mangled decode.",
    source: RECEIVER,
    interpreted: true,
    needs: ['image-dir'],
  },
  'alertpush.alert.no-content-type-accepted': {
    level: 'SHOULD',
    title: 'accepts an alert sent without a Content-Type',
    text: "The vendor's receiver reads the raw body, json.loads(request.get_data()), whatever the Content-Type; whether the box sets Content-Type: application/json is not documented, so a receiver should not depend on it.",
    source: RECEIVER,
    interpreted: true,
  },
  'alertpush.video.accepted': {
    level: 'MUST',
    title: 'accepts a video alert carrying a Base64 clip',
    text: 'Java variant: POST /alert (AlertMsg) and POST /video (AlertVideo) … Video alert (/video): same minus image/reserved_data, plus video (base64 video). The video URL receives it (any 2xx).',
    source: { ...RECEIVER, code: JAVA_CONTROLLER },
    needs: ['video-target'],
  },
  'alertpush.robust.bad-json': {
    level: 'MAY',
    title: 'answers an authorised body that is not JSON without a server error',
    text: "The documents are silent on bad input (the vendor's Flask demo would answer 500 from json.loads); pushcheck expects any complete answer below 500 (400 is usual), not a 5xx or a dropped connection.",
    source: { ...RECEIVER, section: 'http-server (silent on bad input)' },
    interpreted: true,
  },
  'alertpush.robust.bad-base64': {
    level: 'MAY',
    title: 'answers an alert whose image is not valid Base64 without a server error',
    text: "image is Base64 JPEG (the vendor's custom-api-demo README); the vendor's demo calls base64.b64decode on it, which raises on bad padding, and Flask answers 500. pushcheck expects any complete answer below 500 (400 is usual) to an image that is not Base64.",
    source: { ...RECEIVER, section: 'http-server (silent on bad input)' },
    interpreted: true,
  },
  'alertpush.robust.survives-bad-input': {
    level: 'SHOULD',
    title: 'keeps accepting genuine alerts after each kind of bad input',
    text: 'The documents do not speak of bad input; pushcheck expects that a malformed body does not stop the receiver from accepting the next genuine alert. Not a MUST: a receiver may rightly ban a client that sends garbage.',
    source: { ...RECEIVER, section: 'http-server (silent on bad input)' },
    interpreted: true,
  },
} as const satisfies Registry;

/** An alertpush case id. */
export type AlertPushCaseId = keyof typeof requirements;
