import type { KubeObject } from '../kube/manifest-objects.ts';

// Kinds whose effect stays at the ingress gateway or in the scenario's own namespaces: sidecars in
// other namespaces compute the same config with or without them.
const GATEWAY_SCOPED = new Set(['Gateway', 'Ingress', 'IngressClass', 'Secret', 'ConfigMap', 'ServiceAccount', 'Service', 'Deployment']);

/**
 * The objects of a `gateway` scenario that reach sidecars, and so what keeps it from running beside
 * namespace scenarios: anything but the kinds above, a VirtualService not bound to gateways only
 * (no `gateways` means `mesh`), and an HTTPRoute attached to a Service (a mesh route).
 */
export function reachingSidecars(objects: readonly KubeObject[]): KubeObject[] {
  return objects.filter((o) => {
    const spec = (o['spec'] ?? {}) as { gateways?: unknown; parentRefs?: { kind?: unknown }[] };
    if (o.kind === 'VirtualService') {
      const gateways = Array.isArray(spec.gateways) ? spec.gateways : [];
      return gateways.length === 0 || gateways.includes('mesh');
    }
    if (o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute' || o.kind === 'TCPRoute' || o.kind === 'TLSRoute') {
      return (spec.parentRefs ?? []).some((r) => r.kind !== undefined && r.kind !== 'Gateway');
    }
    return !GATEWAY_SCOPED.has(o.kind);
  });
}
