/**
 * Provider states, as Pact has them: some behaviour can only be tested once the system under test is in a
 * given state (a command queued for a device). pushcheck POSTs `{"state": NAME, "params": {…}}` to the URL
 * the run was given as `--state-url` and expects a 2xx once the state holds. Profiles name their states and
 * document them in their spec; a case that needs a state and has no hook is not assessed.
 */
import { describeResponse, notAssessed, recordExchange } from './case.ts';
import { type Exchange, send } from './http.ts';

export interface ProviderState {
  state: string;
  params?: Record<string, unknown>;
}

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

/** Whether the hook accepted the state. */
export function stateHeld(ex: Exchange): boolean {
  const status = ex.response?.status;
  return ex.error === undefined && status !== undefined && status >= 200 && status <= 299;
}

/**
 * A hook at `url`. Each request is cut off at `deadlineMs` and recorded in the case's wire log (with
 * `record`, by default the case's own), so a reader sees what state each case asked for.
 */
export function stateHook(
  url: string,
  deadlineMs: number,
  record: (ex: Exchange) => void = recordExchange,
): StateHook {
  const request = async (state: ProviderState): Promise<Exchange> => {
    const ex = await send({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(state),
      deadlineMs,
      label: `provider state "${state.state}"`,
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
