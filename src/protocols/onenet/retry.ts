/**
 * OneNET Studio's retry policy (the OneNET HTTP push document §4 重推策略; its §5 samples): a push not answered with HTTP 200
 * within 5 s is retried up to 16 times, each interval counted from the previous attempt.
 */
import type { RetryPolicy } from '../../core/retry.ts';

const S = 1000;
const MIN = 60 * S;

export const ONENET_RETRY: RetryPolicy = {
  intervalsMs: [
    5 * S,
    10 * S,
    30 * S,
    1 * MIN,
    2 * MIN,
    3 * MIN,
    4 * MIN,
    5 * MIN,
    6 * MIN,
    7 * MIN,
    8 * MIN,
    9 * MIN,
    10 * MIN,
    20 * MIN,
    30 * MIN,
    60 * MIN,
  ],
};

/** Every attempt of a message that is never acked: the first delivery and 16 retries. */
export const ONENET_MAX_ATTEMPTS = ONENET_RETRY.intervalsMs.length + 1;
