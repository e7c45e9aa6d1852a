import { availableParallelism, freemem } from 'node:os';
import { DEFAULT_HOST_PORTS, type HostPorts } from '../cluster/kind-config.ts';

/**
 * Where each Istio version of a run goes. By default (what fits a 2-core CI runner) every version
 * runs on the run's one kind cluster, one after another. With `--parallel-versions` each version
 * gets its own kind cluster, all at once: distinct names (`<cluster>-istio-1-32-0`), distinct host
 * ports for the ingress gateway (+100 per version), its own lock and created-mark (cluster-claims.ts
 * works by name) and its own run and kubeconfig folders.
 */
export type VersionCluster = {
  istio: string;
  name: string;
  hostPorts: HostPorts;
  /** Sub-folder for this cluster's files; '' when the run has one cluster. */ dir: string;
};

export type VersionLayout = { clusterName: string; istio: readonly string[]; parallelVersions: boolean };

/** Host ports of the n-th version's cluster: the defaults moved by 100 per version (8080, 8180, …). */
export function hostPortsFor(index: number, base: HostPorts = DEFAULT_HOST_PORTS): HostPorts {
  const shift = index * 100;
  return { http: base.http + shift, https: base.https + shift, status: base.status + shift };
}

export function versionClusters(run: VersionLayout): VersionCluster[] {
  if (!run.parallelVersions || run.istio.length < 2) {
    return run.istio.map((istio) => ({ istio, name: run.clusterName, hostPorts: DEFAULT_HOST_PORTS, dir: '' }));
  }
  return run.istio.map((istio, i) => {
    const name = `${run.clusterName}-istio-${istio.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    return { istio, name, hostPorts: hostPortsFor(i), dir: name };
  });
}

/** The cluster of one version (the run's one cluster unless --parallel-versions). */
export function clusterForVersion(run: VersionLayout, istio: string): VersionCluster {
  const found = versionClusters(run).find((c) => c.istio === istio);
  return found ?? { istio, name: run.clusterName, hostPorts: DEFAULT_HOST_PORTS, dir: '' };
}

/** The distinct kind clusters a run uses (to lock before it starts). */
export function clusterNames(run: VersionLayout): string[] {
  return [...new Set(versionClusters(run).map((c) => c.name))];
}

/**
 * What one kind cluster with Istio and the casebook's workloads needs to run beside another:
 * two cores (istiod, the gateway, the API server and the workloads' sidecars) and 3 GiB of
 * memory (an estimate for one such cluster on a 2-core machine, not a measured limit).
 */
export const CLUSTER_NEEDS = { cores: 2, memoryBytes: 3 * 1024 ** 3 } as const;

export type Machine = { cores: number; freeMemoryBytes: number };

export function thisMachine(): Machine {
  return { cores: availableParallelism(), freeMemoryBytes: freemem() };
}

/** Whether the machine has room for this many clusters at once; the reason when not, with the figures. */
export function roomForClusters(clusters: number, machine: Machine = thisMachine()): { ok: true } | { ok: false; reason: string } {
  const cores = clusters * CLUSTER_NEEDS.cores;
  const memory = clusters * CLUSTER_NEEDS.memoryBytes;
  const gib = (b: number) => `${(b / 1024 ** 3).toFixed(1)} GiB`;
  const short: string[] = [];
  if (machine.cores < cores) short.push(`${machine.cores} core(s), ${cores} needed`);
  if (machine.freeMemoryBytes < memory) short.push(`${gib(machine.freeMemoryBytes)} free memory, ${gib(memory)} needed`);
  if (short.length === 0) return { ok: true };
  return {
    ok: false,
    reason: `${clusters} kind clusters at once need ${CLUSTER_NEEDS.cores} cores and ${gib(CLUSTER_NEEDS.memoryBytes)} each; this machine has ${short.join('; ')}`,
  };
}
