/**
 * The OneNET Studio HTTP push requirements: one entry per case, quoted from the vendor document (in Chinese,
 * glossed in English; specs/onenet/sources.ts lists it) and its official samples. Ids are stable forever.
 */
import type { Registry, Source } from '../../src/core/case.ts';
import { CHECK_TOKEN, HTTP_PUSH, RULE_DATA } from './sources.ts';

const ACK = 'Every push must be answered within 5 s with HTTP 200, else the platform retries';
const ACK_SOURCE: Source = {
  document: HTTP_PUSH,
  section: '4. 重推策略',
  quote:
    '应用服务器收到平台每一次推送请求后，需要在有限时间内返回响应（目前是5秒），且HTTP响应状态码应设置为200，否则平台会认为请求发送失败，进行消息重推',
  translation:
    'After each push request from the platform, the application server must answer within a limited time (currently 5 seconds) with HTTP status 200; otherwise the platform considers the request failed and pushes the message again.',
};
const VERIFY_SOURCE: Source = {
  document: HTTP_PUSH,
  section: '2. 实例验证',
  quote: '若确认此次GET请求来自OneNET平台，需在响应中原样返回msg参数，实例验证才能通过',
  translation:
    'If the server confirms that the GET request comes from the OneNET platform, it must return the msg parameter unchanged in its response for the verification to pass.',
};
const SIGNATURE: Source = {
  document: HTTP_PUSH,
  section: '3. 消息推送 (signature)',
  quote: '加密签名，用以校验推送客户端身份合法性，校验方法见实例验证',
  translation:
    'The signature, used to check that the pushing client is genuine; it is checked as in the verification.',
};
const FIELDS: Source = {
  document: HTTP_PUSH,
  section: '3. 消息推送 (field table)',
  quote: '推送数据以JSON形式置于HTTP请求中的body部分',
  translation: 'The pushed data is put, as JSON, in the body of the HTTP request.',
};
const SECURE: Source = {
  document: HTTP_PUSH,
  section: '3. 消息推送; 5. 最佳实践 (JAVA代码示例, decrypt)',
  quote: '平台会对消息msg进行加密处理（加密方式采用AES的CBC模式，数据填充采用PKCS7）',
  translation: 'The platform encrypts msg (AES in CBC mode, PKCS7 padding).',
};
const RETRIED_SAME: Source = {
  document: HTTP_PUSH,
  section: '4. 重推策略; 3. 消息推送 (id: 消息ID)',
  quote: '重推采用指数退避策略，每条消息最多重推16次',
  translation: 'Retries back off exponentially; each message is pushed again at most 16 times.',
};
const SILENT = (section: string): Source => ({
  document: HTTP_PUSH,
  section: `${section} (silent on bad input)`,
});

function acked(kind: string, shape: string) {
  return {
    after: ['onenet.ack.within-5s'],
    level: 'MUST',
    title: `acks ${kind} push with 200`,
    text: `${ACK}. Payload: ${shape}.`,
    source: { ...ACK_SOURCE, section: `${ACK_SOURCE.section}; msg shapes: ${RULE_DATA.title}` },
  } as const;
}

