/**
 * src/core/playwright.ts, the one place pushcheck starts Playwright's runner and hands it the runs: a runner
 * started before its runs waits for them, and ends however pushcheck lets go of it. (What a whole run leaves
 * behind, however it ends, is tests/robustness.test.ts.)
 */
import { expect, test } from '@playwright/test';
import { startPlaywright } from '../src/core/playwright.ts';

test('a Playwright started before its runs waits for them, and ends when pushcheck lets go or stops it', async () => {
  // pushcheck gone before handing the runs over: the channel closes, and the runner ends by itself, whether it
  // was still loading or already waiting.
  const orphan = startPlaywright();
  orphan.child.disconnect();
  expect(await orphan.exited).toBe(2);
  const waiting = startPlaywright();
  await waiting.ready;
  waiting.child.disconnect();
  expect(await waiting.exited).toBe(2);
  // A run that never began (a malformed spec, a receiver that did not start): pushcheck stops the waiting
  // runner, and nothing of its process group is left.
  const stopped = startPlaywright();
  await stopped.ready;
  stopped.kill();
  expect(await stopped.exited).not.toBe(0);
  expect(stopped.child.signalCode).toBe('SIGKILL');
  expect(() => process.kill(-(stopped.child.pid ?? 0), 0)).toThrow(/ESRCH/);
});
