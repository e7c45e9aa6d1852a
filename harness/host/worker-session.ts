import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureCluster } from '../cluster/ensure-cluster.ts';
import { imagesIn } from '../cluster/collect-images.ts';
import { preloadImages } from '../cluster/preload-images.ts';
import type { ClusterHandle } from '../cluster/cluster-handle.ts';
import { claimsDir, runPrivateDir } from '../cluster/cluster-claims.ts';
import { defaultCacheDir } from '../tools/cache-dir.ts';
import type { IngressAddress } from '../probes/ingress/observe-ingress.ts';
import { ensureIstio } from '../istio/ensure-istio.ts';
import { kubeMeshConfigApi } from '../istio/install-store.ts';
import { meshSession } from '../istio/mesh-config.ts';
import { createKubeClient, type KubeClient } from '../kube/kube-client.ts';
import { parseManifest } from '../kube/manifest-objects.ts';
import { layout } from '../load/casebook-root.ts';
import type { RunStep } from '../model/results.ts';
import type { MeshRequirements, ScenarioDefinition } from '../model/scenario.ts';
import { recordCluster } from './cluster-record.ts';
import type { SetupWave } from '../run/setup-wave.ts';
import { gatewayAddress, kubeGatewayLookup } from '../istio/gateway-address.ts';
import type { RunEnv } from './run-env.ts';
import { assertPrerequisites, checkRunPrerequisites } from './run-prerequisites.ts';
import { clusterForVersion } from './version-clusters.ts';

/** What a Playwright worker holds for one Istio version: the cluster, API access, and the current install. */
export type WorkerSession = {
  env: RunEnv;
  istio: string;
  cluster: ClusterHandle;
  kube: KubeClient;
  /**
   * Istio with this mesh: one install per mesh profile (ensureIstio, reused by config hash), the
   * mesh's meshConfig/proxyMetadata patched into the `istio` ConfigMap (harness/istio/mesh-config.ts);
   * after an install the gateway's address is known.
   */
  ensureMesh(mesh: MeshRequirements): Promise<void>;
  /** The installed mesh config back in the ConfigMap (end of the worker, unless --keep). */
  restoreMesh(): Promise<void>;
  /** The scenarios set up at once after the install (batch-test.ts); made by the first batch test. */
  wave?: SetupWave;
  /** Timed steps (cluster, install, mesh config, setup wave) in order; batch tests attach those not attached yet. */
  steps: RunStep[];
  stepsAttached: number;
  /** Where the host reaches the ingress gateway, once Istio is installed; undefined when unknown. */
  ingress(): IngressAddress | undefined;
  /** Why ingress() is undefined after an install (the gateway Service could not be resolved). */
  ingressProblem(): string | undefined;
};

/** The images the scenarios' workloads use, to pull once and load into kind. */
export async function workloadImages(root: string, scenarios: readonly ScenarioDefinition[]): Promise<string[]> {
  const images = new Set<string>();
  const manifests = new Set(scenarios.flatMap((s) => s.workloads.map((w) => w.manifest ?? w.name)));
  for (const m of manifests) {
    const path = layout.workloadManifest(m);
    for (const o of parseManifest(await readFile(join(root, path), 'utf8'), path)) imagesIn(o).forEach((i) => images.add(i));
  }
  return [...images].sort();
}

/**
 * Prerequisites, cluster (create-or-reuse by name), image preload. Everything long reports
 * progress lines through `log`. Throws PrerequisiteError listing what is missing.
 */
