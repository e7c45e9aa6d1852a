import type { CertStore } from '../certs/cert-store.ts';
import type { EvidenceCollectionRequest } from '../evidence/collect-evidence.ts';
import type { ExecTransport } from '../model/exec.ts';
import type { EvidenceRef, PhaseResult, ProbeResult } from '../model/results.ts';
import type { ExternalServiceRef, MeshRequirements, SecretRequest } from '../model/scenario.ts';
import type { KubeClient } from '../kube/kube-client.ts';
import type { KubeExecTransportOptions } from '../kube/kube-exec-transport.ts';
import type { KubeObject } from '../kube/manifest-objects.ts';
import type { ProbeObserver } from '../probes/observe.ts';
import type { SettleOptions } from './settle.ts';

/**
 * What the scenario runner needs from the world, as small interfaces: the real run wires them to
 * the Kubernetes API, the probes, testcontainers and the cert store (harness/host/live-deps.ts); unit tests
 * wire them to recording fakes.
 */
export type ClusterPort = Pick<KubeClient, 'objects' | 'ensureNamespace' | 'deleteNamespace' | 'waitForRollout' | 'serviceClusterIp'> & {
  transport(opts: KubeExecTransportOptions): ExecTransport;
};

export type ManifestSource = {
  /** manifests/workloads/<manifest>.yaml, namespace-free. */
  workload(manifest: string): Promise<KubeObject[]>;
  /** manifests/scenarios/<id>/<file>. */
  scenarioFile(scenarioId: string, file: string): Promise<KubeObject[]>;
  /** manifests/<file> (mesh-wide policy of `mesh.apply`). */
  meshFile(file: string): Promise<KubeObject[]>;
};

/** harness/run/settle.ts: retry until the check holds N times in a row, every attempt recorded (the run's clock). */
export type SettleFn = (opts: Omit<SettleOptions, 'clock'>) => Promise<ProbeResult>;

export type StartedExternals = {
  ipOf(name: string): string;
  stop(): Promise<void>;
  /** Container names, for the --keep cleanup command. */
  containerNames: string[];
};

/** harness/evidence's collector: what the phase asked for, plus more when the verdict was unexpected. */
export type EvidenceRequest = EvidenceCollectionRequest;

export type ScenarioDeps = {
  cluster: ClusterPort;
  /** Istio installed with this mesh (reused when its config hash matches): a phase's `mesh` override and its restore. */
  ensureMesh(mesh: MeshRequirements): Promise<void>;
  manifests: ManifestSource;
  observe: ProbeObserver;
  settle: SettleFn;
  createCertStore(): Promise<CertStore>;
  secretFor(req: SecretRequest, store: CertStore): Promise<object>;
  startExternals(refs: ExternalServiceRef[], certs: CertStore): Promise<StartedExternals>;
  collectEvidence(req: EvidenceRequest): Promise<EvidenceRef[]>;
  /** Where the host reaches the ingress gateway (kind: the mapped localhost ports); undefined when unknown. */
  ingress: { host: string; httpPort: number; httpsPort: number } | undefined;
  /** How a user reaches this cluster by hand, for --keep cleanup lines: `kubectl --kubeconfig … --context …`. */
  kubectl: string;
  /** Each phase runs inside this (Playwright: test.step), so its evidence lands on the step. */
  step<T>(title: string, body: () => Promise<T>): Promise<T>;
  /** Called once per phase as soon as its verdict is known. */
  phaseEnded(result: PhaseResult): Promise<void> | void;
  log(line: string): void;
  now(): number;
};
