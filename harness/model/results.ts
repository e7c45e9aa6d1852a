import type { CheckResult } from './check.ts';
import type { ProbeSpec } from './probe-spec.ts';
import type { PhaseIntent, Verdict } from './verdict.ts';

/**
 * The results model: what `results.json` holds and every reporter reads. Plain JSON data.
 */

/** One try of a probe: what ran, what came back, how the checks judged it. */
export type Attempt = {
  index: number;
  startedAt: string;
  durationMs: number;
  /** The probe's observation (JSON-safe); absent when the transport failed. */
  observation?: unknown;
  /** Set when the checks ran. */
  check?: CheckResult;
  /** Set when the harness could not observe (exec transport down, pod gone): infrastructure, not a verdict. */
  transportError?: string;
};

export type ProbeResult = {
  probe: string;
  spec: ProbeSpec;
  /** True when the checks held the required number of consecutive attempts. */
  held: boolean;
  /** The last check message (or the infrastructure error). */
  message: string;
  /** True when the probe ended on an infrastructure failure: the phase verdict becomes `error`. */
  infrastructureError: boolean;
  attempts: Attempt[];
};

/** Pointer to an evidence file, relative to the run's report folder. */
export type EvidenceRef = { name: string; path: string; contentType: string };

export type PhaseResult = {
  /** Absent means runtime. */
  level?: Level;
  scenario: string;
  phase: string;
  intent: PhaseIntent;
  istio: string;
  verdict: Verdict;
  /** What this Istio version is expected to show (default, or a scenario version expectation). */
  expected: Verdict;
  expectedBecause?: string;
  asExpected: boolean;
  skippedReason?: string;
  error?: string;
  probes: ProbeResult[];
  evidence: EvidenceRef[];
  startedAt: string;
  durationMs: number;
  /** Where the phase's time went; absent in results written before timings were recorded (and for phases that did not run). */
  timings?: PhaseTimings;
};

/**
 * A phase's steps in milliseconds: a mesh-config change it needs (`istio` ConfigMap patch), its
 * objects applied and the rollouts they trigger, the probes settling to the verdict, the evidence.
 * `applyMs + settleMs` is "apply → settled verdict".
 */
export type PhaseTimings = { meshMs?: number; applyMs: number; settleMs: number; evidenceMs: number };

/** A step of a run outside the phases, in the order it happened. */
export type RunStep = {
  /** The Istio version whose worker made it; absent for steps of the whole run. */
  istio?: string;
  step: 'cluster' | 'install' | 'mesh config' | 'setup wave';
  /** e.g. "created", "reused (config 1a2b…)", "12 scenario(s)". */
  detail?: string;
  startedAt: string;
  durationMs: number;
};

/**
 * `runtime`: real proxies on a cluster. `config`: Istio's own code at a release commit, offline
 * (the generated config and Envoy's matching of it, not packets). Absent means runtime.
 */
export type Level = 'runtime' | 'config';

export type RunResults = {
  runId: string;
  level?: Level;
  /** Config level: which Istio build stands for each requested version (a commit, not a release). */
  configBuilds?: Record<string, { label: string; module: string; version: string; standsFor: string }>;
  casebookVersion: string;
  startedAt: string;
  finishedAt: string;
  cluster: { provider: 'kind' | 'existing'; name: string };
  istioVersions: string[];
  results: PhaseResult[];
  /** Cluster, install, mesh-config changes and setup waves, each with its duration; absent in older results. */
  steps?: RunStep[];
};