export async function openWorkerSession(
  env: RunEnv,
  istio: string,
  opts: { root: string; scenarios: readonly ScenarioDefinition[]; log: (line: string) => void },
): Promise<WorkerSession> {
  const { log } = opts;
  log(`checking prerequisites for Istio ${istio} on a ${env.cluster} cluster`);
  const prerequisites = await checkRunPrerequisites({
    cluster: env.cluster,
    istio,
    manageIstio: env.manageIstio,
    mirror: env.mirror,
    onProgress: log,
  });
  assertPrerequisites(prerequisites);

  const steps: RunStep[] = [];
  const timed = (step: RunStep['step'], startedAt: number, detail?: string) => {
    steps.push({
      istio,
      step,
      detail,
      startedAt: new Date(startedAt).toISOString(),
      durationMs: Date.now() - startedAt,
    });
  };
  // --parallel-versions: this version's own cluster (name, host ports, folders); else the run's one cluster.
  const own = clusterForVersion(env, istio);
  const runDir = join(env.reportDir, 'cluster', own.dir);
  const clusterStarted = Date.now();
  const cluster = await ensureCluster(
    env.cluster === 'kind'
      ? {
          provider: 'kind',
          name: own.name,
          runDir,
          hostPorts: own.hostPorts,
          kindPath: prerequisites.kindPath,
          mirror: env.mirror,
          onProgress: log,
          claims: { dir: claimsDir(defaultCacheDir()), runId: env.runId },
          kubeconfigDir: join(runPrivateDir(defaultCacheDir(), env.runId), own.dir),
        }
      : {
          provider: 'existing',
          runDir,
          kubeconfig: env.kubeconfig,
          context: env.context,
          manageIstio: env.manageIstio,
          onProgress: log,
          runId: env.runId,
        },
  );
  log(`cluster ${cluster.name}: ${cluster.created ? 'created' : 'reused'}`);
  const clusterReady = Date.now();
  await recordCluster(env.reportDir, {
    provider: cluster.provider,
    name: cluster.name,
    kubeconfigPath: cluster.kubeconfigPath,
    kindPath: cluster.kindPath,
    cleanupCommand: cluster.cleanupCommand,
    created: cluster.created,
    runId: env.runId,
  });

  const kube = createKubeClient({ kubeconfig: cluster.kubeconfigPath, context: cluster.context }, { runId: env.runId });
  const images = await workloadImages(opts.root, opts.scenarios);
  const preload = await preloadImages({ cluster, images, onProgress: log });
  log(
    preload.skipped
      ? `images: ${preload.skipped}`
      : `images: ${preload.loaded.length} loaded into ${cluster.name} (${preload.pulled.length} pulled)`,
  );
  timed(
    'cluster',
    clusterStarted,
    `${cluster.name} ${cluster.created ? 'created' : 'reused'} in ${((clusterReady - clusterStarted) / 1000).toFixed(1)} s; images ${preload.skipped ? 'skipped' : `${preload.loaded.length} loaded`}`,
  );

  let ingress: IngressAddress | undefined;
  let ingressProblem: string | undefined;
  const meshes = meshSession({
    install: async (installMesh) => {
      const installStarted = Date.now();
      const install = await ensureIstio({
        cluster,
        version: istio,
        mesh: installMesh,
        runDir,
        mirror: env.mirror,
        istioctlPath: prerequisites.istioctlPath,
        onProgress: log,
      });
      log(`Istio ${istio}: ${install.action} (config ${install.hash})`);
      const gateway = await gatewayAddress(cluster, kubeGatewayLookup(kube.kubeConfig));
      ingress = gateway.address;
      ingressProblem = gateway.address ? undefined : gateway.problem;
      log(
        gateway.address
          ? `ingress gateway: ${gateway.address.host}:${gateway.address.httpPort} (http), :${gateway.address.httpsPort} (https), via ${gateway.via}`
          : `ingress gateway address unknown, ingress and browser probes will fail: ${gateway.problem}`,
      );
      timed('install', installStarted, `${install.action} (profile ${installMesh.profile}, config ${install.hash})`);
      return install;
    },
    api: kubeMeshConfigApi(kube.kubeConfig),
    log: (line) => log(`Istio ${istio}: ${line}`),
  });
  return {
    env,
    istio,
    cluster,
    kube,
    ingress: () => ingress,
    ingressProblem: () => ingressProblem,
    async ensureMesh(mesh) {
      const started = Date.now();
      const change = await meshes.ensureMesh(mesh);
      if (change.config !== 'unchanged') timed('mesh config', started, change.config);
    },
    steps,
    stepsAttached: 0,
    restoreMesh: () => meshes.restore(),
  };
}
