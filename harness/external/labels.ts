import { hostname } from 'node:os';

/**
 * Labels on every container and network the harness starts. `casebook clean` and our own
 * cleanup (when Ryuk is unavailable) select by these and nothing else, so a container without
 * them is never touched.
 */
export const MANAGED_BY_LABEL = 'casebook.dev/managed-by';
export const MANAGED_BY_VALUE = 'istio-casebook';
export const RUN_LABEL = 'casebook.dev/run';
export const ROLE_LABEL = 'casebook.dev/role';
/** Owner process, so `casebook clean` leaves a run that is still going alone. */
export const OWNER_PID_LABEL = 'casebook.dev/owner-pid';
export const OWNER_HOST_LABEL = 'casebook.dev/owner-host';

export type ResourceRole = 'external-https-site' | 'external-mysql' | 'probe-client' | 'network' | (string & {});

export type Owner = { pid: number; host: string };

export function currentOwner(): Owner {
  return { pid: process.pid, host: hostname() };
}

export function labelsFor(runId: string, role: ResourceRole, owner: Owner = currentOwner()): Record<string, string> {
  return {
    [MANAGED_BY_LABEL]: MANAGED_BY_VALUE,
    [RUN_LABEL]: runId,
    [ROLE_LABEL]: role,
    [OWNER_PID_LABEL]: String(owner.pid),
    [OWNER_HOST_LABEL]: owner.host,
  };
}

/** Marks what the offline lab (lab/, npm run test:lab) starts, beside the labels of labelsFor. */
export const LAB_LABEL = 'casebook.dev/lab';

/** A lab container or network: our labels (so `casebook clean` sees a leftover once its test process is gone) and the lab mark. */
export function labLabelsFor(runId: string, role: ResourceRole, owner: Owner = currentOwner()): Record<string, string> {
  return { ...labelsFor(runId, role, owner), [LAB_LABEL]: '1' };
}

/** `docker run`/`docker network create` arguments for these labels. */
export function labelArgs(labels: Record<string, string>): string[] {
  return Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
}

/** Docker API `filters.label` entries selecting our resources, optionally one run's. */
export function labelFilter(runId?: string): string[] {
  const filter = [`${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`];
  if (runId !== undefined) filter.push(`${RUN_LABEL}=${runId}`);
  return filter;
}

/** Kind labels its node containers with the cluster name. */
export const KIND_CLUSTER_LABEL = 'io.x-k8s.kind.cluster';
/** Clusters the harness creates are named with this prefix; `casebook clean` deletes only those. */
export const KIND_CLUSTER_PREFIX = 'casebook';

export function isOurKindCluster(name: string): boolean {
  return name === KIND_CLUSTER_PREFIX || name.startsWith(`${KIND_CLUSTER_PREFIX}-`);
}
