import { createHash } from 'node:crypto';
import { deepMerge, isObject } from '../model/deep-merge.ts';
import type { MeshRequirements } from '../model/scenario.ts';
import { INGRESS_NODE_PORTS } from '../cluster/kind-config.ts';

/**
 * The IstioOperator a scenario's mesh needs: the profile we wrote (manifests/mesh/<profile>.yaml)
 * plus the scenario's meshConfig overrides and proxyMetadata, access logs on stdout, and the
 * ingress gateway as a NodePort Service on INGRESS_NODE_PORTS (mapped to localhost by kind).
 *
 * Gateway ports: istioctl copies `components.ingressGateways[].k8s.service.ports` into the gateway
 * chart's `ports` value, replacing the chart default wholesale (operator/pkg/render/manifest.go
 * applyComponentValuesToHelmValues, 1.29.6/1.30.3), and the chart renders every key of each port
 * (manifests/charts/gateways/istio-ingress/templates/service.yaml), so nodePort passes through.
 * The chart default ports are status-port 15021, http2 80->8080, https 443->8443
 * (manifests/charts/gateways/istio-ingress/values.yaml): all three are repeated here.
 * targetPorts stay above 1024: validation rejects lower ones unless the gateway runs as root
 * (operator/pkg/apis/validation/validation.go validateGateways).
 */
export const INGRESS_GATEWAY_NAME = 'istio-ingressgateway';

export function ingressGatewayPorts(): Record<string, unknown>[] {
  return [
    { name: 'status-port', port: 15021, targetPort: 15021, nodePort: INGRESS_NODE_PORTS.status, protocol: 'TCP' },
    { name: 'http2', port: 80, targetPort: 8080, nodePort: INGRESS_NODE_PORTS.http, protocol: 'TCP' },
    { name: 'https', port: 443, targetPort: 8443, nodePort: INGRESS_NODE_PORTS.https, protocol: 'TCP' },
  ];
}

export function istioOperatorFor(
  mesh: MeshRequirements,
  opts: { version: string; baseProfile: Record<string, unknown> },
): Record<string, unknown> {
  const iop = structuredClone(opts.baseProfile);
  if (iop['kind'] !== 'IstioOperator') {
    throw new TypeError(`mesh profile ${mesh.profile} is not an IstioOperator (kind: ${String(iop['kind'])})`);
  }
  const spec = objectAt(iop, 'spec');
  const meshConfig = objectAt(spec, 'meshConfig');
  // Every scenario asserts on access-log lines (response flags), so the sidecars must log.
  meshConfig['accessLogFile'] = '/dev/stdout';
  deepMerge(meshConfig, mesh.meshConfig ?? {});
  if (mesh.proxyMetadata && Object.keys(mesh.proxyMetadata).length > 0) {
    const defaultConfig = objectAt(meshConfig, 'defaultConfig');
    const metadata = objectAt(defaultConfig, 'proxyMetadata');
    // proxyMetadata is map<string,string>; a YAML `true` would fail Istio's schema, so keep strings.
    for (const [key, value] of Object.entries(mesh.proxyMetadata)) metadata[key] = String(value);
  }
  const components = objectAt(spec, 'components');
  const existing = Array.isArray(components['ingressGateways']) ? (components['ingressGateways'] as unknown[]) : [];
  const others = existing.filter((g) => !(isObject(g) && g['name'] === INGRESS_GATEWAY_NAME));
  const ours = existing.find((g) => isObject(g) && g['name'] === INGRESS_GATEWAY_NAME);
  const gateway: Record<string, unknown> = isObject(ours) ? structuredClone(ours) : { name: INGRESS_GATEWAY_NAME };
  gateway['enabled'] = true;
  const service = objectAt(objectAt(gateway, 'k8s'), 'service');
  service['type'] = 'NodePort';
  service['ports'] = ingressGatewayPorts();
  components['ingressGateways'] = [gateway, ...others];
  const metadata = objectAt(iop, 'metadata');
  metadata['name'] ??= `casebook-${mesh.profile}`;
  metadata['namespace'] ??= 'istio-system';
  return iop;
}

/**
 * A stable fingerprint of what would be installed: same operator + same Istio version = reuse.
 * Keys are sorted so that YAML key order never forces a reinstall.
 */
export function installHash(iop: Record<string, unknown>, version: string): string {
  return createHash('sha256')
    .update(`${version}\n${canonicalJson(iop)}`)
    .digest('hex')
    .slice(0, 16);
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function objectAt(parent: Record<string, unknown>, key: string): Record<string, unknown> {
  const current = parent[key];
  if (isObject(current)) return current;
  const created: Record<string, unknown> = {};
  parent[key] = created;
  return created;
}
