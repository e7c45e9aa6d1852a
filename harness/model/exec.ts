/**
 * "Run this command in that workload's container." Probes only see this interface, so the same
 * probe runs through Kubernetes exec (real runs) or `docker exec` (the offline lab).
 */
export type ExecTarget = {
  /** Workload name as declared by the scenario (e.g. 'curl'); the transport maps it to a pod/container. */
  workload: string;
  /** Namespace of the workload (Kubernetes); ignored by the docker transport. */
  namespace?: string;
  /** Container inside the pod; default is the workload's main container. 'istio-proxy' for the sidecar. */
  container?: string;
};

export type ExecResult = {
  command: readonly string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  startedAt: string; // ISO timestamp
  durationMs: number;
};

export interface ExecTransport {
  readonly kind: 'kubernetes' | 'docker';
  /**
   * Runs `command` (argv, no shell unless the argv is ['sh', '-c', …]) and resolves with its exit
   * code and output, whatever the exit code. Rejects with InfrastructureError only when the
   * command could not be run or its result could not be read (transport down, container missing,
   * timeout of the transport itself).
   */
  exec(target: ExecTarget, command: readonly string[], options?: { timeoutMs?: number }): Promise<ExecResult>;
  /** The container's log (kubectl logs / docker logs), e.g. the sidecar's access log. */
  logs(target: ExecTarget, options?: { sinceSeconds?: number; tailLines?: number }): Promise<string>;
}
