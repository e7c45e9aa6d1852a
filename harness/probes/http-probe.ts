import { InfrastructureError } from '../model/errors.ts';
import type { HttpObservation } from '../model/observation.ts';
import type { HttpProbeSpec } from '../model/probe-spec.ts';
import { execRecord, type ExecRecord, type ProbeContext } from './context.ts';
import { curlArgs, curlScript, DEFAULT_HTTP_TIMEOUT_MS, splitCurlOutput } from './curl-command.ts';
import { curlResponse } from './curl-response.ts';

export type HttpObservationWithExec = HttpObservation & { exec: ExecRecord };

/** curl from the client workload's container; a failed request is a response with curl's exit code. */
export async function observeHttp(spec: HttpProbeSpec, ctx: ProbeContext): Promise<HttpObservationWithExec> {
  const repeat = Math.max(1, spec.repeat ?? 1);
  const rounds = Math.ceil(repeat / Math.max(1, spec.concurrency ?? 1));
  const target = { workload: spec.from, namespace: ctx.namespaceOf(spec.from), container: spec.container };
  const r = await ctx.transport.exec(target, ['sh', '-c', curlScript(spec)], {
    timeoutMs: rounds * (spec.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS) + 30_000,
  });
  const runs = splitCurlOutput(r.stdout);
  if (r.exitCode === 90 || runs.length !== repeat) {
    throw new InfrastructureError(
      `the http probe's script did not run as expected in ${spec.from}${spec.container ? `/${spec.container}` : ''} (exit ${r.exitCode}, ${runs.length} of ${repeat} results): ${r.stderr.trim().slice(0, 300)}`,
      'the client image needs sh, mktemp and curl ≥ 7.70',
    );
  }
  return { kind: 'http', command: curlArgs(spec), responses: runs.map(curlResponse), exec: execRecord(r) };
}
