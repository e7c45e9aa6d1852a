import type { FullConfig } from '@playwright/test';
import { rm } from 'node:fs/promises';
import { claimsDir, forgetCluster, runPrivateDir } from '../cluster/cluster-claims.ts';
import { kindArgs } from '../cluster/kind-commands.ts';
import { defaultCacheDir } from '../tools/cache-dir.ts';
import { execaRunner, type CommandRunner } from '../tools/command-runner.ts';
import { readClusterRecords, type ClusterRecord } from './cluster-record.ts';
import { currentRunEnv } from './run-env.ts';

/**
 * End of the run: delete the kind clusters this run created (they were kept across worker
 * restarts on purpose), unless --keep, which prints how to delete them instead. A cluster the run
 * only reused is left alone: it was there before the run (a user's, an earlier --keep, or the one
 * another run is using). Existing clusters are never deleted: they are not ours.
 */
export default async function globalTeardown(_config: FullConfig): Promise<void> {
  const env = currentRunEnv();
  await teardownClusters(await readClusterRecords(env.reportDir), {
    keep: env.keep,
    runId: env.runId,
    out: process.stdout,
    runner: execaRunner,
    claimsDir: claimsDir(defaultCacheDir()),
  });
  // The kubeconfig of a deleted cluster is useless; with --keep it is how the user reaches the cluster.
  if (!env.keep) await rm(runPrivateDir(defaultCacheDir(), env.runId), { recursive: true, force: true });
}

export async function teardownClusters(
  records: readonly ClusterRecord[],
  o: {
    keep: boolean;
    runId: string;
    out: { write(s: string): unknown };
    runner: CommandRunner;
    claimsDir: string;
  },
): Promise<void> {
  const kind = records.filter((c) => c.provider === 'kind');
  const ours = kind.filter((c) => c.created === true && (c.runId === undefined || c.runId === o.runId));
  for (const c of kind.filter((k) => !ours.includes(k)))
    o.out.write(`casebook: kind cluster ${c.name} was there before this run: left in place\n`);
  if (ours.length === 0) return;
  if (o.keep) {
    o.out.write(`--keep: the cluster stays. Delete it with:\n${ours.map((c) => `  ${c.cleanupCommand}`).join('\n')}\n`);
    return;
  }
  for (const c of ours) {
    o.out.write(`casebook: deleting kind cluster ${c.name}\n`);
    const r = await o
      .runner(c.kindPath ?? 'kind', kindArgs.delete(c.name, c.kubeconfigPath), { timeoutMs: 5 * 60_000 })
      .catch((e: unknown) => ({ exitCode: -1, stdout: '', stderr: e instanceof Error ? e.message : String(e) }));
    if (r.exitCode !== 0)
      o.out.write(`casebook: could not delete kind cluster ${c.name} (${r.stderr.trim().split('\n').at(-1)}); run: ${c.cleanupCommand}\n`);
    else await forgetCluster(o.claimsDir, c.name);
  }
}
