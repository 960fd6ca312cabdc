/**
 * Provider states, as Pact has them: some behaviour can only be tested once the system under test is in a
 * given state (a command queued for a device). pushcheck POSTs `{"state": NAME, "params": {…}}` to the URL
 * the run was given as `--state-url` (a common `run` option) and expects a 2xx once the state holds. The
 * contract is specs/provider-state/openapi.yaml, for every profile; each profile names its states and their
 * params in its own spec. A case whose requirement needs `state-hook` is not assessed in a run without one
 * (suites/fixtures.ts `needs`).
 */
import type { components } from '../../specs/provider-state/generated/types.ts';
import { describeResponse, type Need, notAssessed, recordExchange } from './case.ts';
import { type Exchange, is2xx, send, type TlsOptions } from './http.ts';

/** The need a requirement declares when its case sets up a provider state. */
export const STATE_HOOK_NEED: Need = 'state-hook';

/** Why a case that needs a provider state is not assessed in a run without a hook. */
export const NO_STATE_HOOK =
  "needs a provider state set up in the receiver before it runs: pass --state-url URL, your receiver's provider-state hook (specs/provider-state/openapi.yaml)";

/** The body POSTed to the hook: the envelope every profile's states share (specs/provider-state). */
export type ProviderState = components['schemas']['ProviderState'];

export interface StateHook {
  /** The hook's URL, for the report. */
  readonly url: string;
  /** Asks for `state` and resolves with the exchange, whatever the answer ({@link stateHeld} judges it). */
  request(state: ProviderState): Promise<Exchange>;
  /**
   * Asks for `state`; resolves once the server says it holds. Any answer but a 2xx ends the case as not
   * assessed: a case cannot judge behaviour in a state it could not set up.
   */
  set(state: ProviderState): Promise<Exchange>;
}

/** Whether the hook accepted the state: a complete 2xx answer. */
export function stateHeld(ex: Exchange): boolean {
  return is2xx(ex);
}

/**
 * A hook at `url`. Each request is cut off at `deadlineMs` and recorded in the case's wire log (with
 * `record`, by default the case's own), so a reader sees what state each case asked for. An https:// hook's
 * certificate is checked as `tls` says (the run's `--ca`, `--insecure`).
 */
export function stateHook(
  url: string,
  deadlineMs: number,
  record: (ex: Exchange) => void = recordExchange,
  tls?: TlsOptions,
): StateHook {
  const request = async (state: ProviderState): Promise<Exchange> => {
    const ex = await send({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(state),
      deadlineMs,
      label: `provider state "${state.state}"`,
      ...(tls ? { tls } : {}),
    });
    record(ex);
    return ex;
  };
  return {
    url,
    request,
    async set(state) {
      const ex = await request(state);
      if (!stateHeld(ex)) {
        notAssessed(
          `the state hook (--state-url) did not set up the state "${state.state}": ${describeResponse(ex)}; a 2xx is expected once the state holds`,
        );
      }
      return ex;
    },
  };
}
