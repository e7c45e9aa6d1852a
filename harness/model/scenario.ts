import type { Check } from './check.ts';
import type { PhaseName, Verdict } from './verdict.ts';
import type { ProbeSpec } from './probe-spec.ts';
import type { WriteUp } from './write-up.ts';

/**
 * A scenario is one documented incident as data: what you deploy, what breaks, what you see,
 * what fixes it. It reads like the write-up; the harness does the rest.
 */
export type Isolation =
  /** own labelled namespaces; may run beside other scenarios */
  | 'namespace'
  /** uses the shared ingress gateway and istio-system secrets: serialized with other gateway scenarios */
  | 'gateway'
  /** changes mesh config or leaks across namespaces: runs alone */
  | 'mesh';

/** Named mesh profiles live in manifests/mesh/<profile>.yaml (IstioOperator); overrides are merged on top. */
export type MeshRequirements = {
  profile: 'casebook-demo' | (string & {});
  /** meshConfig overrides, e.g. { enableAutoMtls: false }. A different value means a different Istio install. */
  meshConfig?: Record<string, unknown>;
  /** meshConfig.defaultConfig.proxyMetadata entries (strings, as Istio wants them). */
  proxyMetadata?: Record<string, string>;
  /** Files under manifests/ applied once after install and removed after the scenario (mesh-wide policy). */
  apply?: string[];
};

/** A workload from manifests/workloads/<name>.yaml deployed into a namespace of the scenario. */
export type WorkloadRef = {
  /** Name the scenario uses in probes (`from: 'curl'`). */
  name: string;
  /** manifests/workloads/<manifest>.yaml; defaults to `name`. */
  manifest?: string;
  /**
   * Namespace, literally as in the manifests (readable like the write-up, e.g. `demo1`). It must be
   * unique to this scenario across the registry and never default/istio-system/kube-*: the runner
   * creates it, labels it as ours and deletes it afterwards. Every manifest object names its
   * namespace explicitly.
   */
  namespace: string;
  /** Whether the namespace gets sidecar injection (default true). */
  injected?: boolean;
};

/** A service outside the mesh, started with testcontainers on the kind network. */
export type ExternalServiceRef =
  { name: string; kind: 'https-site'; hostname: string; body: string; ca?: string } | { name: string; kind: 'mysql' };

/** Certificates the scenario needs, made by the run's factory (names are referenced by probes and secrets). */
export type CertificateRequest =
  | { name: string; kind: 'ca'; subject: string }
  | { name: string; kind: 'server'; ca: string; commonName: string; dnsNames: string[]; organization?: string }
  | { name: string; kind: 'client'; ca: string; commonName: string };

export type Phase = {
  /** One sentence: what this phase changes and what the reader should see. */
  summary: string;
  /** Manifests applied for this phase, relative to manifests/scenarios/<id>/ (reverted afterwards). */
  apply: string[];
  /** Secrets built from the run's certificates, created for this phase (and deleted afterwards). */
  secrets?: SecretRequest[];
  /** What each probe must show. Keys are probe names from `probes`. */
  expect: Record<string, Check<any>>;
  /** Extra evidence collected after the checks settle (envoy listener table, access log, iptables). */
  evidence?: string[];
  /** Is this signature a prediction that a first real run must confirm (inferred from Istio's source, not yet seen on a cluster)? */
  predicted?: string;
  /**
   * Mesh config for this phase only, merged over the scenario's `mesh` (e.g. a control phase that
   * needs auto mTLS back on). A different merged config means a different Istio install: the
   * runner installs (or reuses, by config hash) it before the phase and restores the scenario's
   * mesh afterwards; `casebook plan` shows the install per phase.
   */
  mesh?: Pick<MeshRequirements, 'meshConfig' | 'proxyMetadata'>;
  /**
   * What the phase looks like at config level (`casebook run --level config`): checks keyed by a
   * probe name (tcp/http/tls/ingress probes: the simulated path of the call; envoy listener
   * probes: the generated listener table), `analysis` (Istio's analyzers and validation) or
   * `iptables:<workload>` (istio-init's rules). A phase without config checks is `not-judged`.
   */
  config?: ConfigExpectations;
};

