/**
 * A check judges one observation. It never returns a bare boolean: the message says
 * "expected …, got …" and quotes the relevant output, so a failed verdict explains itself.
 */
export type CheckResult = { ok: boolean; message: string };

export interface Check<O = unknown> {
  /** Short name as written in the scenario, e.g. "status(503)". */
  readonly name: string;
  evaluate(observation: O): CheckResult;
}
