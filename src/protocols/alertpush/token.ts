/**
 * What the box does with the token endpoint's answer, and what makes that answer unusable. The box's token
 * script takes the body as it is (`resp.text`) and sends `authorization: Bearer <body>` (the vendor's KS-server-demo), so every
 * byte of the body ends up in the credential.
 */

/** The box's token request timeout: "self.timeout = 5" (headers_demo.py). */
export const TOKEN_DEADLINE_MS = 5000;

/** RFC 6750 §2.1 b64token: the syntax of a bearer credential. */
export const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** The longest token body pushcheck reads as a token; a header this long is already unusual. */
export const MAX_TOKEN_BYTES = 8192;

/**
 * Why `body` is not a bare plain-text token the box can send, or undefined when it is one. Problems that stop
 * the box's HTTP client from sending the header at all (line breaks, control characters, leading whitespace)
 * come first; then the ones that put something other than the token into the credential.
 */
export function tokenProblem(body: Buffer): string | undefined {
  if (body.length === 0) return 'the body is empty: there is no token';
  if (body.length > MAX_TOKEN_BYTES) return `the body is ${body.length} bytes, too long for a header`;
  const text = body.toString('latin1');
  if (/[\r\n]/.test(text)) {
    const where = /^[^\r\n]*[\r\n]+$/.test(text) ? 'ends with' : 'has';
    return `the body ${where} a line break: requests refuses "Bearer <token>\\n" as a header value, so the box sends no token`;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(text)) return 'the body contains control characters';
  if (/^[ \t]|[ \t]$/.test(text)) return 'the body has whitespace around the token, which becomes part of it';
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      JSON.parse(body.toString('utf8'));
      return 'the body is JSON, not a bare token: the box sends the JSON text itself as the token';
    } catch {
      return 'the body looks like JSON (it opens with { or [), not a bare token';
    }
  }
  if (/^["']|["']$/.test(trimmed)) return 'the token is in quotes, which the box sends as part of it';
  if (/^bearer\s/i.test(trimmed)) {
    return 'the body starts with "Bearer ": the box adds the scheme itself and would send "Bearer Bearer …"';
  }
  return undefined;
}

/** Why `token` is not an RFC 6750 b64token, or undefined when it is one. */
export function bearerSyntaxProblem(token: string): string | undefined {
  if (B64TOKEN.test(token)) return undefined;
  const bad = [...new Set([...token].filter((c) => !/[A-Za-z0-9\-._~+/=]/.test(c)))];
  if (bad.length === 0) return 'padding "=" may only end the token';
  return `characters outside the b64token syntax: ${bad.map((c) => JSON.stringify(c)).join(' ')}`;
}

/** The header the box sends with a token. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
