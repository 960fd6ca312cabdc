/** Legacy OneNET HTTP push as a pushcheck profile: its options, settings, demo and served receivers. */
import { join, resolve } from 'node:path';
import type { FaultyName } from '../../../mocks/onenet-legacy/faulty.ts';
import { requirements } from '../../../specs/onenet-legacy/requirements.ts';
import { integerOption, stringOption } from '../../core/errors.ts';
import type { DemoTarget, Profile } from '../../core/profile.ts';
import { keyOption, type KeyRule, requiredToken, tokenOption } from '../onenet/options.ts';
import { DEMO_TOKEN } from '../onenet/profile.ts';
import { ENCODING_AES_KEY_LENGTH, isEncodingAesKey } from './codec.ts';
import { MESSAGE_KINDS } from './messages.ts';
import { LegacySender } from './sender.ts';

/** What the legacy OneNET cases read from a run. */
export interface OneNetLegacySettings {
  /** The token configured for the push. Secret. */
  token: string;
  /** Encrypted mode when set: the 43-character EncodingAESKey. Secret. */
  encodingAesKey?: string;
  /** Concurrent pushes in the burst case. */
  burst: number;
}

/** The demo's EncodingAESKey: 32 random bytes in Base64 without the `=`, with + and / as real keys have. */
const DEMO_ENCODING_AES_KEY = 'GIdLEZo+zLrMpKPzlc337if8TgzmFii1F5NKLsFC/FM';

/** The EncodingAESKey of encrypted mode. */
const ENCODING_KEY: KeyRule = {
  valid: isEncodingAesKey,
  wrong: (key) =>
    `--aes-key must be the ${ENCODING_AES_KEY_LENGTH}-character EncodingAESKey the platform shows (letters, digits, + and /, no =); got ${key.length} characters`,
};

export const onenetLegacyProfile: Profile<OneNetLegacySettings> = {
  name: 'onenet-legacy',
  summary:
    'legacy OneNET HTTP push ({msg, msg_signature, nonce}, EncodingAESKey): the receiver is your application server',
  registry: requirements,
  options: { token: { type: 'string' }, 'aes-key': { type: 'string' }, burst: { type: 'string' } },
  help: `  --token TOKEN        the token configured for the push (or env PUSHCHECK_TOKEN)
  --aes-key KEY        encrypted mode: the 43-character EncodingAESKey (or env PUSHCHECK_AES_KEY)
  --burst N            concurrent pushes in the burst case (default 20)`,
  // the ack deadline: onenet-legacy.ack.within-5s
  deadlineMs: 5000,
  configure(values, env) {
    const token = requiredToken(values, env, 'the token configured for the push');
    const encodingAesKey = keyOption(values, env, ENCODING_KEY);
    return {
      token,
      ...(encodingAesKey !== undefined ? { encodingAesKey } : {}),
      burst: integerOption(values.burst, 'burst', 20, 1, 500),
    };
  },
  secrets: (s) => [s.token, ...(s.encodingAesKey ? [s.encodingAesKey] : [])],
  mode: (s) => (s.encodingAesKey === undefined ? undefined : 'encrypted mode'),
  check(need, s) {
    if (need === 'aes-key' && s.encodingAesKey === undefined) {
      return {
        skip: 'encrypted mode only: pass --aes-key ENCODING_AES_KEY for a receiver that gets enc_msg',
      };
    }
    return undefined;
  },
  async firstRequest(target, s, { runTag, rng, deadlineMs }) {
    // The same verification GET as Studio's.
    const [{ LegacySender }, { verificationRequest }] = await Promise.all([
      import('./sender.ts'),
      import('../onenet/sender.ts'),
    ]);
    const sender = new LegacySender({ token: s.token, encodingAesKey: s.encodingAesKey, runTag, rng });
    return verificationRequest(target, sender.verification(), deadlineMs);
  },
  async lookalike(run, s) {
    const { otherGeneration } = await import('./generation.ts');
    return otherGeneration('onenet-legacy', run, { token: s.token, encodingAesKey: s.encodingAesKey });
  },
  async demo(scratchDir) {
    const [{ legacyHandlers }, { serve }] = await Promise.all([
      import('../../../mocks/onenet-legacy/reference.ts'),
      import('../../../mocks/serve.ts'),
    ]);
    const targets: DemoTarget<OneNetLegacySettings>[] = [];
    for (const encodingAesKey of [undefined, DEMO_ENCODING_AES_KEY]) {
      const mode = encodingAesKey === undefined ? 'plain' : 'encrypted';
      const observeFile = join(scratchDir, `onenet-legacy-${mode}.log`);
      const server = await serve(legacyHandlers({ token: DEMO_TOKEN, encodingAesKey, observeFile }));
      targets.push({
        label: `onenet-legacy-${mode}`,
        target: `${server.origin}/onenet-legacy`,
        settings: { token: DEMO_TOKEN, ...(encodingAesKey ? { encodingAesKey } : {}), burst: 20 },
        observeFile,
        close: () => server.close(),
      });
    }
    return targets;
  },
  faulty: async () => (await import('../../../mocks/onenet-legacy/faulty.ts')).faulty,
  fuzz: {
    // A genuine push, signed (and encrypted, with an EncodingAESKey) as the platform sends it.
    valid(s, { runTag, rng }) {
      const sender = new LegacySender({ token: s.token, encodingAesKey: s.encodingAesKey, runTag, rng });
      return {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: sender.push(rng.pick(MESSAGE_KINDS)).json,
      };
    },
    // the ack rule: onenet-legacy.ack.within-5s
    acked: (ex) => ex.error === undefined && ex.response?.status === 200,
  },
  serveOptions: {
    token: { type: 'string' },
    'aes-key': { type: 'string' },
    'observe-file': { type: 'string' },
  },
  async serve({ faulty: name, host, port, values }) {
    const [{ legacyHandlers, reference }, { faultyBehaviour }, { serve }] = await Promise.all([
      import('../../../mocks/onenet-legacy/reference.ts'),
      import('../../../mocks/onenet-legacy/faulty.ts'),
      import('../../../mocks/serve.ts'),
    ]);
    const encodingAesKey = keyOption(values, process.env, ENCODING_KEY);
    const token = tokenOption(values, process.env) ?? DEMO_TOKEN;
    const observeFile = stringOption(values['observe-file']);
    const behaviour = name ? faultyBehaviour(name as FaultyName) : reference;
    const server = await serve(
      legacyHandlers({ token, encodingAesKey, observeFile: observeFile && resolve(observeFile) }, behaviour),
      { host, port },
    );
    return {
      lines: [
        `${name ? `faulty receiver "${name}"` : 'reference receiver'} (onenet-legacy${encodingAesKey ? ', encrypted mode' : ''}) at ${server.origin}/onenet-legacy`,
        `token: ${token === DEMO_TOKEN ? DEMO_TOKEN : '(as given)'}${observeFile ? `; records processed messages in ${observeFile}` : ''}`,
      ],
      close: () => server.close(),
    };
  },
};
