import { parse } from 'yaml';
import { DEFAULT_HOST_PORTS, kindClusterConfig, type HostPorts } from '../cluster/kind-config.ts';
import { istioctlArgs } from '../istio/istioctl-commands.ts';
import { installMeshOf, isEmptyPatch, meshPatchOf, type MeshPatch } from '../istio/mesh-config.ts';
import { canonicalJson, installHash, istioOperatorFor } from '../istio/operator.ts';
import { ownedLabels } from '../kube/labels.ts';
import { inNamespace, parseManifest, withLabels, type KubeObject } from '../kube/manifest-objects.ts';
import { namespaceLabels } from '../kube/namespace-labels.ts';
import { layout } from '../load/casebook-root.ts';
import { deepMerge } from '../model/deep-merge.ts';
import type { ProbeSpec } from '../model/probe-spec.ts';
import type { Isolation, MeshRequirements, Phase, ScenarioDefinition, SecretRequest } from '../model/scenario.ts';
import { phaseIntent, type PhaseIntent, type Verdict } from '../model/verdict.ts';
import type { WriteUp } from '../model/write-up.ts';
import { KIND_NODE_IMAGE } from '../tools/versions.ts';
import { reachingSidecars } from './gateway-scope.ts';
import { scheduleByIsolation, type Batch } from './isolation-schedule.ts';
import { expectationFor } from './version-expectations.ts';

/**
 * Everything a run would do, computed without a cluster: `casebook plan` prints it, and it is
 * what the runner executes. Pure: manifests come in as text, keyed by their path under the root.
 */
export type PlanInput = {
  scenarios: readonly ScenarioDefinition[];
  istioVersions: readonly string[];
  /** YAML text of every file the scenarios reference (layout paths: manifests/…). */
  manifests: ReadonlyMap<string, string>;
  hostPorts?: HostPorts;
  clusterName?: string;
  nodeImage?: string;
  /** Run id written into labels; `casebook plan` has none yet. */
  runId?: string;
};

export type IstioInstallPlan = {
  /** installHash of the operator and version: same hash = the install is reused. */
  hash: string;
  profile: string;
  meshConfig: Record<string, unknown>;
  istioOperator: Record<string, unknown>;
  istioctl: string[];
};

export type ProbePlan = { name: string; spec: ProbeSpec; check: string };

export type PhasePlan = {
  name: string;
  intent: PhaseIntent;
  summary: string;
  expected: Verdict;
  expectedBecause?: string;
  /** Set when the phase needs another install than its scenario (never today: a phase cannot change the profile). */
  install?: string;
  /** Set when the phase's mesh config differs from its scenario's: patched into the `istio` ConfigMap for the phase. */
  meshPatch?: MeshPatch;
  apply: string[];
  objects: KubeObject[];
  /** Secrets the phase creates before its objects (W3): name, namespace, format and which certificate; their data is made at run time and never shown. */
  secrets: SecretRequest[];
  probes: ProbePlan[];
  predicted?: string;
};

export type ScenarioPlan = {
  id: string;
  title: string;
  source: WriteUp;
  isolation: Isolation;
  install: string;
  /** meshConfig/proxyMetadata patched into the `istio` ConfigMap for this scenario (no reinstall); absent: the installed mesh. */
  meshPatch?: MeshPatch;
  namespaces: KubeObject[];
  workloads: { name: string; namespace: string; manifest: string; objects: KubeObject[] }[];
  /** The scenario's `setup`: created before the workloads, kept for every phase (Secrets as requests: their data is made at run time). */
  setup?: { apply: string[]; objects: KubeObject[]; secrets: SecretRequest[] };
  /** Mesh-wide objects applied after install, removed after the scenario. */
  meshObjects: KubeObject[];
  phases: PhasePlan[];
};

export type VersionPlan = {
  istio: string;
  installs: IstioInstallPlan[];
  /** Scenario batches in run order (harness/run/isolation-schedule.ts). */
  batches: Batch[];
  scenarios: ScenarioPlan[];
};

export type RunPlan = {
  cluster: { provider: 'kind'; name: string; nodeImage: string; config: Record<string, unknown> };
  versions: VersionPlan[];
};

const RUN_DIR = '<run-dir>';

