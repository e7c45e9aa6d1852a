/**
 * A check judges one observation. It never returns a bare boolean: the message says
 * "expected …, got …" and quotes the relevant output, so a failed verdict explains itself.
 */
export type CheckResult = { ok: boolean; message: string };

/**
 * What a check can judge, named as `casebook validate` names it to an author: a probe kind, or
 * for envoy probes the kind plus what it reads (`envoy access-log`).
 */
export type ObservationKind =
  | 'http'
  | 'ingress'
  | 'browser'
  | 'tcp'
  | 'tls'
  | 'envoy stats'
  | 'envoy listeners'
  | 'envoy access-log'
  | 'envoy clusters'
  | 'kube object'
  | 'kube pods'
  // config level (Istio's own code, no cluster): a probe's simulated path, analyzers, iptables rules
  | 'config-path'
  | 'analysis'
  | 'iptables';

export interface Check<O = unknown> {
  /** Short name as written in the scenario, e.g. "status(503)". */
  readonly name: string;
  evaluate(observation: O): CheckResult;
  /**
   * The observation kinds this check can judge; absent for combinators (their parts decide).
   * Declared rather than discovered by evaluating, so `casebook validate` finds a check given
   * the wrong probe without running anything.
   */
  readonly judges?: readonly ObservationKind[];
  /** The checks a combinator is made of, so validation can walk a whole expectation. */
  readonly parts?: readonly Check<any>[];
  /** Set when the scenario called a name the vocabulary does not have (`check.responseFlag`). */
  readonly unknownName?: { name: string; suggestion?: string };
}
