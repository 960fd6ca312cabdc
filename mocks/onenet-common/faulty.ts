/**
 * The defects Studio and legacy receivers share, written once for both profiles' faulty.ts: those of the
 * verification GET (the same GET on both platforms) and those of bad input (the same kinds reach both). Each
 * names the case of `profile` meant to catch it.
 */
import { sign } from '../../src/protocols/onenet/codec.ts';
import { formDecode, type VerificationBehaviour } from './verification.ts';

/** Splits a raw query string on `&` and `=` without decoding anything. */
function rawSplit(query: string): Map<string, string> {
  return new Map(query.split('&').map((kv) => [kv.split('=')[0] ?? '', kv.slice(kv.indexOf('=') + 1)]));
}

/** Whether the query's signature, as the receiver split it, is the one computed over its msg and nonce. */
function signatureMatches(token: string, q: Map<string, string>): boolean {
  return sign(token, q.get('nonce') ?? '', q.get('msg') ?? '') === q.get('signature');
}

/** The verification defects, with the cases of `profile` that catch them. */
export function verificationFaults<P extends string>(profile: P) {
  return {
    'plus-space': {
      defect: 'compares the form-decoded signature directly, so a raw + that became a space never matches',
      behaviour: {
        verifyQuery: (token, query) => signatureMatches(token, formDecode(query)),
      } satisfies Partial<VerificationBehaviour>,
      caughtBy: [`${profile}.verify.signature-raw`] as const,
    },
    'no-url-decode': {
      defect: 'reads the query without URL decoding, so %2B, %2F and %3D never match',
      behaviour: {
        verifyQuery: (token, query) => signatureMatches(token, rawSplit(query)),
      } satisfies Partial<VerificationBehaviour>,
      caughtBy: [`${profile}.verify.signature-percent-encoded`] as const,
    },
    'echo-forged': {
      defect: 'echoes every verification without checking its signature',
      behaviour: { verifyQuery: () => true } satisfies Partial<VerificationBehaviour>,
      caughtBy: [`${profile}.verify.forged-not-echoed`] as const,
    },
  };
}

/** The kinds of bad input both receivers tell apart. */
type SharedBadInput = 'not-json' | 'not-a-push' | 'empty';

/**
 * The bad-input defects, with the cases of `profile` that catch them: each answers one kind of bad input
 * wrongly and the others as `reference` (the profile's reference answer) does.
 */
export function badInputFaults<P extends string, K extends string, A>(profile: P, reference: (kind: K) => A) {
  const except =
    (kind: SharedBadInput, answer: 500 | 'crash') =>
    (k: K): A | 500 | 'crash' =>
      k === kind ? answer : reference(k);
  return {
    'crash-on-malformed': {
      defect: 'dies on a body that is not JSON: every later request gets a closed connection',
      behaviour: { badInput: except('not-json', 'crash') },
      caughtBy: [`${profile}.robust.bad-json`, `${profile}.robust.survives-bad-input`] as const,
      collateral: 'a dead receiver fails every case that runs after it died',
    },
    'unvalidated-500': {
      defect: 'trusts the body to be a push: missing or mistyped fields end in an exception and a 500',
      behaviour: { badInput: except('not-a-push', 500) },
      caughtBy: [`${profile}.robust.missing-fields`, `${profile}.robust.wrong-types`] as const,
    },
    'empty-500': {
      defect: 'fails with 500 on an empty body',
      behaviour: { badInput: except('empty', 500) },
      caughtBy: [`${profile}.robust.empty-body`] as const,
    },
  };
}
