import { InfrastructureError } from '../model/errors.ts';
import type { TcpObservation } from '../model/observation.ts';
import type { TcpProbeSpec } from '../model/probe-spec.ts';
import { execRecord, type ExecRecord, type ProbeContext } from './context.ts';
import { DEFAULT_TCP_READ_TIMEOUT_MS, tcpScript, type TcpTool } from './tcp-command.ts';
import { splitTcpOutput, tcpObservation } from './tcp-output.ts';

export type TcpObservationWithExec = TcpObservation & { exec: ExecRecord };

/** Connects from the client workload and reports how the connection went and what the server said first. */
export async function observeTcp(spec: TcpProbeSpec, ctx: ProbeContext, opts: { tool?: TcpTool } = {}): Promise<TcpObservationWithExec> {
  const target = { workload: spec.from, namespace: ctx.namespaceOf(spec.from), container: spec.container };
  const r = await ctx.transport.exec(target, ['sh', '-c', tcpScript(spec, opts.tool)], {
    timeoutMs: (spec.readTimeoutMs ?? DEFAULT_TCP_READ_TIMEOUT_MS) + 30_000,
  });
  const run = splitTcpOutput(r.stdout);
  if (!run) {
    throw new InfrastructureError(
      `the tcp probe could not run in ${spec.from} (exit ${r.exitCode}): ${r.stderr.trim().slice(0, 300)}`,
      'the client image needs sh, mktemp, od, timeout and one of: nc (OpenBSD netcat), curl, telnet',
    );
  }
  return { ...tcpObservation(run), exec: execRecord(r) };
}
