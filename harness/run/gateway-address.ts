import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { ClusterHandle } from '../cluster/cluster-handle.ts';
import { INGRESS_NODE_PORTS } from '../cluster/kind-config.ts';
import { resolveIngressAddress, type IngressAddress, type ResolvedIngressAddress, type ServiceData } from '../ingress/index.ts';
import { INGRESS_GATEWAY_NAME } from '../istio/index.ts';
import { describeApiError, isNotFound } from '../kube/api-error.ts';

const GATEWAY_NAMESPACE = 'istio-system';

/** What the run reads from the cluster to find the gateway (the Kubernetes API; fakes in tests). */
export type GatewayLookup = {
  /** istio-system/istio-ingressgateway, or undefined when it does not exist. */
  service(): Promise<ServiceData | undefined>;
  /** A node address for the gateway's nodePorts: the gateway pod's hostIP, else a node's InternalIP. */
  nodeIp(): Promise<string | undefined>;
};

export type GatewayAddress =
  | { address: IngressAddress; via: ResolvedIngressAddress['via'] | 'given' }
  | { address: undefined; problem: string };

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
    const nodeIp = cluster.provider === 'existing' && service && !(service.spec?.type === 'LoadBalancer' && lbAddress) ? await lookup.nodeIp() : undefined;
    const { via, ...address } = resolveIngressAddress(cluster.provider === 'kind'
      ? { provider: 'kind', ...(service ? { service } : {}), nodePorts: { http: INGRESS_NODE_PORTS.http, https: INGRESS_NODE_PORTS.https },
          ...(cluster.ingress ? { hostPorts: { http: cluster.ingress.httpPort, https: cluster.ingress.httpsPort }, listenAddress: cluster.ingress.host } : {}) }
      : { provider: 'existing', ...(service ? { service } : {}), ...(nodeIp ? { nodeIp } : {}) });
    return { address, via };
  } catch (e) {
    return { address: undefined, problem: e instanceof Error ? `${e.message}${'hint' in e && e.hint ? ` (${String(e.hint)})` : ''}` : String(e) };
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
      const pods = await core.listNamespacedPod({ namespace: GATEWAY_NAMESPACE, labelSelector: 'istio=ingressgateway' }).catch(() => undefined);
      const hostIp = pods?.items.find((p) => p.status?.phase === 'Running' && p.status.hostIP)?.status?.hostIP;
      if (hostIp) return hostIp;
      const nodes = await core.listNode().catch(() => undefined);
      return nodes?.items.flatMap((n) => n.status?.addresses ?? []).find((a) => a.type === 'InternalIP')?.address;
    },
  };
}
