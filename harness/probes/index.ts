/**
 * `observe(spec, ctx)`: runs one in-mesh probe (http, tcp, tls, envoy) through the exec
 * transport and returns its observation. A failed connection is an observation; only a broken
 * transport (or a client image without the tools) throws InfrastructureError.
 */
import { UsageError } from '../model/errors.ts';
import type { Observation } from '../model/observation.ts';
import type { EnvoyProbeSpec, HttpProbeSpec, ProbeSpec, TcpProbeSpec, TlsProbeSpec } from '../model/probe-spec.ts';
import type { ProbeContext } from './context.ts';
import { observeEnvoy } from './envoy-probe.ts';
import { observeHttp } from './http-probe.ts';
import { observeTcp } from './tcp-probe.ts';
import { observeTls } from './tls-probe.ts';

export type ExecProbeSpec = HttpProbeSpec | TcpProbeSpec | TlsProbeSpec | EnvoyProbeSpec;

export async function observe(spec: ExecProbeSpec | ProbeSpec, ctx: ProbeContext): Promise<Observation> {
  switch (spec.kind) {
    case 'http': return observeHttp(spec, ctx);
    case 'tcp': return observeTcp(spec, ctx);
    case 'tls': return observeTls(spec, ctx);
    case 'envoy': return observeEnvoy(spec, ctx);
    default:
      throw new UsageError(`probe kind "${spec.kind}" does not run through an exec transport`,
        'ingress probes use harness/ingress observeIngress, browser probes harness/browser observeBrowser');
  }
}

export type { ProbeContext } from './context.ts';
export { observeHttp } from './http-probe.ts';
export { observeTcp } from './tcp-probe.ts';
export { observeTls } from './tls-probe.ts';
export { observeEnvoy } from './envoy-probe.ts';
