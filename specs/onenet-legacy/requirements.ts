/**
 * The legacy OneNET HTTP push requirements: one entry per case, quoted from the legacy developer guide and FAQ
 * and read from OneNET's official SDKs (cm-heclouds/data-push), all listed in specs/onenet-legacy/sources.ts.
 * Ids are stable forever.
 */
import type { Registry, Source } from '../../src/core/case.ts';
import { DEVELOP_MANUAL, FAQ, JAVA_UTIL, NODE_DEMO, PHP_UTIL } from './sources.ts';

const ACK =
  'OneNet平台接收到http 200的响应，才会认为数据推送成功，否则会重发; response timeout “目前是5秒” — every push must be answered with HTTP 200 within 5 s, else the platform pushes it again';
const ACK_SOURCE: Source = {
  document: DEVELOP_MANUAL,
  section: '数据接收; 服务实现建议',
  quote:
    '第三方平台接收到数据后需要返回 HTTP 200，否则OneNET会认为此次推送无效并重试 … 等待客户端的响应都设有时限（目前是5秒）',
  translation:
    'On receiving the data, the third-party platform must answer HTTP 200, otherwise OneNET considers the push invalid and retries … the wait for the answer is limited (currently 5 seconds).',
};
const VERIFY =
  'The verification GET carries msg, nonce and signature, and the receiver echoes msg exactly: any other answer fails the verification';
const VERIFY_SOURCE: Source = {
  document: FAQ,
  quote:
    '在提交验证时采用get方法传三个参数nonce、msg、signature，返回结果没有正确返回msg的值，比如在msg值中多返回其他符号，都会验证失败',
  translation:
    'Verification is a GET with three parameters, nonce, msg and signature; an answer that does not return the value of msg exactly, for instance with other symbols added to it, fails the verification.',
};
const PUSH_BODY: Source = {
  document: DEVELOP_MANUAL,
  section: '数据接收',
  quote: '平台以HTTP POST请求形式向第三方平台URL地址推送数据',
  translation: 'The platform pushes data to the third-party URL as HTTP POST requests.',
  code: JAVA_UTIL,
};
const SIGNED_SOURCE: Source = {
  document: DEVELOP_MANUAL,
  section: '数据接收 (msg_signature)',
  code: PHP_UTIL,
};
const SILENT: Source = { document: DEVELOP_MANUAL, section: '数据接收 (silent on bad input)' };
const MSG =
  'msg is a JSON object (or array when batching/caching enabled), fields: type (1 datapoint, 2 online/offline, 7 NB cached-command result)';
const SIGNED =
  'Signature over the JSON serialization of msg: PHP _handleRuleMsg = base64(md5(token . nonce . json_encode($msg, JSON_UNESCAPED_SLASHES))); Java checkSignature uses org.json msg.toString() (compact). So the signed bytes are the compact JSON with unescaped slashes of msg';

function acked(kind: string, shape: string) {
  return {
    after: ['onenet-legacy.ack.within-5s'],
    level: 'MUST',
    title: `acks ${kind} with 200`,
    text: `${ACK}. ${MSG}; this push: ${shape}.`,
    source: ACK_SOURCE,
  } as const;
}

