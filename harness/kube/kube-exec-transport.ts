import { CoreV1Api, type KubeConfig, type V1Pod, type V1Status } from '@kubernetes/client-node';
import type { ExecResult, ExecTarget, ExecTransport } from '../model/exec.ts';
import { InfrastructureError } from '../model/errors.ts';
import { describeApiError } from './api-error.ts';
import { podReadiness, runningContainerNames } from './pod-readiness.ts';
import { execInPod, type PodContainer } from './pod-exec.ts';

export type KubeExecTransportOptions = {
  /** Namespace of a workload when the target does not name one. */
  namespaceOf?: (workload: string) => string | undefined;
  /**
   * Label selector of a workload's pods; default `app=<workload>`. The runner derives it from the
   * Deployment in the workload's manifest, so a WorkloadRef named differently from its manifest works.
   */
  selectorOf?: (target: { workload: string; namespace: string }) => string | undefined;
  /** Default per-command timeout (ms); the in-pod `timeout` gets the same number of seconds. */
  defaultTimeoutMs?: number;
  /** Extra time the transport waits for the status frame after the in-pod timeout (ms). */
  graceMs?: number;
};

const SIDECAR = 'istio-proxy';

/**
 * The workload's pod: matching the workload's selector (default `app=<workload>`), not
 * terminating, every container ready (native sidecars included); the newest when several are
 * ready, since an older one may be on its way out of a rollout.
 */
export function pickPod(pods: readonly V1Pod[], target: { workload: string; namespace: string; selector: string }): V1Pod {
  const live = pods.filter((p) => !p.metadata?.deletionTimestamp);
  const ready = live.filter((p) => podReadiness(p).ready).sort((a, b) => created(b) - created(a));
  const pod = ready[0];
  if (pod) return pod;
  const why = live.length === 0 ? 'no pod exists' : live.flatMap((p) => podReadiness(p).problems).join('; ');
  throw new InfrastructureError(
    `no ready pod for workload ${target.workload} in namespace ${target.namespace} (selector ${target.selector}): ${why}`,
    `kubectl -n ${target.namespace} get pods -l ${target.selector}; kubectl -n ${target.namespace} describe pods -l ${target.selector}`,
  );
}

function created(pod: V1Pod): number {
  const t = pod.metadata?.creationTimestamp;
  return t === undefined ? 0 : new Date(t).getTime();
}

/**
 * A container whose log can be read: a running one as for exec, or an ordinary init container
 * that has finished, such as istio-init, whose log holds the iptables rules istio-iptables wrote
 * (`kubectl logs -c istio-init`); exec into it is impossible, reading its log is not.
 */
export function pickLogContainer(pod: V1Pod, wanted: string | undefined): string {
  if (wanted !== undefined && (pod.spec?.initContainers ?? []).some((c) => c.name === wanted)) return wanted;
  return pickContainer(pod, wanted);
}

/** The main container: the one named by the target, else the first that is not the sidecar. */
export function pickContainer(pod: V1Pod, wanted: string | undefined): string {
  const names = runningContainerNames(pod);
  if (wanted !== undefined) {
    if (names.includes(wanted)) return wanted;
    throw new InfrastructureError(
      `pod ${pod.metadata?.name} has no container ${wanted} (containers: ${names.join(', ')})`,
      wanted === SIDECAR ? 'is sidecar injection enabled for this namespace (istio-injection=enabled)?' : "fix the probe's container name",
    );
  }
  const main = (pod.spec?.containers ?? []).map((c) => c.name).find((n) => n !== SIDECAR);
  if (main === undefined) throw new InfrastructureError(`pod ${pod.metadata?.name} has no container besides ${SIDECAR}`);
  return main;
}

