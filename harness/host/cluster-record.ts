import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

/** A cluster a run used, kept in the run folder so the end of the run (globalTeardown) can delete it. */
export type ClusterRecord = {
  provider: 'kind' | 'existing';
  name: string;
  kubeconfigPath: string;
  kindPath?: string;
  cleanupCommand: string;
  /**
   * True only when this run created the cluster: the end of the run deletes those and nothing
   * else, so a cluster it merely reused (a user's, or one another run is using) survives.
   * Missing in records written before this field existed: read as false, the safe side.
   */
  created?: boolean;
  runId?: string;
};

const FILE = 'clusters.json';

export async function readClusterRecords(reportDir: string): Promise<ClusterRecord[]> {
  try {
    return JSON.parse(await readFile(join(reportDir, FILE), 'utf8')) as ClusterRecord[];
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** Adds the cluster once (workers restart and reuse it by name). One worker writes at a time: workers run one after another. */
export async function recordCluster(reportDir: string, record: ClusterRecord): Promise<void> {
  const records = await readClusterRecords(reportDir);
  if (records.some((r) => r.provider === record.provider && r.name === record.name)) return;
  await mkdir(reportDir, { recursive: true });
  await writeFile(join(reportDir, FILE), `${JSON.stringify([...records, record], null, 2)}\n`);
}
