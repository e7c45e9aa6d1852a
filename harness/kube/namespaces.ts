import { hostname } from 'node:os';
import { CoreV1Api, type KubeConfig, type V1Namespace } from '@kubernetes/client-node';
import { InfrastructureError, PrerequisiteError } from '../model/errors.ts';
import { poll, realClock } from '../model/poll.ts';
import { describeApiError, isConflict, isNotFound } from './api-error.ts';
import { isOwned, RUN } from './labels.ts';
import { namespaceLabels, type NamespaceRequest } from './namespace-labels.ts';

export { namespaceLabels, type NamespaceRequest };
type Timing = { timeoutMs?: number; intervalMs?: number; sleep?: (ms: number) => Promise<void>; now?: () => number };

/**
 * Which process made a namespace, as annotations (a host name need not be a valid label value):
 * a namespace of another run is a leftover only when that process is gone.
 */
export const OWNER_PID_ANNOTATION = 'casebook.dev/owner-pid';
export const OWNER_HOST_ANNOTATION = 'casebook.dev/owner-host';
export type NamespaceOwner = { pid: number; host: string };

/** Alive: the pid runs on this host. Another host's run cannot be checked from here: assume alive. */
function ownerRunning(annotations: Record<string, string> | undefined, self: NamespaceOwner): boolean {
  const pid = Number(annotations?.[OWNER_PID_ANNOTATION]);
  const host = annotations?.[OWNER_HOST_ANNOTATION];
  if (!Number.isInteger(pid) || pid <= 0 || !host) return false;
  if (host !== self.host) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readNamespace(core: CoreV1Api, name: string): Promise<V1Namespace | undefined> {
  try {
    return await core.readNamespace({ name });
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw new InfrastructureError(`could not read namespace ${name}: ${describeApiError(e)}`, undefined, { cause: e });
  }
}

/**
 * Creates the namespace labelled as ours. A namespace of that name that is not labelled ours is
 * someone else's: refuse. One of another casebook run whose process still runs (on this host, or
 * on another host, where we cannot tell) belongs to that run: refuse too, or two runs on one
 * cluster would delete each other's namespaces. Otherwise it is a leftover of an earlier run
 * (--keep, a crash, a restarted worker of this run): it is deleted and made again, so every run
 * starts from the manifests alone.
 */
export async function ensureNamespace(
  kc: KubeConfig,
  req: NamespaceRequest,
  timing: Timing = {},
  owner: NamespaceOwner = { pid: process.pid, host: hostname() },
): Promise<'created' | 'recreated'> {
  const core = kc.makeApiClient(CoreV1Api);
  let recreated = false;
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await readNamespace(core, req.name);
    if (existing) {
      if (!isOwned(existing.metadata?.labels)) {
        throw new PrerequisiteError(
          `namespace ${req.name} exists and is not labelled casebook.dev/managed-by=istio-casebook: it is not ours, so the harness will not touch it`,
          `delete or rename it yourself (kubectl delete namespace ${req.name}), or run against another cluster`,
        );
      }
      const otherRun = existing.metadata?.labels?.[RUN];
      if (otherRun !== req.runId && ownerRunning(existing.metadata?.annotations, owner)) {
        const a = existing.metadata?.annotations ?? {};
        throw new PrerequisiteError(
          `namespace ${req.name} belongs to casebook run ${otherRun ?? '?'} (pid ${a[OWNER_PID_ANNOTATION]} on ${a[OWNER_HOST_ANNOTATION]}), which may still be running`,
          `wait for that run to end; if it is gone, delete its namespaces: kubectl delete namespace -l casebook.dev/run=${otherRun ?? '?'}`,
        );
      }
      recreated = true;
      await deleteAndWait(core, req.name, existing.metadata?.labels?.[RUN], timing);
    }
    try {
      await core.createNamespace({
        body: {
          metadata: {
            name: req.name,
            labels: namespaceLabels(req),
            annotations: { [OWNER_PID_ANNOTATION]: String(owner.pid), [OWNER_HOST_ANNOTATION]: owner.host },
          },
        },
      });
      return recreated ? 'recreated' : 'created';
    } catch (e) {
      if (!isConflict(e))
        throw new InfrastructureError(`could not create namespace ${req.name}: ${describeApiError(e)}`, undefined, { cause: e });
      // Someone created it between our read and create: look again.
    }
  }
  throw new InfrastructureError(
    `namespace ${req.name} keeps reappearing while the harness tries to create it`,
    'is another run using the same cluster?',
  );
}

async function deleteAndWait(core: CoreV1Api, name: string, previousRun: string | undefined, timing: Timing): Promise<void> {
  const timeoutMs = timing.timeoutMs ?? 180_000;
  try {
    await core.deleteNamespace({ name, propagationPolicy: 'Background' });
  } catch (e) {
    if (!isNotFound(e))
      throw new InfrastructureError(`could not delete leftover namespace ${name}: ${describeApiError(e)}`, undefined, { cause: e });
  }
  await poll(async () => !(await readNamespace(core, name)), {
    what: `namespace ${name} to be gone`,
    timeoutMs,
    intervalMs: timing.intervalMs ?? 1000,
    clock: { now: timing.now ?? realClock.now, sleep: timing.sleep ?? realClock.sleep },
    onTimeout: () =>
      new InfrastructureError(
        `leftover namespace ${name} (run ${previousRun ?? 'unknown'}) is still terminating after ${Math.round(timeoutMs / 1000)}s`,
        `kubectl get namespace ${name} -o yaml (look for stuck finalizers)`,
      ),
  });
}

/**
 * Deletes the namespace when it is ours (and, given a run id, this run's: another run may have
 * taken the name over since); never waits (teardown must not hang on finalizers).
 */
export async function deleteOwnedNamespace(kc: KubeConfig, name: string, runId?: string): Promise<'deleted' | 'absent' | 'not-ours'> {
  const core = kc.makeApiClient(CoreV1Api);
  const existing = await readNamespace(core, name);
  if (!existing) return 'absent';
  if (!isOwned(existing.metadata?.labels)) return 'not-ours';
  if (runId !== undefined && existing.metadata?.labels?.[RUN] !== runId) return 'not-ours';
  try {
    await core.deleteNamespace({ name, propagationPolicy: 'Background' });
  } catch (e) {
    if (isNotFound(e)) return 'absent';
    throw new InfrastructureError(`could not delete namespace ${name}: ${describeApiError(e)}`, `kubectl delete namespace ${name}`, {
      cause: e,
    });
  }
  return 'deleted';
}
