import { access, constants } from 'node:fs/promises';
import { hostname } from 'node:os';
import which from 'which';
import { claimsDir, createdMark, forgetCluster, liveHolder } from '../cluster/cluster-claims.ts';
import { defaultCacheDir, toolCachePath } from '../tools/cache-dir.ts';
import { execaRunner, type CommandRunner } from '../tools/command-runner.ts';
import { KIND_VERSION } from '../tools/versions.ts';
import { findLabelled, removeResources, type Docker, type LabelledResource, type RemovalReport } from './labelled-resources.ts';
import { isOurKindCluster, KIND_CLUSTER_LABEL } from './labels.ts';

export type KindClusterOutcome = {
  name: string;
  nodes: string[];
  /**
   * not-ours: named like ours but no record that a casebook run created it (a user's `casebook-dev`);
   * in-use: a live run holds its lock. Both are left alone.
   */
  action: 'deleted' | 'would-delete' | 'kind-missing' | 'failed' | 'not-ours' | 'in-use';
  detail?: string;
};

export type CleanReport = {
  dryRun: boolean;
  /** Removed (or, with dryRun, would be removed). */
  removed: LabelledResource[];
  failed: { resource: LabelledResource; error: string }[];
  /** Labelled resources of a run whose process is still alive on this host: left alone. */
  active: LabelledResource[];
  kindClusters: KindClusterOutcome[];
};

export type CleanOptions = {
  docker: Docker;
  dryRun: boolean;
  /** Also remove resources of runs that still seem to be going (their process is alive here). */
  includeActive?: boolean;
  /** Path of the kind binary; undefined = look on PATH, then in the tool cache; null = no kind. */
  kindPath?: string | null;
  runner?: CommandRunner;
  /** Is the run that owns a resource still going? Default: its pid is alive on this host. */
  isActive?: (r: LabelledResource) => boolean;
  /** Where runs record the kind clusters they created and the one they hold (cluster-claims.ts). */
  claimsDir?: string;
};

/**
 * Removes what earlier runs left behind, and nothing else: containers and networks carrying
 * our managed-by label, and kind clusters a casebook run recorded as created by it (kind labels
 * its node containers `io.x-k8s.kind.cluster=<name>` but cannot carry ours, so the record in the
 * cache is the proof). A name alone never makes a cluster ours, and a cluster a live run holds
 * is left alone. Unlabelled containers are never touched.
 */
export async function cleanLeftovers(opts: CleanOptions): Promise<CleanReport> {
  const isActive = opts.isActive ?? ((r: LabelledResource) => ownerAlive(r));
  const labelled = await findLabelled(opts.docker);
  const active = opts.includeActive ? [] : labelled.filter((r) => isActive(r));
  const targets = labelled.filter((r) => !active.includes(r));
  const removal: RemovalReport = opts.dryRun ? { removed: targets, failed: [] } : await removeResources(opts.docker, targets);
  const kindClusters = await cleanKindClusters(opts);
  return { dryRun: opts.dryRun, removed: removal.removed, failed: removal.failed, active, kindClusters };
}

/** Kind clusters named like ours, found through the label kind puts on its node containers (candidates only: see cleanKindClusters). */
export async function findOurKindClusters(docker: Docker): Promise<{ name: string; nodes: string[] }[]> {
  const nodes = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [KIND_CLUSTER_LABEL] }) });
  const byCluster = new Map<string, string[]>();
  for (const n of nodes) {
    const cluster = n.Labels[KIND_CLUSTER_LABEL];
    if (!cluster || !isOurKindCluster(cluster)) continue;
    byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), (n.Names[0] ?? n.Id).replace(/^\//, '')]);
  }
  return [...byCluster].map(([name, ns]) => ({ name, nodes: ns.sort() }));
}

async function cleanKindClusters(opts: CleanOptions): Promise<KindClusterOutcome[]> {
  const dir = opts.claimsDir ?? claimsDir(defaultCacheDir());
  const candidates = await findOurKindClusters(opts.docker);
  const left: KindClusterOutcome[] = [];
  const clusters: typeof candidates = [];
  for (const c of candidates) {
    const holder = opts.includeActive ? undefined : await liveHolder(dir, c.name);
    if (!(await createdMark(dir, c.name))) {
      left.push({
        ...c,
        action: 'not-ours',
        detail: `no casebook run recorded creating it (${dir}): if it is a leftover, delete it yourself with \`kind delete cluster --name ${c.name}\``,
      });
    } else if (holder) {
      left.push({
        ...c,
        action: 'in-use',
        detail: `run ${holder.runId} is still using it (pid ${holder.pid}); stop it, or use --include-active`,
      });
    } else {
      clusters.push(c);
    }
  }
  if (clusters.length === 0) return left;
  if (opts.dryRun) return [...clusters.map((c): KindClusterOutcome => ({ ...c, action: 'would-delete' })), ...left];
  const kind = opts.kindPath === undefined ? await findKind() : opts.kindPath;
  if (!kind) {
    return clusters
      .map(
        (c) =>
          ({
            ...c,
            action: 'kind-missing',
            detail: `kind is not on PATH nor in the tool cache: install kind and run \`kind delete cluster --name ${c.name}\``,
          }) as KindClusterOutcome,
      )
      .concat(left);
  }
  const run = opts.runner ?? execaRunner;
  const out: KindClusterOutcome[] = [];
  for (const c of clusters) {
    const r = await run(kind, ['delete', 'cluster', '--name', c.name], { timeoutMs: 180_000 });
    if (r.exitCode === 0) await forgetCluster(dir, c.name);
    out.push(
      r.exitCode === 0
        ? { ...c, action: 'deleted' }
        : {
            ...c,
            action: 'failed',
            detail: `kind delete cluster --name ${c.name} exited ${r.exitCode}: ${r.stderr.trim().split('\n').pop() ?? ''}`,
          },
    );
  }
  return [...out, ...left];
}

/** kind on PATH, else the copy `casebook setup` cached (never downloads: cleaning must not fetch tools). */
export async function findKind(env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const onPath = await which('kind', { nothrow: true, path: env['PATH'] ?? '' });
  if (onPath) return onPath;
  const cached = toolCachePath(defaultCacheDir(env), 'kind', KIND_VERSION).binary;
  try {
    await access(cached, constants.X_OK);
    return cached;
  } catch {
    return null;
  }
}

/** A resource is active when its owner process runs on this host (EPERM: alive, someone else's). */
export function ownerAlive(r: LabelledResource, host: string = hostname()): boolean {
  if (r.ownerPid === undefined || r.ownerHost !== host || r.ownerPid === process.pid) return false;
  try {
    process.kill(r.ownerPid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
