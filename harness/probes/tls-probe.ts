import type { TlsProbeSpec } from '../model/probe-spec.ts';
import { execRecord, type ExecRecord, type ProbeContext } from './context.ts';
import { sClientArgs, sClientScript, TLS_DEADLINE_SECONDS } from './s-client-command.ts';
import { sClientObservation, type TlsObservationDetail } from './s-client-output.ts';

export type TlsObservationWithExec = TlsObservationDetail & { command: string[]; exec: ExecRecord };

/** A TLS handshake from the client workload with `openssl s_client`. */
export async function observeTls(spec: TlsProbeSpec, ctx: ProbeContext): Promise<TlsObservationWithExec> {
  const target = { workload: spec.from, namespace: ctx.namespaceOf(spec.from), container: spec.container };
  const r = await ctx.transport.exec(target, ['sh', '-c', sClientScript(spec)], { timeoutMs: TLS_DEADLINE_SECONDS * 1000 + 30_000 });
  return { ...sClientObservation(r.stdout, r.stderr, r.exitCode), command: sClientArgs(spec), exec: execRecord(r) };
}
