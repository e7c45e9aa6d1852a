/**
 * Probe dispatch. `observe(spec, ctx)` runs one in-mesh probe (http, tcp, tls, envoy) through the
 * exec transport; `probeObserver` sends every probe kind to its observer (in-mesh ones through the
 * transport, ingress and browser ones from this machine, kube ones to the API reader the host
 * wires). A failed connection is an observation; only a broken transport (or a client image
 * without the tools) throws InfrastructureError.
 */
import type { CertStore } from '../certs/cert-store.ts';
import { InfrastructureError, UsageError } from '../model/errors.ts';
import type { ExecTransport } from '../model/exec.ts';
import type { Observation } from '../model/observation.ts';
import type { EnvoyProbeSpec, HttpProbeSpec, KubeProbeSpec, ProbeSpec, TcpProbeSpec, TlsProbeSpec } from '../model/probe-spec.ts';
import { observeBrowser } from './browser/observe-browser.ts';
import { observeIngress, type IngressAddress } from './ingress/observe-ingress.ts';
import type { ProbeContext } from './context.ts';
import { observeEnvoy } from './envoy/envoy-probe.ts';
import { observeHttp } from './http-probe.ts';
import { observeTcp } from './tcp-probe.ts';
import { observeTls } from './tls-probe.ts';

export type ExecProbeSpec = HttpProbeSpec | TcpProbeSpec | TlsProbeSpec | EnvoyProbeSpec;

export async function observe(spec: ExecProbeSpec | ProbeSpec, ctx: ProbeContext): Promise<Observation> {
  switch (spec.kind) {
    case 'http':
      return observeHttp(spec, ctx);
    case 'tcp':
      return observeTcp(spec, ctx);
    case 'tls':
      return observeTls(spec, ctx);
    case 'envoy':
      return observeEnvoy(spec, ctx);
    default:
      throw new UsageError(
        `probe kind "${spec.kind}" does not run through an exec transport`,
        'ingress probes use probes/ingress observeIngress, browser probes probes/browser observeBrowser',
      );
  }
}

export type ObserveContext = { transport: ExecTransport; namespaceOf(workload: string): string; certs: CertStore };
/** Any probe kind: in-mesh probes exec through the transport, ingress/browser ones go from the host. */
export type ProbeObserver = (spec: ProbeSpec, ctx: ObserveContext) => Promise<unknown>;

/** The observers behind each probe kind; tests replace them to see the dispatch. */
export type Observers = {
  inMesh: typeof observe;
  ingress: typeof observeIngress;
  browser: typeof observeBrowser;
  /** Kubernetes API reads (kube probes), wired by the host; absent: such a probe is an infrastructure error. */
  kube?: (spec: KubeProbeSpec) => Promise<unknown>;
};
export const REAL_OBSERVERS: Observers = { inMesh: observe, ingress: observeIngress, browser: observeBrowser };

/**
 * Each probe kind to its observer. `ingress` is where this machine reaches the gateway;
 * `unknownBecause` says why it is unknown, if it is.
 */
export function probeObserver(
  ingress: IngressAddress | undefined,
  opts: { unknownBecause?: string; observers?: Observers } = {},
): ProbeObserver {
  const observers = opts.observers ?? REAL_OBSERVERS;
  const address = (kind: string): IngressAddress => {
    if (!ingress) {
      throw new InfrastructureError(
        `a ${kind} probe needs the ingress gateway's address, which this run does not know` +
          `${opts.unknownBecause ? `: ${opts.unknownBecause}` : ''}`,
        'use --cluster kind, whose gateway is published on localhost, or give the gateway Service a LoadBalancer address or nodePorts',
      );
    }
    return ingress;
  };
  return async (spec, ctx) => {
    switch (spec.kind) {
      case 'ingress':
        return observers.ingress(spec, { address: address('ingress'), certs: ctx.certs });
      case 'browser':
        return observers.browser(spec, { address: address('browser') });
      case 'kube':
        if (!observers.kube) throw new InfrastructureError('a kube probe needs the Kubernetes API, which this run did not wire');
        return observers.kube(spec);
      case 'http':
      case 'tcp':
      case 'tls':
      case 'envoy':
        return observers.inMesh(spec, { transport: ctx.transport, namespaceOf: ctx.namespaceOf });
    }
  };
}
