/**
 * The kind cluster config: one control-plane node whose container publishes the ingress
 * gateway's fixed NodePorts on localhost. kind's docs (site/content/docs/user/configuration.md,
 * "Extra Port Mappings") require containerPort to equal the Service's nodePort; the Istio side
 * of that contract is INGRESS_NODE_PORTS, used by harness/istio/operator.ts.
 * Field names: pkg/apis/config/v1alpha4/types.go (kind v0.32.0).
 */
export type HostPorts = { http: number; https: number; status: number };

/** nodePorts of the istio-ingressgateway Service (http2 80, https 443, status-port 15021). */
export const INGRESS_NODE_PORTS: HostPorts = Object.freeze({ http: 30080, https: 30443, status: 30021 });

/** Where the host reaches the gateway by default: http://127.0.0.1:8080, https://127.0.0.1:8443. */
export const DEFAULT_HOST_PORTS: HostPorts = Object.freeze({ http: 8080, https: 8443, status: 15021 });

export function kindClusterConfig(opts: { hostPorts: HostPorts; image?: string }): Record<string, unknown> {
  const mapping = (port: keyof HostPorts) => ({
    containerPort: INGRESS_NODE_PORTS[port],
    hostPort: opts.hostPorts[port],
    // localhost only: the gateway of a throw-away cluster should not listen on every interface.
    listenAddress: '127.0.0.1',
    protocol: 'TCP',
  });
  const node: Record<string, unknown> = {
    role: 'control-plane',
    extraPortMappings: [mapping('http'), mapping('https'), mapping('status')],
  };
  if (opts.image) node['image'] = opts.image;
  return { kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4', nodes: [node] };
}
