import type { ClusterRow } from '../../model/observation.ts';

/**
 * Which outbound clusters of a sidecar speak TLS: from `config_dump?resource=dynamic_active_clusters`.
 * The DestinationRule-without-tls incident shows up here: the cluster loses its
 * `envoy.transport_sockets.tls` socket (or its istio mTLS match) and sends plain text.
 */
export type ClusterTlsRow = ClusterRow;

type Json = Record<string, unknown>;
const get = (o: unknown, k: string): unknown =>
  o && typeof o === 'object' ? ((o as Json)[k] ?? (o as Json)[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())]) : undefined;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function clusterTlsTable(dump: unknown): ClusterTlsRow[] {
  const clusters: unknown[] = [];
  for (const c of arr(get(dump, 'configs'))) {
    const type = String(get(c, '@type') ?? '');
    if (type.endsWith('.ClustersConfigDump')) for (const d of arr(get(c, 'dynamic_active_clusters'))) clusters.push(get(d, 'cluster'));
    else if (type.endsWith('.ClustersConfigDump.DynamicCluster')) clusters.push(get(c, 'cluster'));
  }
  return clusters.filter(Boolean).map((cl) => {
    const name = String(get(cl, 'name') ?? '');
    // A DestinationRule's connectionPool.tcp.maxConnections lands in the default-priority threshold.
    const thresholds = arr(get(get(cl, 'circuit_breakers'), 'thresholds'));
    const def = thresholds.find((t) => (get(t, 'priority') ?? 'DEFAULT') === 'DEFAULT');
    const max = Number(get(def, 'max_connections'));
    const limits = Number.isFinite(max) && get(def, 'max_connections') !== undefined ? { maxConnections: max } : {};
    // Istio puts the mTLS socket in transport_socket_matches (tlsMode-istio) under auto mTLS, or directly in transport_socket.
    const sockets = [
      get(cl, 'transport_socket'),
      ...arr(get(cl, 'transport_socket_matches')).map((m) => get(m, 'transport_socket')),
    ].filter(Boolean);
    const tls = sockets.find((s) => String(get(s, 'name') ?? '').includes('tls'));
    if (!tls)
      return { cluster: name, transport: sockets.length ? String(get(sockets[0], 'name')) : 'plain text (no transport socket)', ...limits };
    const tc = get(tls, 'typed_config');
    const sni = get(tc, 'sni');
    const alpn = arr(get(get(tc, 'common_tls_context'), 'alpn_protocols')).map(String);
    const via = sockets.indexOf(tls) === 0 && get(cl, 'transport_socket') ? 'tls' : 'tls (transport_socket_matches)';
    return { cluster: name, transport: via, ...(typeof sni === 'string' ? { sni } : {}), ...(alpn.length ? { alpn } : {}), ...limits };
  });
}

export function formatClusterTls(rows: readonly ClusterTlsRow[]): string {
  return (
    rows
      .map(
        (r) =>
          `${r.cluster}\t${r.transport}${r.sni ? `\tsni=${r.sni}` : ''}${r.alpn ? `\talpn=${r.alpn.join(',')}` : ''}${r.maxConnections !== undefined ? `\tmax_connections=${r.maxConnections}` : ''}`,
      )
      .join('\n') + '\n'
  );
}
