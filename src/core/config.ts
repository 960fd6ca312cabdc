/**
 * The run configuration the CLI hands to the Playwright workers (in one environment variable), and the
 * redaction every report and log goes through.
 */
export const CONFIG_ENV = 'PUSHCHECK_CONFIG';

export interface RunConfig {
  profile: string;
  /** The receiver's URL. */
  target: string;
  /** Secrets: never printed, never written unredacted. */
  token: string;
  aesKey?: string;
  observeFile?: string;
  /** Reproduces every generated value (nonces, payloads, keys searched for). */
  seed: number;
  /** Makes message ids and markers unique to this run, so reruns do not collide in a receiver's memory. */
  runTag: string;
  reportDir: string;
  strict: boolean;
  /** The platform's ack deadline: "需要在有限时间内返回响应（目前是5秒）". */
  ackDeadlineMs: number;
  /** How long a processed message may take to reach the observer. */
  observeTimeoutMs: number;
  /** Concurrent pushes in the burst case. */
  burst: number;
}

/** Reads the run configuration in a worker; throws a message for people, not a stack, when it is absent. */
export function readRunConfig(): RunConfig {
  const raw = process.env[CONFIG_ENV];
  if (!raw) {
    throw new Error(`${CONFIG_ENV} is not set: run the suite with \`pushcheck run\` (or \`pushcheck demo\`)`);
  }
  return JSON.parse(raw) as RunConfig;
}

/** The secret values of a run, for {@link redact}. */
export function secretsOf(config: Pick<RunConfig, 'token' | 'aesKey'>): string[] {
  return [config.token, config.aesKey].filter((s): s is string => typeof s === 'string' && s.length > 0);
}

/** Replaces every secret, and the password or query of a URL's credentials, with a placeholder. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text.replace(/(\/\/[^/:@\s]+:)[^@/\s]+@/g, '$1[REDACTED]@');
  for (const s of secrets) {
    out = out.replaceAll(s, '[REDACTED]');
    out = out.replaceAll(encodeURIComponent(s), '[REDACTED]');
  }
  return out;
}