export const requirements = {
  'onenet-legacy.verify.echo-verbatim': {
    level: 'MUST',
    title: 'echoes msg verbatim to a genuine verification',
    text: `${VERIFY} — the body is msg itself: “不要包含任何其他如换行、空格等不可见字符”; FAQ: returning extra symbols fails; the Node.js demo warns that some frameworks add quotes`,
    source: VERIFY_SOURCE,
  },
  'onenet-legacy.verify.signature-raw': {
    after: ['onenet-legacy.verify.echo-verbatim'],
    level: 'MUST',
    title: 'accepts a verification whose signature has a raw +, which form decoding turns into a space',
    text: "Util.java checkToken: concatenates token ‖ nonce (exactly 8 bytes) ‖ msg, MD5, Base64, compares to signature.replace(' ','+') → the platform's + in the query arrives as space after form-decoding; receivers must map space→+",
    source: { document: DEVELOP_MANUAL, section: 'URL验证', code: JAVA_UTIL },
  },
  'onenet-legacy.verify.signature-percent-encoded': {
    after: ['onenet-legacy.verify.echo-verbatim'],
    level: 'MAY',
    title: 'accepts a verification whose signature has +, / and = percent-encoded',
    text: 'The documents show the platform sending the signature raw; a receiver that decodes the query properly accepts %2B, %2F and %3D too, and keeps working behind a proxy that encodes the query.',
    source: { document: DEVELOP_MANUAL, section: 'URL验证 (silent on percent-encoding)', code: JAVA_UTIL },
    interpreted: true,
  },
  'onenet-legacy.verify.forged-not-echoed': {
    level: 'MAY',
    security: true,
    title: 'does not echo a verification whose signature is forged',
    text: `${VERIFY}; the receiver checks the signature first — but “如果用户不想验证，可选择跳过该过程，直接返回msg参数” (the Node.js demo just echoes), so a receiver that echoes a forged verification does what the document permits: it passes, with a security finding (decisions/022)`,
    permitted:
      '如果用户不想验证，可选择跳过该过程，直接返回msg参数 (a user who does not want to verify may skip it and return msg directly)',
    source: { ...VERIFY_SOURCE, code: NODE_DEMO },
  },
  'onenet-legacy.push.datapoint-acked': acked('a datapoint push', 'type 1, {type, dev_id, ds_id, at, value}'),
  'onenet-legacy.push.status-acked': acked(
    'an online/offline push',
    'type 2, {type, dev_id, status 0|1, login_type, at}',
  ),
  'onenet-legacy.push.cached-command-acked': acked(
    'a cached-command-result push',
    'type 7, with imei, cmd_id, send_time, send_status, confirm_time, confirm_status, confirm_body',
  ),
  'onenet-legacy.push.batch-acked': acked(
    'a batched push',
    'msg is an array of a datapoint, a status and a type-7 message',
  ),
  'onenet-legacy.push.batch-processed': {
    after: ['onenet-legacy.ack.within-5s'],
    level: 'MUST',
    title: 'processes every message of a batched push',
    text: `${MSG}. A batch carries several messages in one push, acked once: each of them is data the receiver must not lose, since the platform will not push an acked batch again.`,
    source: PUSH_BODY,
    needs: ['observer'],
  },
  'onenet-legacy.push.processed': {
    after: ['onenet-legacy.ack.within-5s'],
    level: 'MUST',
    title: 'processes a genuine push whose signature has + and / and whose msg has slashes',
    text: `${SIGNED}. A genuine push verifies and is processed: the receiver computes the signature over the compact JSON with unescaped slashes (not PHP's default \\/, not pretty-printed) and compares raw Base64 with + and /.`,
    source: SIGNED_SOURCE,
    needs: ['observer'],
  },
  'onenet-legacy.ack.within-5s': {
    level: 'MUST',
    title: 'acks a push within 5 s',
    text: ACK,
    source: ACK_SOURCE,
  },
  'onenet-legacy.ack.burst': {
    after: ['onenet-legacy.ack.within-5s'],
    level: 'SHOULD',
    title: 'acks a burst of concurrent pushes, each within 5 s',
    text: `${ACK}. The documents do not say how many pushes may be in flight at once; pushcheck sends a burst (20 by default) and reports p50/p95 ack latency.`,
    source: ACK_SOURCE,
    interpreted: true,
  },
  'onenet-legacy.secure.decrypted': {
    after: ['onenet-legacy.ack.within-5s'],
    level: 'MUST',
    title: 'decrypts enc_msg with the EncodingAESKey and strips the random prefix',
    text: 'Legacy AES (EncodingAESKey, WeChat-style): key = Base64Decode(EncodingAESKey + "=") → 32 bytes (AES-256-CBC), IV = first 16 bytes of key, PKCS7; plaintext = 16 random bytes ‖ 4-byte big-endian msg length ‖ msg (Java decryptMsg reads len at offset 16, msg at 20; PHP substr($msg,20)). The documents do not say what msg_signature covers in this mode: pushcheck signs enc_msg as sent, as the official Java SDK does with the msg it resolves from enc_msg; a receiver that ignores the signature in this mode (the PHP SDK) passes too.',
    source: {
      document: DEVELOP_MANUAL,
      section: '加密传输',
      quote: '用户在配置推送服务时，可配置为数据加密传输，OneNET支持AES对称加密',
      translation:
        'When configuring the push service, the user can have the data sent encrypted; OneNET supports AES symmetric encryption.',
      code: JAVA_UTIL,
    },
    needs: ['aes-key', 'observer'],
  },
  'onenet-legacy.sign.forged-not-processed': {
    after: ['onenet-legacy.ack.within-5s'],
    level: 'SHOULD',
    security: true,
    title: 'does not process a push signed with another token',
    text: `${SIGNED}. The SDKs process msg only when the signature matches (PHP _handleRuleMsg returns FALSE otherwise); the Node.js demo does not check, hence SHOULD.`,
    source: SIGNED_SOURCE,
    needs: ['observer'],
  },
  'onenet-legacy.sign.tampered-not-processed': {
    after: ['onenet-legacy.ack.within-5s'],
    level: 'SHOULD',
    security: true,
    title: 'does not process a push whose msg does not match its signature',
    text: `${SIGNED}: an msg changed after signing fails the check and is not to be trusted.`,
    source: SIGNED_SOURCE,
    needs: ['observer'],
  },
  'onenet-legacy.dedup.redelivery-acked': {
    after: ['onenet-legacy.ack.within-5s'],
    level: 'MUST',
    title: 'acks a redelivered push with 200',
    text: `${ACK}. A redelivery is still a push: anything but 200 makes the platform push it again, and failures accumulate until the push is disabled (“after 2000 accumulated failures (or 24h continuous failure) the push is disabled”).`,
    source: ACK_SOURCE,
  },
  'onenet-legacy.dedup.processed-once': {
    after: ['onenet-legacy.ack.within-5s'],
    level: 'SHOULD',
    title: 'processes a redelivered push once',
    text: 'A push whose ack was late or lost is pushed again (“否则会重发”). The body has no message id; the documents do not say that receivers de-duplicate. pushcheck redelivers the same body and expects its messages to be processed once.',
    source: ACK_SOURCE,
    interpreted: true,
    needs: ['observer'],
  },
  'onenet-legacy.robust.bad-json': {
    level: 'MAY',
    title: 'answers a body that is not JSON without a server error',
    text: 'The documents are silent on bad input; pushcheck expects any complete answer below 500 (400 is usual), not a 5xx or a dropped connection.',
    source: SILENT,
    interpreted: true,
  },
  'onenet-legacy.robust.missing-fields': {
    after: ['onenet-legacy.robust.bad-json'],
    level: 'MAY',
    title: 'answers a push without msg_signature and nonce without a server error',
    text: 'The body is {msg, msg_signature, nonce} (the legacy SDKs); a body without them gets any complete answer below 500 (400 is usual), not a 5xx.',
    source: PUSH_BODY,
    interpreted: true,
  },
  'onenet-legacy.robust.wrong-types': {
    after: ['onenet-legacy.robust.bad-json'],
    level: 'MAY',
    title: 'answers a push whose msg (or enc_msg) and nonce have the wrong types without a server error',
    text: 'msg is a JSON object or array (the legacy SDKs), not a JSON string as in OneNET Studio; a Studio-shaped or mistyped body (in encrypted mode: enc_msg an object, not a string) gets any complete answer below 500 (400 is usual), not a 5xx.',
    source: PUSH_BODY,
    interpreted: true,
  },
  'onenet-legacy.robust.empty-body': {
    after: ['onenet-legacy.robust.bad-json'],
    level: 'MAY',
    title: 'answers an empty POST without a server error',
    text: 'An empty body gets any complete answer below 500 (400 is usual), not a 5xx or a dropped connection.',
    source: SILENT,
    interpreted: true,
  },
  'onenet-legacy.robust.survives-bad-input': {
    after: ['onenet-legacy.ack.within-5s'],
    level: 'SHOULD',
    title: 'keeps acking genuine pushes after each kind of bad input',
    text: `${ACK}. The documents do not speak of bad input; pushcheck expects that bad input from anyone does not stop the receiver from acking the next genuine push. Not a MUST: a receiver may rightly ban a client that sends garbage.`,
    source: ACK_SOURCE,
    interpreted: true,
  },
} as const satisfies Registry;

/** A legacy OneNET case id. */
export type OneNetLegacyCaseId = keyof typeof requirements;
