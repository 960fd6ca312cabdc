/**
 * What a OneNET Studio *sender* must do, for `pushcheck listen onenet`, which plays the receiver and grades
 * every request a sender under test makes (a platform emulator, a gateway that forwards pushes, a test tool).
 * Quoted from the OneNET HTTP push document (in Chinese, glossed in English; specs/onenet/sources.ts) and its
 * official samples. Ids are stable forever.
 */
import type { Registry, Source } from '../../src/core/case.ts';
import { HTTP_PUSH, RULE_DATA } from './sources.ts';

const RETRY = 'A push not answered 200 within 5 s is retried, at most 16 times';
const RETRY_SOURCE: Source = {
  document: HTTP_PUSH,
  section: '4. 重推策略',
  quote:
    '应用服务器收到平台每一次推送请求后，需要在有限时间内返回响应（目前是5秒），且HTTP响应状态码应设置为200，否则平台会认为请求发送失败，进行消息重推。重推采用指数退避策略，每条消息最多重推16次',
  translation:
    'A push not answered with HTTP 200 within a limited time (currently 5 seconds) is considered failed and pushed again; retries back off exponentially, at most 16 per message.',
};

export const senderRequirements = {
  'onenet-sender.body.schema': {
    level: 'MUST',
    title: 'sends the documented push body: msg, an 8-character nonce, a Base64 signature, time and id',
    text: 'The body is JSON: {msg: string, nonce, signature, time: long, id: string}; the nonce is 8 characters (the official sample copies exactly 8 bytes of it), the signature standard Base64 of an MD5 digest; msg (decrypted in secure mode) is one of the documented payloads.',
    source: {
      document: HTTP_PUSH,
      section: `3. 消息推送; 5. 最佳实践 (JAVA代码示例); msg shapes: ${RULE_DATA.title}`,
      quote: '推送数据以JSON形式置于HTTP请求中的body部分',
      translation: 'The pushed data is put, as JSON, in the body of the HTTP request.',
    },
  },
  'onenet-sender.sign.valid': {
    level: 'MUST',
    title: 'signs each push with Base64(MD5(token ‖ nonce ‖ msg)) over msg as sent',
    text: 'The signature is Base64(MD5(token + nonce + msg)). The POST signature is compared as sent, without URL-decoding, and in secure mode it covers the ciphertext (as receivers written for it expect: they verify before they decrypt).',
    source: {
      document: HTTP_PUSH,
      section: '2. 实例验证; 5. 最佳实践 (JAVA代码示例, signature)',
      quote: 'A = token + nonce + msg',
      translation: 'A is token, nonce and msg concatenated; B = md5(A); the signature is Base64(B).',
    },
  },
  'onenet-sender.body.time-ms': {
    level: 'MUST',
    title: 'sends time as a timestamp in milliseconds',
    text: 'time is a long: the push time in milliseconds since the Unix epoch.',
    source: {
      document: HTTP_PUSH,
      section: '3. 消息推送 (field table)',
      quote: '推送时间戳（毫秒）',
      translation: 'The push timestamp, in milliseconds.',
    },
  },
  'onenet-sender.id.unique': {
    level: 'MUST',
    title: 'gives different messages different ids',
    text: 'id is the message id; receivers de-duplicate retried pushes on it, so two different messages with one id lose one of them.',
    source: {
      document: HTTP_PUSH,
      section: '3. 消息推送 (field table)',
      quote: '消息ID',
      translation: 'The message id.',
    },
  },
  'onenet-sender.secure.decryptable': {
    level: 'MUST',
    title: 'encrypts msg with AES-128-CBC/PKCS7, the key as both key and IV',
    text: 'In secure mode msg is encrypted with AES-CBC and PKCS7 padding; the official decrypt sample uses the 16-character key as the key and new IvParameterSpec(key) as the IV.',
    source: {
      document: HTTP_PUSH,
      section: '3. 消息推送; 5. 最佳实践 (JAVA代码示例, decrypt)',
      quote: '平台会对消息msg进行加密处理（加密方式采用AES的CBC模式，数据填充采用PKCS7）',
      translation: 'The platform encrypts msg (AES in CBC mode, PKCS7 padding).',
    },
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
