import type { ContainerRuntimeClient } from 'testcontainers';
import { labelFilter, OWNER_HOST_LABEL, OWNER_PID_LABEL, ROLE_LABEL, RUN_LABEL } from './labels.ts';

/** The Docker API client testcontainers already holds (no second connection, same socket rules). */
export type Docker = ContainerRuntimeClient['container']['dockerode'];

export type LabelledResource = {
  type: 'container' | 'network';
  id: string;
  name: string;
  runId: string;
  role: string;
  ownerPid?: number;
  ownerHost?: string;
};

/** Containers (any state) and networks carrying our managed-by label, optionally of one run. */
export async function findLabelled(docker: Docker, runId?: string): Promise<LabelledResource[]> {
  const filters = JSON.stringify({ label: labelFilter(runId) });
  const [containers, networks] = await Promise.all([docker.listContainers({ all: true, filters }), docker.listNetworks({ filters })]);
  return [
    ...containers.map((c) => describe('container', c.Id, (c.Names[0] ?? c.Id).replace(/^\//, ''), c.Labels)),
    ...networks.map((n) => describe('network', n.Id, n.Name, n.Labels ?? {})),
  ];
}

function describe(type: LabelledResource['type'], id: string, name: string, labels: Record<string, string>): LabelledResource {
  const pid = Number(labels[OWNER_PID_LABEL]);
  return {
    type,
    id,
    name,
    runId: labels[RUN_LABEL] ?? '',
    role: labels[ROLE_LABEL] ?? '',
    ...(Number.isInteger(pid) && pid > 0 ? { ownerPid: pid } : {}),
    ownerHost: labels[OWNER_HOST_LABEL],
  };
}

export type RemovalReport = { removed: LabelledResource[]; failed: { resource: LabelledResource; error: string }[] };

/** Force-removes containers first (a network with members cannot go), then networks. Never throws. */
export async function removeResources(docker: Docker, resources: readonly LabelledResource[]): Promise<RemovalReport> {
  const report: RemovalReport = { removed: [], failed: [] };
  const ordered = [...resources.filter((r) => r.type === 'container'), ...resources.filter((r) => r.type === 'network')];
  for (const r of ordered) {
    try {
      if (r.type === 'container') await docker.getContainer(r.id).remove({ force: true, v: true });
      else await docker.getNetwork(r.id).remove();
      report.removed.push(r);
    } catch (err) {
      // 404: already gone (autoremove, a concurrent stop) is the outcome we wanted.
      if ((err as { statusCode?: number }).statusCode === 404) report.removed.push(r);
      else report.failed.push({ resource: r, error: err instanceof Error ? err.message.split('\n')[0]! : String(err) });
    }
  }
  return report;
}
