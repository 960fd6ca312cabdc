/** OneNET Studio HTTP push as a pushcheck profile: its options, settings, demo and served receivers. */
import { join, resolve } from 'node:path';
import type { FaultyName } from '../../../mocks/onenet/faulty.ts';
import { requirements } from '../../../specs/onenet/requirements.ts';
import { integerOption, stringOption, timeScaleOption } from '../../core/errors.ts';
import type { DemoTarget, Profile } from '../../core/profile.ts';
import { listenCommand, sendCommand } from './commands.ts';
import { keyOption, requiredToken, STUDIO_KEY, tokenOption } from './options.ts';
import { OneNetSender, verificationRequest } from './sender.ts';

/** What the OneNET cases read from a run. */
export interface OneNetSettings {
  /** The push instance's token. Secret. */
  token: string;
  /** Secure mode (安全模式) when set: the 16-character AES key. Secret. */
  aesKey?: string;
  /** Concurrent pushes in the burst case. */
  burst: number;
  /** How much the retry cases compress the platform's retry schedule (0.001: 2 h 45 min in 10 s). */
  retryScale: number;
}

/** The token of the demo and of `pushcheck serve onenet` when none is given. */
export const DEMO_TOKEN = 'pushcheck-demo-token';
/** The demo's secure-mode key: it has +, / and =, as a platform-generated key may. */
const DEMO_AES_KEY = 'Kq7+d/Ez3x=9Lm2W';

export const onenetProfile: Profile<OneNetSettings> = {
  name: 'onenet',
  summary: 'OneNET Studio HTTP push (数据推送 → HTTP推送): the receiver is your application server',
  registry: requirements,
  options: {
    token: { type: 'string' },
    'aes-key': { type: 'string' },
    burst: { type: 'string' },
    'retry-time-scale': { type: 'string' },
  },
  help: `  --token TOKEN        the push instance's token (or env PUSHCHECK_TOKEN)
  --aes-key KEY        the 16-character key of a secure-mode instance (or env PUSHCHECK_AES_KEY)
  --burst N            concurrent pushes in the burst case (default 20)
  --retry-time-scale F how much the retry cases compress the 2 h 45 min retry schedule (default 0.001)`,
  // the ack deadline: onenet.ack.within-5s
  deadlineMs: 5000,
  configure(values, env) {
    const token = requiredToken(values, env, 'the token of your push instance');
    const aesKey = keyOption(values, env, STUDIO_KEY);
    return {
      token,
      ...(aesKey !== undefined ? { aesKey } : {}),
      burst: integerOption(values.burst, 'burst', 20, 1, 500),
      retryScale: timeScaleOption(values['retry-time-scale'], 'retry-time-scale', 0.001),
    };
  },
  secrets: (s) => [s.token, ...(s.aesKey ? [s.aesKey] : [])],
  mode: (s) => (s.aesKey === undefined ? undefined : 'secure mode'),
  check(need, s) {
    if (need === 'aes-key' && s.aesKey === undefined) {
      return { skip: 'secure mode only: pass --aes-key KEY for a receiver configured in 安全模式' };
    }
    return undefined;
  },
  async firstRequest(target, s, { runTag, rng, deadlineMs }) {
    const probe = new OneNetSender({ token: s.token, aesKey: s.aesKey, runTag, rng }).verification();
    return verificationRequest(target, probe, deadlineMs);
  },
  async lookalike(run, s) {
    const { otherGeneration } = await import('../onenet-legacy/generation.ts');
    return otherGeneration('onenet', run, { token: s.token, aesKey: s.aesKey });
  },
  async demo(scratchDir) {
    const [{ onenetHandlers }, { serve }] = await Promise.all([
      import('../../../mocks/onenet/reference.ts'),
      import('../../../mocks/serve.ts'),
    ]);
    const targets: DemoTarget<OneNetSettings>[] = [];
    for (const aesKey of [undefined, DEMO_AES_KEY]) {
      const mode = aesKey === undefined ? 'plain' : 'secure';
      const observeFile = join(scratchDir, `onenet-${mode}.log`);
      const server = await serve(onenetHandlers({ token: DEMO_TOKEN, aesKey, observeFile }));
      targets.push({
        label: `onenet-${mode}`,
        target: `${server.origin}/onenet`,
        settings: { token: DEMO_TOKEN, ...(aesKey ? { aesKey } : {}), burst: 20, retryScale: 0.001 },
        observeFile,
        close: () => server.close(),
      });
    }
    return targets;
  },
  faulty: async () => (await import('../../../mocks/onenet/faulty.ts')).faulty,
  fuzz: {
    valid(s, { runTag, rng }) {
      const sender = new OneNetSender({ token: s.token, aesKey: s.aesKey, runTag, rng });
      return {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: sender.push(rng.pick(['property', 'lifeCycle', 'event'] as const)).json,
      };
    },
    // the ack rule: onenet.ack.within-5s
    acked: (ex) => ex.error === undefined && ex.response?.status === 200,
  },
  serveOptions: {
    token: { type: 'string' },
    'aes-key': { type: 'string' },
    'observe-file': { type: 'string' },
  },
  async serve({ faulty: name, host, port, values, tls }) {
    const [{ onenetHandlers, reference }, { faultyBehaviour }, { serve }] = await Promise.all([
      import('../../../mocks/onenet/reference.ts'),
      import('../../../mocks/onenet/faulty.ts'),
      import('../../../mocks/serve.ts'),
    ]);
    const aesKey = keyOption(values, process.env, STUDIO_KEY);
    const token = tokenOption(values, process.env) ?? DEMO_TOKEN;
    const observeFile = stringOption(values['observe-file']);
    const behaviour = name ? faultyBehaviour(name as FaultyName) : reference;
    const server = await serve(
      onenetHandlers({ token, aesKey, observeFile: observeFile && resolve(observeFile) }, behaviour),
      { host, port, ...(tls ? { tls } : {}) },
    );
    return {
      lines: [
        `${name ? `faulty receiver "${name}"` : 'reference receiver'} (onenet${aesKey ? ', secure mode' : ''}) at ${server.origin}/onenet`,
        `token: ${token === DEMO_TOKEN ? DEMO_TOKEN : '(as given)'}${observeFile ? `; records processed messages in ${observeFile}` : ''}`,
      ],
      close: () => server.close(),
    };
  },
  send: sendCommand,
  listen: listenCommand,
};
