import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { ClusterHandle } from '../cluster/cluster-handle.ts';
import { INGRESS_NODE_PORTS } from '../cluster/kind-config.ts';
import type { IngressAddress } from '../probes/ingress/observe-ingress.ts';
import { INGRESS_GATEWAY_NAME } from './operator.ts';
import { describeApiError, isNotFound } from '../kube/api-error.ts';
import { PrerequisiteError } from '../model/errors.ts';

const GATEWAY_NAMESPACE = 'istio-system';

/*
 * One module for the ingress gateway's address: the pure rule (resolveIngressAddress) and the
 * run's lookup of it on the cluster (gatewayAddress, kubeGatewayLookup).
 */

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
    if (!input.hostPorts)
      throw new PrerequisiteError(
        'the kind cluster publishes no host ports for the ingress gateway',
        'create the cluster with casebook (npx casebook setup), which maps them',
      );
    if (svc && input.nodePorts) {
      for (const [label, want, got] of [
        ['http', input.nodePorts.http, http],
        ['https', input.nodePorts.https, https],
      ] as const) {
        if (got?.nodePort !== want) {
          throw new PrerequisiteError(
            `the ${label} port of Service ${where} has nodePort ${got?.nodePort ?? 'none'}, ` +
              `but the kind cluster forwards host port ${input.hostPorts[label]} to node port ${want}`,
            "install Istio with casebook's mesh profile (npx casebook setup), which fixes the gateway nodePorts",
          );
        }
      }
    }
    return {
      via: 'kind-port-mapping',
      host: input.listenAddress ?? '127.0.0.1',
      httpPort: input.hostPorts.http,
      httpsPort: input.hostPorts.https,
    };
  }

  if (!svc || !http || !https) {
    throw new PrerequisiteError(
      `Service ${where} ${svc ? 'has no http (80) and https (443) ports' : 'was not found'}`,
      'install the Istio ingress gateway (default profile), or point --kubeconfig at a cluster that has one',
    );
  }
  const lb = svc.status?.loadBalancer?.ingress?.find((i) => i.ip || i.hostname);
  if (svc.spec?.type === 'LoadBalancer' && lb) {
    return { via: 'load-balancer', host: (lb.ip || lb.hostname) as string, httpPort: http.port, httpsPort: https.port };
  }
  if (input.nodeIp && http.nodePort && https.nodePort) {
    return { via: 'node-port', host: input.nodeIp, httpPort: http.nodePort, httpsPort: https.nodePort };
  }
  throw new PrerequisiteError(
    `Service ${where} (type ${svc.spec?.type ?? 'ClusterIP'}) has no LoadBalancer address` +
      (input.nodeIp ? ' and no nodePorts' : ' and no node IP was given for its nodePorts'),
    'give the gateway Service type LoadBalancer or NodePort, or run with --cluster kind',
  );
}

function portOf(svc: ServiceData, port: number, names: string[]) {
  const ports = svc.spec?.ports ?? [];
  return ports.find((p) => p.port === port) ?? ports.find((p) => p.name !== undefined && names.includes(p.name));
}

/** What the run reads from the cluster to find the gateway (the Kubernetes API; fakes in tests). */
export type GatewayLookup = {
  /** istio-system/istio-ingressgateway, or undefined when it does not exist. */
  service(): Promise<ServiceData | undefined>;
  /** A node address for the gateway's nodePorts: the gateway pod's hostIP, else a node's InternalIP. */
  nodeIp(): Promise<string | undefined>;
};

export type GatewayAddress =
  { address: IngressAddress; via: ResolvedIngressAddress['via'] | 'given' } | { address: undefined; problem: string };

/**
 * Where the host reaches the ingress gateway once Istio is installed: on kind, the host ports the
 * cluster publishes (checked against the Service's nodePorts); on an existing cluster, an address
 * the user gave, else the Service's LoadBalancer address, else its nodePorts on a node's IP (the
 * way istio.io computes INGRESS_HOST/INGRESS_PORT). Never throws: without an address the run goes
 * on, and only ingress and browser probes fail, with this problem as their reason.
 */
export async function gatewayAddress(cluster: Pick<ClusterHandle, 'provider' | 'ingress'>, lookup: GatewayLookup): Promise<GatewayAddress> {
  try {
    if (cluster.provider === 'existing' && cluster.ingress) {
      const { host, httpPort, httpsPort } = cluster.ingress;
      return { address: { host, httpPort, httpsPort }, via: 'given' };
    }
    const service = await lookup.service();
    const lbAddress = service?.status?.loadBalancer?.ingress?.some((i) => i.ip || i.hostname) ?? false;
    const nodeIp =
      cluster.provider === 'existing' && service && !(service.spec?.type === 'LoadBalancer' && lbAddress)
        ? await lookup.nodeIp()
        : undefined;
    const { via, ...address } = resolveIngressAddress(
      cluster.provider === 'kind'
        ? {
            provider: 'kind',
            service,
            nodePorts: { http: INGRESS_NODE_PORTS.http, https: INGRESS_NODE_PORTS.https },
            ...(cluster.ingress
              ? { hostPorts: { http: cluster.ingress.httpPort, https: cluster.ingress.httpsPort }, listenAddress: cluster.ingress.host }
              : {}),
          }
        : { provider: 'existing', service, nodeIp },
    );
    return { address, via };
  } catch (e) {
    return {
      address: undefined,
      problem: e instanceof Error ? `${e.message}${'hint' in e && e.hint ? ` (${String(e.hint)})` : ''}` : String(e),
    };
  }
}

/** The lookup through the Kubernetes API. A missing Service is undefined; other API errors throw. */
export function kubeGatewayLookup(kc: KubeConfig): GatewayLookup {
  const core = kc.makeApiClient(CoreV1Api);
  return {
    async service() {
      try {
        return await core.readNamespacedService({ name: INGRESS_GATEWAY_NAME, namespace: GATEWAY_NAMESPACE });
      } catch (e) {
        if (isNotFound(e)) return undefined;
        throw new Error(`could not read Service ${GATEWAY_NAMESPACE}/${INGRESS_GATEWAY_NAME}: ${describeApiError(e)}`, { cause: e });
      }
    },
    async nodeIp() {
      // istio.io: INGRESS_HOST=$(kubectl get po -l istio=ingressgateway -n istio-system -o jsonpath='{.items[0].status.hostIP}')
      const pods = await core
        .listNamespacedPod({ namespace: GATEWAY_NAMESPACE, labelSelector: 'istio=ingressgateway' })
        .catch(() => undefined);
      const hostIp = pods?.items.find((p) => p.status?.phase === 'Running' && p.status.hostIP)?.status?.hostIP;
      if (hostIp) return hostIp;
      const nodes = await core.listNode().catch(() => undefined);
      return nodes?.items.flatMap((n) => n.status?.addresses ?? []).find((a) => a.type === 'InternalIP')?.address;
    },
  };
}
