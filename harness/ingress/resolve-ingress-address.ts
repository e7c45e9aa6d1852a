import { PrerequisiteError } from '../model/errors.ts';
import type { IngressAddress } from './observe-ingress.ts';

/** The fields of a core/v1 Service this needs, as plain data (client-node's V1Service fits). */
export type ServiceData = {
  metadata?: { name?: string; namespace?: string };
  spec?: { type?: string; ports?: { name?: string; port: number; nodePort?: number }[] };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
};

export type IngressAddressInput = {
  provider: 'kind' | 'existing';
  /** The ingress gateway Service (istio-system/istio-ingressgateway), read once per run. */
  service?: ServiceData;
  /** kind: host ports published by the cluster config (extraPortMappings). */
  hostPorts?: { http: number; https: number };
  /** kind: the fixed nodePorts those mappings target; checked against the Service when both are given. */
  nodePorts?: { http: number; https: number };
  /** kind: the address the mappings listen on (default 127.0.0.1). */
  listenAddress?: string;
  /** existing: an address of a node (InternalIP) or the gateway pod's hostIP, for NodePort access. */
  nodeIp?: string;
};

export type ResolvedIngressAddress = IngressAddress & { via: 'kind-port-mapping' | 'load-balancer' | 'node-port' };

/**
 * Where the host reaches the ingress gateway, the way the Istio docs compute INGRESS_HOST and
 * INGRESS_PORT: kind's published ports; else the LoadBalancer address with the Service ports;
 * else the NodePorts on a node's IP (istio.io tasks/traffic-management/ingress/ingress-control,
 * "Determining the ingress IP and ports"). Pure: the caller reads the cluster.
 */
export function resolveIngressAddress(input: IngressAddressInput): ResolvedIngressAddress {
  const svc = input.service;
  const where = `${svc?.metadata?.namespace ?? 'istio-system'}/${svc?.metadata?.name ?? 'istio-ingressgateway'}`;
  const http = svc ? portOf(svc, 80, ['http2', 'http']) : undefined;
  const https = svc ? portOf(svc, 443, ['https']) : undefined;

  if (input.provider === 'kind') {
    if (!input.hostPorts) throw new PrerequisiteError('the kind cluster publishes no host ports for the ingress gateway',
      'create the cluster with casebook (npx casebook setup), which maps them');
    if (svc && input.nodePorts) {
      for (const [label, want, got] of [['http', input.nodePorts.http, http], ['https', input.nodePorts.https, https]] as const) {
        if (got?.nodePort !== want) {
          throw new PrerequisiteError(`the ${label} port of Service ${where} has nodePort ${got?.nodePort ?? 'none'}, ` +
            `but the kind cluster forwards host port ${input.hostPorts[label]} to node port ${want}`,
            'install Istio with casebook\'s mesh profile (npx casebook setup), which fixes the gateway nodePorts');
        }
      }
    }
    return { via: 'kind-port-mapping', host: input.listenAddress ?? '127.0.0.1', httpPort: input.hostPorts.http, httpsPort: input.hostPorts.https };
  }

  if (!svc || !http || !https) {
    throw new PrerequisiteError(`Service ${where} ${svc ? 'has no http (80) and https (443) ports' : 'was not found'}`,
      'install the Istio ingress gateway (default profile), or point --kubeconfig at a cluster that has one');
  }
  const lb = svc.status?.loadBalancer?.ingress?.find((i) => i.ip || i.hostname);
  if (svc.spec?.type === 'LoadBalancer' && lb) {
    return { via: 'load-balancer', host: (lb.ip || lb.hostname) as string, httpPort: http.port, httpsPort: https.port };
  }
  if (input.nodeIp && http.nodePort && https.nodePort) {
    return { via: 'node-port', host: input.nodeIp, httpPort: http.nodePort, httpsPort: https.nodePort };
  }
  throw new PrerequisiteError(`Service ${where} (type ${svc.spec?.type ?? 'ClusterIP'}) has no LoadBalancer address` +
    (input.nodeIp ? ' and no nodePorts' : ' and no node IP was given for its nodePorts'),
    'give the gateway Service type LoadBalancer or NodePort, or run with --cluster kind');
}

function portOf(svc: ServiceData, port: number, names: string[]) {
  const ports = svc.spec?.ports ?? [];
  return ports.find((p) => p.port === port) ?? ports.find((p) => p.name !== undefined && names.includes(p.name));
}
