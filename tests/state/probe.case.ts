/**
 * A profile-free suite for the state-hook self-test (hook.test.ts), run in a Playwright of its own with
 * probe.config.ts: its cases use the core fixtures only, so what they show holds for every profile.
 */
import type { Registry, SourceDocument } from '../../src/core/case.ts';
import { defineConformance, expect, test } from '../../suites/fixtures.ts';
import { PROBE_STATE } from './probe-state.ts';

/** The probe's source: pushcheck's own test, no vendor document. */
const PROBE: SourceDocument = {
  title: 'pushcheck state-hook self-test',
  publisher: 'pushcheck',
  language: 'en',
};

const registry = {
  'probe.state.set': {
    level: 'MUST',
    title: 'is put in a state before the case',
    text: 'test-only: a case that needs a provider state',
    source: { document: PROBE, section: 'tests/state/probe.case.ts' },
    needs: ['state-hook'],
  },
  'probe.state.undeclared': {
    level: 'MUST',
    title: 'runs whether or not the run has a hook',
    text: 'test-only: a case that declares no need for a state',
    source: { document: PROBE, section: 'tests/state/probe.case.ts' },
  },
} as const satisfies Registry;

const conformance = defineConformance<Parameters<typeof test>[2], typeof registry>(test, 'probe', registry);

conformance('probe.state.set', async ({ state }) => {
  const ex = await state.set(PROBE_STATE.state, PROBE_STATE.params);
  expect(ex.response?.status).toBeGreaterThanOrEqual(200);
});

conformance('probe.state.undeclared', async ({ state }) => {
  if (state.url === undefined) {
    // A case that sets a state without declaring the need is a bug in the suite: it fails loudly.
    await expect(state.set(PROBE_STATE.state)).rejects.toThrow(/declare needs: \["state-hook"\]/);
  } else {
    // request() hands back whatever the hook answered, for a case that can do without the state.
    expect((await state.request('anything')).error).toBeUndefined();
  }
});
