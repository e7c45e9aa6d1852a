import { hostname } from 'node:os';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PrerequisiteError } from '../model/errors.ts';

/**
 * What the casebook knows about the kind clusters it made, kept beside the tool cache
 * (`<cache>/clusters/`) because kind cannot put our labels on its node containers:
 *
 * - `<name>.created.json`: written *before* `kind create`, so a cluster this casebook created
 *   (even one whose creation was interrupted) can be told from one a user made with the same name.
 *   `casebook clean` deletes only clusters with this file.
 * - `<name>.lock`: the run using the cluster (run id, pid, host). A second run refuses the
 *   cluster while that process is alive, and `clean` leaves it alone.
 *
 * Liveness is judged the same way as the owner labels on our containers (pid alive on this host),
 * so `clean` treats clusters and containers alike.
 */
export type ClusterHolder = { runId: string; pid: number; host: string };
export type CreatedMark = { name: string; runId: string; at: string };

/** A kind cluster another live casebook run is using. Exit 2: wait, or pick another name. */
export class ClusterInUseError extends PrerequisiteError {
  override name = 'ClusterInUseError';
}

export function claimsDir(cacheDir: string): string {
  return join(cacheDir, 'clusters');
}

/**
 * A run's private files (the kind kubeconfig, which holds a client key) live here, not in the
 * report folder: CI uploads that folder as an artifact.
 */
export function runPrivateDir(cacheDir: string, runId: string): string {
  return join(cacheDir, 'runs', runId);
}

const lockFile = (dir: string, name: string) => join(dir, `${name}.lock`);
const createdFile = (dir: string, name: string) => join(dir, `${name}.created.json`);

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (e) {
    // A missing or half-written file says nothing about ownership; treat both as absent.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || e instanceof SyntaxError) return undefined;
    throw e;
  }
}

/** True when the holder's process still runs on this host (EPERM: alive, another user's). */
export function holderAlive(h: ClusterHolder | undefined, host: string = hostname()): boolean {
  if (!h || h.host !== host || !Number.isInteger(h.pid) || h.pid <= 0) return false;
  try {
    process.kill(h.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live run holding the cluster, if any (a lock left by a dead process does not count). */
export async function liveHolder(dir: string, name: string, host: string = hostname()): Promise<ClusterHolder | undefined> {
  const h = await readJson<ClusterHolder>(lockFile(dir, name));
  return holderAlive(h, host) ? h : undefined;
}

/**
 * Takes the cluster for this run. Exclusive create (`wx`) so two runs starting together cannot
 * both win; a lock whose process is gone is taken over. Returns the release function.
 */
export async function lockCluster(
  dir: string,
  name: string,
  holder: ClusterHolder,
  host: string = hostname(),
): Promise<() => Promise<void>> {
  await mkdir(dir, { recursive: true });
  const path = lockFile(dir, name);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(path, 'wx', 0o600);
      await fh.writeFile(`${JSON.stringify(holder)}\n`);
      await fh.close();
      return async () => {
        // Only remove our own lock: a stale-lock takeover by another run must survive our exit.
        const current = await readJson<ClusterHolder>(path);
        if (current?.runId === holder.runId) await rm(path, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const current = await readJson<ClusterHolder>(path);
      if (current && holderAlive(current, host) && current.runId !== holder.runId) {
        throw new ClusterInUseError(
          `kind cluster ${name} is in use by casebook run ${current.runId} (pid ${current.pid} on ${current.host})`,
          `wait for that run to end (the lock goes with its process), or stop it, or give this run its own cluster with --cluster-name <name>; two kind runs cannot share one cluster`,
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new ClusterInUseError(`could not take the lock ${path}: another run keeps taking it`, 'retry in a moment');
}

/** Records that this casebook is about to create the cluster; call before `kind create`. */
export async function markCreated(dir: string, name: string, runId: string, now: Date = new Date()): Promise<void> {
  await mkdir(dir, { recursive: true });
  const mark: CreatedMark = { name, runId, at: now.toISOString() };
  await writeFile(createdFile(dir, name), `${JSON.stringify(mark)}\n`, { mode: 0o600 });
}

export async function createdMark(dir: string, name: string): Promise<CreatedMark | undefined> {
  return readJson<CreatedMark>(createdFile(dir, name));
}

/** After the cluster is deleted: it is no longer ours to delete. */
export async function forgetCluster(dir: string, name: string): Promise<void> {
  await rm(createdFile(dir, name), { force: true });
}
