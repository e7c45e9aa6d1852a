import { randomBytes } from 'node:crypto';
import { dockerRuntime } from '../docker-runtime.ts';
import type { Docker } from '../labelled-resources.ts';
import { labelFilter, labelsFor } from '../labels.ts';

/** For lab tests: the Docker API, or the reason it is unreachable (the test's skip reason). */
export async function labDocker(): Promise<{ docker: Docker; skip: false } | { docker: undefined; skip: string }> {
  try {
    return { docker: (await dockerRuntime()).container.dockerode, skip: false };
  } catch (err) {
    return { docker: undefined, skip: `Docker is not reachable (${(err as Error).message}); lab tests need a Docker engine` };
  }
}

export function labRunId(what: string): string {
  return `lab-${what}-${randomBytes(3).toString('hex')}`;
}

/** A labelled bridge network standing in for `kind`, removed by the test (or by `casebook clean`). */
export async function createLabNetwork(docker: Docker, runId: string): Promise<{ name: string; remove(): Promise<void> }> {
  const name = `casebook-${runId}-net`;
  const network = await docker.createNetwork({ Name: name, Driver: 'bridge', CheckDuplicate: true, Labels: labelsFor(runId, 'network') });
  return {
    name,
    async remove() {
      await network.remove().catch((err: { statusCode?: number }) => { if (err.statusCode !== 404) throw err; });
    },
  };
}

export type ResourceCounts = {
  /** Containers and networks carrying our managed-by label (any run, any state). */
  ourContainers: number;
  ourNetworks: number;
  /** Containers testcontainers created (its own `org.testcontainers` label), labelled by us or not. */
  testcontainersContainers: number;
  /** Everything on the engine, including other processes' containers (context, not asserted on a shared engine). */
  allContainers: number;
  allNetworks: number;
};

export async function countResources(docker: Docker): Promise<ResourceCounts> {
  const ours = JSON.stringify({ label: labelFilter() });
  const [oc, on, tc, ac, an] = await Promise.all([
    docker.listContainers({ all: true, filters: ours }),
    docker.listNetworks({ filters: ours }),
    docker.listContainers({ all: true, filters: JSON.stringify({ label: ['org.testcontainers=true'] }) }),
    docker.listContainers({ all: true }),
    docker.listNetworks(),
  ]);
  return { ourContainers: oc.length, ourNetworks: on.length, testcontainersContainers: tc.length, allContainers: ac.length, allNetworks: an.length };
}

/** The part of the counts this code is responsible for: must be equal before and after. */
export function ownCounts(c: ResourceCounts): Pick<ResourceCounts, 'ourContainers' | 'ourNetworks' | 'testcontainersContainers'> {
  return { ourContainers: c.ourContainers, ourNetworks: c.ourNetworks, testcontainersContainers: c.testcontainersContainers };
}

/** IP of a container on one network, read from Docker itself (not from testcontainers). */
export async function inspectIp(docker: Docker, container: string, network: string): Promise<{ ip: string | undefined; networks: string[] }> {
  const info = await docker.getContainer(container).inspect();
  const networks = info.NetworkSettings.Networks;
  return { ip: networks[network]?.IPAddress, networks: Object.keys(networks).sort() };
}
