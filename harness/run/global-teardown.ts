import type { FullConfig } from '@playwright/test';
import { kindArgs } from '../cluster/index.ts';
import { casebookRoot } from '../load/casebook-root.ts';
import { execaRunner } from '../tools/command-runner.ts';
import { DEFAULT_ISTIO_VERSIONS } from '../tools/versions.ts';
import { readClusterRecords } from './cluster-record.ts';
import { decodeRunEnv } from './run-env.ts';

/**
 * End of the run: delete the kind clusters it used (they were kept across worker restarts on
 * purpose), unless --keep, which prints how to delete them instead. Existing clusters are never
 * deleted: they are not ours.
 */
export default async function globalTeardown(_config: FullConfig): Promise<void> {
  const env = decodeRunEnv(process.env, { istio: DEFAULT_ISTIO_VERSIONS, root: casebookRoot() });
  const clusters = (await readClusterRecords(env.reportDir)).filter((c) => c.provider === 'kind');
  if (clusters.length === 0) return;
  if (env.keep) {
    process.stdout.write(`--keep: the cluster stays. Delete it with:\n${clusters.map((c) => `  ${c.cleanupCommand}`).join('\n')}\n`);
    return;
  }
  for (const c of clusters) {
    process.stdout.write(`casebook: deleting kind cluster ${c.name}\n`);
    const r = await execaRunner(c.kindPath ?? 'kind', kindArgs.delete(c.name, c.kubeconfigPath), { timeoutMs: 5 * 60_000 })
      .catch((e: unknown) => ({ exitCode: -1, stdout: '', stderr: e instanceof Error ? e.message : String(e) }));
    if (r.exitCode !== 0) process.stdout.write(`casebook: could not delete kind cluster ${c.name} (${r.stderr.trim().split('\n').at(-1)}); run: ${c.cleanupCommand}\n`);
  }
}