export type ConfigExpectations = {
  expect: Record<string, Check<any>>;
  /** What only a live data plane can show in this phase (said next to the config verdict). */
  dataPlaneOnly?: string;
};

export type SecretRequest = {
  name: string;
  namespace: 'istio-system' | (string & {});
  format: 'tls' | 'generic' | 'cacert';
  cert?: string;
  ca?: string;
};

/** Expected verdicts for a phase on an Istio version range (semver range, e.g. '<1.3' or '>=1.25'). */
export type VersionExpectation = {
  istio: string;
  phase: PhaseName;
  verdict: Verdict;
  because: string;
};

export type ScenarioDefinition = {
  /** kebab-case; also the folder scenarios/<id>/ and manifests/scenarios/<id>/. */
  id: string;
  title: string;
  /** The write-up this scenario reproduces: title, author, date and address (`casebook list` prints it). */
  source: WriteUp;
  symptom: string;
  cause: string;
  fix: string;
  mesh: MeshRequirements;
  isolation: Isolation;
  workloads: WorkloadRef[];
  /**
   * Objects every phase shares, kept until the scenario's teardown: a Secret a workload mounts at
   * start (nginx's certificate; Secrets and ConfigMaps in the scenario's namespaces are made
   * before the workloads), a Gateway whose credential the phases rotate (made at the scenario's
   * turn, like mesh.apply). A phase may replace one (a Secret of the same name in its
   * `secrets`, an object of the same kind and name in its `apply`); after the phase the runner
   * restores this version.
   */
  setup?: { apply?: string[]; secrets?: SecretRequest[] };
  external?: ExternalServiceRef[];
  certificates?: CertificateRequest[];
  probes: Record<string, ProbeSpec>;
  phases: Partial<Record<PhaseName, Phase>>;
  versions?: VersionExpectation[];
  /** Workshop mode (`casebook check`, `casebook workshop`): what any fix must reach, judged on the outcome, not the recipe. */
  workshop?: Workshop;
};

/** One judged item of a learner's fix: the check, and why it matters (printed when it fails). */
export type WorkshopCheck = { check: Check<any>; because: string };

/**
 * What `casebook check` judges a learner's own manifests on. Keys are those of `config.expect`
 * (a probe name: its simulated path or listener table; `analysis`; `iptables:<workload>`) plus
 * `listeners:<workload>` (that workload's whole listener table, every port).
 */
export type Workshop = {
  /** The phase the learner starts from: its manifests fill the workspace and are replaced by the learner's (default `broken`). */
  from?: PhaseName;
  /**
   * What the learner is asked to do, printed after the symptom. Required when `from` is not
   * `broken`: the workspace then does not show the symptom, and the learner must be told so.
   */
  task?: string;
  /**
   * The documented fixes of that starting phase, each of which `check` must accept (`npm run test:config`);
   * default every `fixed` and `fixed-*` phase. Name them when a fix phase starts from another
   * broken phase (its files fix a different object).
   */
  fixes?: PhaseName[];
  /**
   * What any fix must reach (the symptom gone). Empty when nothing config can decide does (the fix
   * is on the client side, or data-plane only): `check` and `workshop` then say so (exit 2), citing `cannotJudge`.
   */
  outcome: Record<string, WorkshopCheck>;
  /** What a careless fix would break (another namespace's clients, mesh-wide mTLS, …). */
  controls?: Record<string, WorkshopCheck>;
  /** Objects of the starting phase a fix must not delete: every one of that kind in that namespace stays (by name). */
  keeps?: { kind: string; namespace: string; because: string }[];
  /** Observed and shown as evidence in the workshop (e.g. a listener probe), never judged. */
  evidence?: string[];
  /** Two or three, from vague to precise. */
  hints: string[];
  /** What kinds of fix check can judge. */
  judges: string;
  /** What it cannot (a change on the client side, such as presenting a certificate). */
  cannotJudge: string;
};