export function createKubeExecTransport(kc: KubeConfig, opts: KubeExecTransportOptions = {}): ExecTransport {
  const core = kc.makeApiClient(CoreV1Api);
  const defaultTimeoutMs = opts.defaultTimeoutMs ?? 60_000;
  const graceMs = opts.graceMs ?? 10_000;

  const resolve = async (target: ExecTarget, container: typeof pickContainer = pickContainer): Promise<PodContainer> => {
    const namespace = target.namespace ?? opts.namespaceOf?.(target.workload);
    if (namespace === undefined) {
      throw new InfrastructureError(`no namespace known for workload ${target.workload}`, "name the workload in the scenario's workloads");
    }
    const selector = opts.selectorOf?.({ workload: target.workload, namespace }) ?? `app=${target.workload}`;
    let pods: V1Pod[];
    try {
      pods = (await core.listNamespacedPod({ namespace, labelSelector: selector })).items;
    } catch (e) {
      throw new InfrastructureError(`could not list pods of ${target.workload} in ${namespace}: ${describeApiError(e)}`, undefined, {
        cause: e,
      });
    }
    const pod = pickPod(pods, { workload: target.workload, namespace, selector });
    return { namespace, pod: pod.metadata!.name!, container: container(pod, target.container) };
  };

  return {
    kind: 'kubernetes',
    async exec(target, command, options) {
      const timeoutMs = options?.timeoutMs ?? defaultTimeoutMs;
      const where = await resolve(target);
      const startedAt = new Date();
      const seconds = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
      let argv = ['timeout', seconds, ...command];
      let run = await execInPod(kc, where, argv, { deadlineMs: timeoutMs + graceMs });
      if (exitCodeOf(run.status) === undefined && isMissingExecutable(run.status, 'timeout')) {
        // Distroless images have no `timeout`: run bare, bounded only by the transport deadline.
        argv = [...command];
        run = await execInPod(kc, where, argv, { deadlineMs: timeoutMs + graceMs });
      }
      let exitCode = exitCodeOf(run.status);
      let stderr = run.stderr;
      if (exitCode === undefined) {
        if (!isMissingExecutable(run.status)) {
          throw new InfrastructureError(
            `exec in ${where.namespace}/${where.pod} (${where.container}) failed without an exit code: ${run.status.message ?? run.status.reason ?? 'no message'}`,
            'check the pod and container; the command did not run',
          );
        }
        // What a shell and `docker exec` report for a program that is not there.
        exitCode = 127;
        stderr += `${stderr && !stderr.endsWith('\n') ? '\n' : ''}${run.status.message ?? ''}\n`;
      }
      const result: ExecResult = {
        command: argv,
        exitCode,
        stdout: run.stdout,
        stderr,
        startedAt: startedAt.toISOString(),
        durationMs: Date.now() - startedAt.getTime(),
      };
      return result;
    },
    async logs(target, options) {
      const where = await resolve(target, pickLogContainer);
      try {
        return await core.readNamespacedPodLog({
          name: where.pod,
          namespace: where.namespace,
          container: where.container,
          ...(options?.sinceSeconds !== undefined ? { sinceSeconds: options.sinceSeconds } : {}),
          ...(options?.tailLines !== undefined ? { tailLines: options.tailLines } : {}),
        });
      } catch (e) {
        throw new InfrastructureError(
          `could not read the log of ${where.namespace}/${where.pod} (${where.container}): ${describeApiError(e)}`,
          undefined,
          { cause: e },
        );
      }
    },
  };
}

/**
 * The exit code from the status frame the API server sends on channel 3 when the command ends.
 * It is not a field: the kubelet reports a non-zero exit as
 * `{ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } }`
 * (kubernetes remotecommand NonZeroExitCodeReason / ExitCodeCauseType).
 * A Failure without that cause means the command never ran: undefined here.
 */
export function exitCodeOf(status: V1Status): number | undefined {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  if (cause?.message === undefined) return undefined;
  const code = Number(cause.message);
  return Number.isInteger(code) ? code : undefined;
}

/** The runtime could not start the program (OCI "executable file not found in $PATH"). */
export function isMissingExecutable(status: V1Status, program?: string): boolean {
  const message = status.message ?? '';
  if (!/executable file not found|no such file or directory/i.test(message)) return false;
  return program === undefined || message.includes(`"${program}"`);
}
