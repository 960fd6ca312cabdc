/** The state the probe suite (probe.case.ts) asks for, which hook.test.ts expects at its hook. */
export const PROBE_STATE = { state: 'sensor registered', params: { sensorId: 'probe-7', kind: 'door' } };