export const requirements = {
  'onenet.verify.echo-verbatim': {
    level: 'MUST',
    title: 'echoes msg verbatim to a genuine verification',
    text: 'The response body to a genuine verification is the msg parameter, unchanged (no quotes, no newline), with HTTP 200',
    source: VERIFY_SOURCE,
  },
  'onenet.verify.signature-raw': {
    after: ['onenet.verify.echo-verbatim'],
    level: 'MUST',
    title: 'accepts a verification whose signature has a raw +, which form decoding turns into a space',
    text: "The receiver URL-decodes the Base64 it computed (a + becomes a space) and compares it with the decoded signature parameter: the procedure works for a signature sent raw, whose + arrives as a space. The vendor's receiver SDK does the same (signature.replace(' ', '+'), the legacy SDKs).",
    source: {
      document: HTTP_PUSH,
      section: '2. 实例验证 (3)',
      quote: '将字符串B进行Base64转换，并通过URL Decode计算后得到参数C，将参数C与signature进行对比',
      translation: 'Base64-encode B, URL-decode it to get C, and compare C with signature.',
      code: CHECK_TOKEN,
    },
  },
  'onenet.verify.signature-percent-encoded': {
    after: ['onenet.verify.echo-verbatim'],
    level: 'MAY',
    title: 'accepts a verification whose signature has +, / and = percent-encoded',
    text: 'The document does not say how the platform encodes the query; its procedure implies a raw signature. A receiver that decodes the query properly accepts %2B, %2F and %3D too, and keeps working if the platform (or a proxy) encodes the signature.',
    source: { ...VERIFY_SOURCE, section: '2. 实例验证 (silent on the encoding)' },
    interpreted: true,
  },
  'onenet.verify.forged-not-echoed': {
    level: 'MAY',
    security: true,
    title: 'does not echo a verification whose signature is forged',
    text: 'The server checks the signature before echoing; the document also allows skipping the check ("如果用户不想验证，可选择跳过该过程，直接返回msg参数"), so a receiver that echoes a forged verification does what the document permits: it passes, with a security finding (decisions/022)',
    permitted:
      '如果用户不想验证，可选择跳过该过程，直接返回msg参数 (a user who does not want to verify may skip it and return msg directly)',
    source: {
      ...VERIFY_SOURCE,
      quote: '应用服务器收到请求后，需要通过signature参数字段对请求进行校验',
      translation:
        'On receiving the request, the application server must check it with the signature parameter.',
    },
  },
  'onenet.push.lifecycle-acked': acked('a lifeCycle', 'messageType "lifeCycle", data.status online|offline'),
  'onenet.push.property-acked': acked('a property notify', 'messageType "notify", notifyType "property"'),
  'onenet.push.event-acked': acked('an event notify', 'messageType "notify", notifyType "event"'),
  'onenet.push.service-reply-acked': acked('a service reply', 'messageType "reply", callType "async"'),
  'onenet.push.scene-log-acked': acked('a sceneLog', 'messageType "sceneLog", with a UTF-8 scene name'),
  'onenet.push.lbs-wifi-acked': acked(
    'an lbsAndWifi',
    'messageType "lbsAndWifi", type 1|2, data {accuracy, lon, lat}',
  ),
  'onenet.push.processed': {
    after: ['onenet.ack.within-5s'],
    level: 'MUST',
    title: 'processes a genuine push whose signature contains + and /',
    text: 'A genuine signature (standard Base64, compared as sent in the JSON body, as the official Java sample does) must verify, so the message is processed',
    source: SIGNATURE,
    needs: ['observer'],
  },
  'onenet.ack.within-5s': {
    level: 'MUST',
    title: 'acks a push within 5 s',
    text: ACK,
    source: ACK_SOURCE,
  },
  'onenet.ack.burst': {
    after: ['onenet.ack.within-5s'],
    level: 'SHOULD',
    title: 'acks a burst of concurrent pushes, each within 5 s',
    text: `${ACK}. The document does not say how many pushes may be in flight at once; pushcheck sends a burst (20 by default) and reports p50/p95 ack latency.`,
    source: ACK_SOURCE,
    interpreted: true,
  },
  'onenet.secure.decrypted': {
    after: ['onenet.ack.within-5s'],
    level: 'MUST',
    title: 'decrypts a secure-mode push with the key as both key and IV',
    text: 'The receiver decrypts msg with the generated key; the official sample uses new IvParameterSpec(key): the 16-character key is the key and the IV. pushcheck signs the ciphertext, msg exactly as sent (pushcheck’s reading of receivers written for it, which verify before they decrypt): a receiver that verifies the plaintext instead rejects every secure-mode push.',
    source: SECURE,
    needs: ['aes-key', 'observer'],
  },
  'onenet.sign.forged-not-processed': {
    after: ['onenet.ack.within-5s'],
    level: 'SHOULD',
    security: true,
    title: 'does not process a push signed with another token',
    text: 'The signature lets the server check that the push comes from the platform; a push that fails the check is not to be trusted',
    source: SIGNATURE,
    needs: ['observer'],
  },
  'onenet.sign.tampered-not-processed': {
    after: ['onenet.ack.within-5s'],
    level: 'SHOULD',
    security: true,
    title: 'does not process a push whose msg does not match its signature',
    text: 'The signature covers msg (A = token + nonce + msg), so an altered msg fails the check',
    source: { ...SIGNATURE, section: '2. 实例验证 (A = token + nonce + msg); 3. 消息推送' },
    needs: ['observer'],
  },
  'onenet.dedup.redelivery-acked': {
    after: ['onenet.ack.within-5s'],
    level: 'MUST',
    title: 'acks a redelivered message id with 200',
    text: `${ACK}. A redelivery is still a push: anything but 200 makes the platform retry it up to 16 times.`,
    source: ACK_SOURCE,
  },
  'onenet.dedup.processed-once': {
    after: ['onenet.ack.within-5s'],
    level: 'SHOULD',
    title: 'processes a redelivered message id once',
    text: 'A push whose ack was late or lost is pushed again with the same id, up to 16 times; the document does not say that receivers de-duplicate, but receivers written for it de-duplicate on the body id.',
    source: RETRIED_SAME,
    interpreted: true,
    needs: ['observer'],
  },
  'onenet.retry.delivered': {
    after: ['onenet.ack.within-5s'],
    level: 'MUST',
    title: 'acks a push with 200 before the platform gives up retrying it',
    text: `${ACK}, backing off exponentially: after the first delivery and 16 retries (5s … 1h apart) the message is dropped. pushcheck retries on that schedule, compressed (--retry-time-scale, default 0.001), each attempt cut at 5 s.`,
    source: ACK_SOURCE,
  },
  'onenet.retry.processed-once': {
    after: ['onenet.ack.within-5s'],
    level: 'SHOULD',
    title: 'processes a push the platform retried once',
    text: 'A push whose ack failed is pushed again with the same id, on the retry schedule (the OneNET HTTP push document §4). The document does not say that receivers de-duplicate; receivers written for it do, on the body id. pushcheck delivers a push through the retry schedule and counts how often it was recorded.',
    source: RETRIED_SAME,
    interpreted: true,
    needs: ['observer'],
  },
  'onenet.robust.bad-json': {
    level: 'MAY',
    title: 'answers a body that is not JSON without a server error',
    text: 'The document is silent on bad input; pushcheck expects any complete answer below 500 (400 is usual), not a 5xx or a dropped connection.',
    source: SILENT('3. 消息推送'),
    interpreted: true,
  },
  'onenet.robust.missing-fields': {
    after: ['onenet.robust.bad-json'],
    level: 'MAY',
    title: 'answers a push with missing fields without a server error',
    text: 'The body has msg, nonce, signature, time and id (the OneNET HTTP push document §3); a body without them gets any complete answer below 500 (400 is usual), not a 5xx.',
    source: FIELDS,
    interpreted: true,
  },
  'onenet.robust.wrong-types': {
    after: ['onenet.robust.bad-json'],
    level: 'MAY',
    title: 'answers a push with wrongly typed fields without a server error',
    text: 'msg is a string, time a long, id a string (the OneNET HTTP push document §3 table); other types get any complete answer below 500 (400 is usual), not a 5xx.',
    source: FIELDS,
    interpreted: true,
  },
  'onenet.robust.huge-body': {
    level: 'MAY',
    title: 'answers a 4 MiB body without a server error or a reset',
    text: 'The document sets no size limit; a receiver may refuse a huge body (413 is fine) but not fail with a 5xx or reset the connection.',
    source: SILENT('3. 消息推送'),
    interpreted: true,
  },
  'onenet.robust.no-content-type': {
    after: ['onenet.robust.bad-json'],
    level: 'SHOULD',
    title: 'answers a push without a Content-Type without a server error',
    text: 'The document says the body is JSON but not which Content-Type header comes with it.',
    source: FIELDS,
    interpreted: true,
  },
  'onenet.robust.empty-body': {
    after: ['onenet.robust.bad-json'],
    level: 'MAY',
    title: 'answers an empty POST without a server error',
    text: 'An empty body gets any complete answer below 500 (400 is usual), not a 5xx or a dropped connection.',
    source: SILENT('3. 消息推送'),
    interpreted: true,
  },
  'onenet.robust.survives-bad-input': {
    after: ['onenet.ack.within-5s'],
    level: 'SHOULD',
    title: 'keeps acking genuine pushes after each kind of bad input',
    text: `${ACK}. The document does not speak of bad input; pushcheck expects that bad input from anyone does not stop the receiver from acking the next genuine push. Not a MUST: a receiver that bans a client after malformed requests is right to, and would fail this case.`,
    source: ACK_SOURCE,
    interpreted: true,
  },
} as const satisfies Registry;

/** A OneNET case id. */
export type OneNetCaseId = keyof typeof requirements;
