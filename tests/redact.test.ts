/** Secrets never reach a report or a log, and redaction does not give a short secret away by its gaps. */
import { expect, test } from '@playwright/test';
import { redact, redactDeep } from '../src/core/config.ts';

test('a secret is replaced raw and percent-encoded, and a URL password too', () => {
  const key = 'a+B/c=D4e5F6g7H8';
  expect(redact(`key ${key} or ${encodeURIComponent(key)}`, [key])).toBe('key [REDACTED] or [REDACTED]');
  expect(redact('http://user:pa55@host/x', [])).toBe('http://user:[REDACTED]@host/x');
});

test('a short secret is replaced only where it stands alone, so words are not garbled', () => {
  expect(redact('onenet http://host/ token t, and t', ['t'])).toBe(
    'onenet http://host/ token [REDACTED], and [REDACTED]',
  );
});

test('strings inside a report are redacted before serialization, whatever JSON or XML would escape', () => {
  const secret = 'tok"<en>&';
  const out = JSON.stringify(redactDeep({ a: [`x ${secret} y`], n: 3, b: { c: secret } }, [secret]));
  expect(out).toBe('{"a":["x [REDACTED] y"],"n":3,"b":{"c":"[REDACTED]"}}');
});