export function planRun(input: PlanInput): RunPlan {
  const clusterName = input.clusterName ?? 'casebook';
  const nodeImage = input.nodeImage ?? KIND_NODE_IMAGE;
  const runId = input.runId ?? 'planned';
  const text = (path: string): string => {
    const t = input.manifests.get(path);
    if (t === undefined) throw new Error(`plan input lacks ${path} (load it with readPlanManifests)`);
    return t;
  };
  const objectsOf = (path: string) => parseManifest(text(path), path);

  const versions = input.istioVersions.map((istio): VersionPlan => {
    const installs = new Map<string, IstioInstallPlan>();
    // One install per mesh profile: meshConfig and proxyMetadata are ConfigMap patches (harness/istio/mesh-config.ts).
    const installFor = (scenarioMesh: MeshRequirements): string => {
      const mesh = installMeshOf(scenarioMesh);
      const baseProfile = parse(text(layout.meshProfile(mesh.profile))) as Record<string, unknown>;
      const iop = istioOperatorFor(mesh, { version: istio, baseProfile });
      const hash = installHash(iop, istio);
      if (!installs.has(hash)) {
        installs.set(hash, {
          hash,
          profile: mesh.profile,
          meshConfig: mesh.meshConfig ?? {},
          istioOperator: iop,
          istioctl: istioctlArgs.install({
            operatorPath: `${RUN_DIR}/istio-${hash}.yaml`,
            readinessTimeoutMs: 300_000,
            kubeconfigPath: `${RUN_DIR}/kubeconfig`,
            context: `kind-${clusterName}`,
          }),
        });
      }
      return hash;
    };

    const scenarios = input.scenarios.map((s): ScenarioPlan => {
      const owned = ownedLabels({ scenario: s.id, runId });
      const install = installFor(s.mesh);
      const namespaces = [...new Map(s.workloads.map((w) => [w.namespace, w.injected ?? true])).entries()].map(
        ([name, injected]): KubeObject => ({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name, labels: namespaceLabels({ name, scenario: s.id, runId, injected }) },
        }),
      );
      const workloads = s.workloads.map((w) => {
        const manifest = layout.workloadManifest(w.manifest ?? w.name);
        return {
          name: w.name,
          namespace: w.namespace,
          manifest,
          objects: withLabels(inNamespace(objectsOf(manifest), w.namespace), owned),
        };
      });
      const meshObjects = withLabels(
        (s.mesh.apply ?? []).flatMap((f) => objectsOf(layout.meshApply(f))),
        owned,
      );
      const setup = s.setup && {
        apply: s.setup.apply ?? [],
        secrets: s.setup.secrets ?? [],
        objects: withLabels(
          (s.setup.apply ?? []).flatMap((f) => objectsOf(layout.phaseManifest(s.id, f))),
          owned,
        ),
      };
      const phases = Object.entries(s.phases).flatMap(([name, phase]) => (phase ? [planPhase(s, name, phase)] : []));
      const meshPatch = meshPatchOf(s.mesh);
      return {
        id: s.id,
        title: s.title,
        source: s.source,
        isolation: s.isolation,
        install,
        ...(isEmptyPatch(meshPatch) ? {} : { meshPatch }),
        namespaces,
        workloads,
        ...(setup ? { setup } : {}),
        meshObjects,
        phases,
      };

      function planPhase(sc: ScenarioDefinition, name: string, phase: Phase): PhasePlan {
        const { expected, because } = expectationFor(sc, name, istio);
        const merged = phase.mesh ? mergeMesh(sc.mesh, phase.mesh) : undefined;
        const phaseInstall = merged ? installFor(merged) : undefined;
        const phasePatch = merged ? meshPatchOf(merged) : undefined;
        return {
          name,
          intent: phaseIntent(name),
          summary: phase.summary,
          expected,
          ...(because ? { expectedBecause: because } : {}),
          ...(phaseInstall && phaseInstall !== install ? { install: phaseInstall } : {}),
          ...(phasePatch && canonicalJson(phasePatch) !== canonicalJson(meshPatchOf(sc.mesh)) ? { meshPatch: phasePatch } : {}),
          apply: phase.apply,
          objects: withLabels(
            phase.apply.flatMap((f) => objectsOf(layout.phaseManifest(sc.id, f))),
            owned,
          ),
          secrets: (phase.secrets ?? []).map((r) => ({ ...r })),
          probes: Object.entries(phase.expect).map(([probe, c]) => ({ name: probe, spec: sc.probes[probe]!, check: c.name })),
          ...(phase.predicted ? { predicted: phase.predicted } : {}),
        };
      }
    });

    const batches = scheduleByIsolation(
      scenarios.map((s) => ({
        id: s.id,
        isolation: s.isolation,
        installKey: s.install,
        meshWide:
          s.meshPatch !== undefined ||
          s.phases.some((p) => p.meshPatch !== undefined || p.install !== undefined) ||
          s.meshObjects.length > 0 ||
          (s.isolation === 'gateway' && reachingSidecars([...(s.setup?.objects ?? []), ...s.phases.flatMap((p) => p.objects)]).length > 0),
      })),
    );
    const order = batches.flatMap((b) => b.ids);
    scenarios.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
    return { istio, installs: [...installs.values()], batches, scenarios };
  });

  return {
    cluster: {
      provider: 'kind',
      name: clusterName,
      nodeImage,
      config: kindClusterConfig({ hostPorts: input.hostPorts ?? DEFAULT_HOST_PORTS }),
    },
    versions,
  };
}

/** Phase overrides merge key by key into the scenario's mesh config (objects deep, others replace). */
export function mergeMesh(base: MeshRequirements, phase: NonNullable<Phase['mesh']>): MeshRequirements {
  return {
    ...base,
    meshConfig: deepMerge(structuredClone(base.meshConfig ?? {}), phase.meshConfig ?? {}),
    proxyMetadata: { ...base.proxyMetadata, ...phase.proxyMetadata },
  };
}

/** The manifest paths a plan of these scenarios reads (the CLI loads them, then calls planRun). */
export function planManifestPaths(scenarios: readonly ScenarioDefinition[]): string[] {
  const paths = new Set<string>();
  for (const s of scenarios) {
    paths.add(layout.meshProfile(s.mesh.profile));
    for (const f of s.mesh.apply ?? []) paths.add(layout.meshApply(f));
    for (const w of s.workloads) paths.add(layout.workloadManifest(w.manifest ?? w.name));
    for (const f of s.setup?.apply ?? []) paths.add(layout.phaseManifest(s.id, f));
    for (const p of Object.values(s.phases)) for (const f of p?.apply ?? []) paths.add(layout.phaseManifest(s.id, f));
  }
  return [...paths];
}
