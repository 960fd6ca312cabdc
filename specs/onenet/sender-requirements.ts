/**
 * What a OneNET Studio *sender* must do, for `pushcheck listen onenet`, which plays the receiver and grades
 * every request a sender under test makes (a platform emulator, a gateway that forwards pushes, a test tool).
 * Quoted from onenet.seed.md (in Chinese, glossed in English) and FACTS.md §1a. Ids are stable forever.
 */
import type { Registry } from '../../src/core/case.ts';

const RETRY =
  '应用服务器收到平台每一次推送请求后，需要在有限时间内返回响应（目前是5秒），且HTTP响应状态码应设置为200，否则平台会认为请求发送失败，进行消息重推。重推采用指数退避策略，每条消息最多重推16次 — a push not answered 200 within 5 s is retried, at most 16 times';
const RETRY_SOURCE = 'onenet.seed.md §4 重推策略; FACTS.md §1a';

export const senderRequirements = {
  'onenet-sender.body.schema': {
    level: 'MUST',
    title: 'sends the documented push body: msg, an 8-character nonce, a Base64 signature, time and id',
    text: '推送数据以JSON形式置于HTTP请求中的body部分 — {msg: string, nonce, signature, time: long, id: string}; the nonce is 8 characters (the official sample copies exactly 8 bytes of it), the signature standard Base64 of an MD5 digest; msg (decrypted in secure mode) is one of the documented payloads.',
    source: 'onenet.seed.md §3 消息推送; FACTS.md §1a; specs/onenet/schemas/push.json and msg.json',
  },
  'onenet-sender.sign.valid': {
    level: 'MUST',
    title: 'signs each push with Base64(MD5(token ‖ nonce ‖ msg)) over msg as sent',
    text: 'A = token + nonce + msg; B = MD5(A); signature = Base64(B). The POST signature is compared as sent, without URL-decoding, and in secure mode it covers the ciphertext (FACTS.md §1a).',
    source: 'onenet.seed.md §2 实例验证 and §3; FACTS.md §1a signature code',
  },
  'onenet-sender.body.time-ms': {
    level: 'MUST',
    title: 'sends time as a timestamp in milliseconds',
    text: 'time: long, 推送时间戳（毫秒） — the push time in milliseconds since the Unix epoch.',
    source: 'onenet.seed.md §3 消息推送 (field table)',
  },
  'onenet-sender.id.unique': {
    level: 'MUST',
    title: 'gives different messages different ids',
    text: 'id: 消息ID — the message id; receivers de-duplicate retried pushes on it (FACTS.md §1a), so two different messages with one id lose one of them.',
    source: 'onenet.seed.md §3; FACTS.md §1a (community receivers dedupe on id)',
  },
  'onenet-sender.secure.decryptable': {
    level: 'MUST',
    title: 'encrypts msg with AES-128-CBC/PKCS7, the key as both key and IV',
    text: '平台会对消息msg进行加密处理（加密方式采用AES的CBC模式，数据填充采用PKCS7） — the official decrypt sample uses the 16-character key as the key and new IvParameterSpec(key) as the IV.',
    source: 'onenet.seed.md §3 and §5 最佳实践; FACTS.md §1a decrypt code',
    needs: ['aes-key'],
  },
  'onenet-sender.retry.retried': {
    level: 'MUST',
    title: 'retries a push that was not answered with 200',
    text: RETRY,
    source: RETRY_SOURCE,
    needs: ['failures'],
  },
  'onenet-sender.retry.same-id': {
    level: 'MUST',
    title: 'keeps the message id on every retry',
    text: `${RETRY}. A retry is the same message (消息重推), so it carries the same id; a fresh id defeats every receiver's de-duplication.`,
    source: RETRY_SOURCE,
    needs: ['failures'],
  },
  'onenet-sender.retry.schedule': {
    level: 'MUST',
    title: 'retries at 5 s, 10 s, 30 s, 1 min … 1 h after the previous attempt',
    text: '重推策略: intervals from the previous attempt (与上次间隔时间) 5s, 10s, 30s, 1min, 2min, 3min, 4min, 5min, 6min, 7min, 8min, 9min, 10min, 20min, 30min, 1h. The document does not say whether an interval starts at the previous attempt or at its end: both are on schedule.',
    source: RETRY_SOURCE,
    needs: ['failures'],
  },
  'onenet-sender.retry.attempts': {
    level: 'MUST',
    title: 'stops after the 16th retry, and after an ack',
    text: `${RETRY}; 之后不再重试 — after the 16th retry (17 attempts) no more; an acked push is not sent again.`,
    source: RETRY_SOURCE,
    needs: ['failures'],
  },
} as const satisfies Registry;

export type OneNetSenderCaseId = keyof typeof senderRequirements;
