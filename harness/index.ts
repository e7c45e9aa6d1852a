/**
 * The public surface scenarios import. Scenarios import nothing else from the harness.
 */
export { defineScenario } from './model/define-scenario.ts';
export { probe } from './model/probe.ts';
export { check } from './checks/check.ts';
export { phaseSpecific } from './checks/phase-specific.ts';
export { cert, EXAMPLE_CA, secret } from './certs/requests.ts';
/** For scenarios/<id>/signature.test.ts: the phase checks judged on hand-written observations. */
export { ingress, signature } from './checks/signature.ts';
export type * from './model/scenario.ts';
export type { WriteUp } from './model/write-up.ts';
export type * from './model/probe-spec.ts';
export type { Check, CheckResult } from './model/check.ts';
export type * from './model/observation.ts';
export type { PhaseName, Verdict } from './model/verdict.ts';
