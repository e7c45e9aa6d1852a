import { InfrastructureError } from '../../model/errors.ts';
import type { EnvoyObservation } from '../../model/observation.ts';
import type { EnvoyProbeSpec } from '../../model/probe-spec.ts';
import type { ExecTarget } from '../../model/exec.ts';
import { parseAccessLog } from './access-log.ts';
import { clusterTlsTable } from './cluster-tls.ts';
import { listenerTable } from './listener-table.ts';
import { execRecord, type ExecRecord, type ProbeContext } from '../context.ts';
import { parseEnvoyStats } from './envoy-stats.ts';

export type EnvoyObservationWithExec = EnvoyObservation & { exec?: ExecRecord };

/** How many sidecar log lines an access-log probe reads (the request of interest is recent). */
export const ACCESS_LOG_TAIL_LINES = 1000;

/** Reads a workload's sidecar (container `istio-proxy`) through its admin API or its log. */
export async function observeEnvoy(spec: EnvoyProbeSpec, ctx: ProbeContext): Promise<EnvoyObservationWithExec> {
  const target: ExecTarget = { workload: spec.of, namespace: ctx.namespaceOf(spec.of), container: 'istio-proxy' };
  switch (spec.what) {
    case 'stats': {
      const r = await adminGet(ctx, target, 'stats');
      return { kind: 'envoy', what: 'stats', stats: parseEnvoyStats(r.stdout, spec.filter), exec: summary(r) };
    }
    case 'listeners': {
      const r = await adminGet(ctx, target, 'config_dump');
      const dump = adminJson(r.stdout, `the config dump of ${spec.of}'s sidecar`);
      return {
        kind: 'envoy',
        what: 'listeners',
        listeners: listenerTable(dump, spec.port === undefined ? {} : { port: spec.port }),
        exec: summary(r),
      };
    }
    case 'clusters': {
      const r = await adminGet(ctx, target, 'config_dump?resource=dynamic_active_clusters');
      const dump = adminJson(r.stdout, `the cluster dump of ${spec.of}'s sidecar`);
      const rows = clusterTlsTable(dump).filter((c) => spec.filter === undefined || c.cluster.includes(spec.filter));
      return { kind: 'envoy', what: 'clusters', clusters: rows, exec: summary(r) };
    }
    case 'access-log': {
      const log = await ctx.transport.logs(target, { tailLines: ACCESS_LOG_TAIL_LINES });
      return { kind: 'envoy', what: 'access-log', entries: parseAccessLog(log, spec.filter) };
    }
  }
}

/** `pilot-agent request GET <path>`: the agent forwards to Envoy's admin port inside the pod. */
async function adminGet(ctx: ProbeContext, target: ExecTarget, path: string) {
  const r = await ctx.transport.exec(target, ['pilot-agent', 'request', 'GET', path], { timeoutMs: 60_000 });
  if (r.exitCode !== 0) {
    throw new InfrastructureError(
      `pilot-agent request GET ${path} in ${target.workload}/istio-proxy exited ${r.exitCode}: ${r.stderr.trim().slice(0, 300)}`,
      'check that the sidecar is running and ready (kubectl get pod; istio-proxy logs)',
    );
  }
  return r;
}

/** An admin API answer parsed as JSON; anything else is the harness failing to read the sidecar. */
function adminJson(stdout: string, what: string): unknown {
  try {
    return JSON.parse(stdout);
  } catch (e) {
    throw new InfrastructureError(
      `${what} is not JSON (${(e as Error).message}): ${stdout.slice(0, 200)}`,
      'check that the pod has an istio-proxy container and that its admin port answers',
    );
  }
}

/** Stats and config dumps are large: the evidence keeps the command and a head of the output. */
function summary(r: Parameters<typeof execRecord>[0]): ExecRecord {
  return execRecord({
    ...r,
    stdout: r.stdout.length > 4096 ? `${r.stdout.slice(0, 4096)}\n… (${r.stdout.length} characters in all)` : r.stdout,
  });
}
