import type { ListenerRow } from '../../model/observation.ts';

/**
 * The listener table of `istioctl proxy-config listener <pod>` (columns ADDRESSES PORT MATCH
 * DESTINATION), built from an Envoy config dump (`pilot-agent request GET config_dump`), so we
 * need no istioctl binary. The rules follow istioctl's writer
 * (istio/istio istioctl/pkg/writer/envoy/configdump/listener.go: getMatches, getFilterType,
 * describeRouteConfig): one row per filter chain plus the default filter chain; MATCH is `ALL`
 * when the chain has no match; a tcp_proxy to a cluster prints `Cluster: <name>` (names already
 * containing "Cluster", e.g. PassthroughCluster, print bare); an HTTP connection manager prints
 * `Route: <rds name>`; a BlackHoleCluster tcp_proxy prints `Non-HTTP/Non-TCP`.
 *
 * Envoy's admin endpoint writes proto field names (snake_case); `istioctl … -o json` writes
 * camelCase. Both are read.
 */
type Json = Record<string, unknown>;

const HCM = 'envoy.filters.network.http_connection_manager';
const TCP_PROXY = 'envoy.filters.network.tcp_proxy';

/** istioctl names these ALPN sets instead of listing them. */
const ALPN_NAMES: [string, string[]][] = [
  ['App: HTTP TLS', ['http/1.0', 'http/1.1', 'h2c', 'istio-http/1.0', 'istio-http/1.1', 'istio-h2']],
  ['App: Istio HTTP Plain', ['istio', 'istio-http/1.0', 'istio-http/1.1', 'istio-h2']],
  ['App: TCP TLS', ['istio-peer-exchange', 'istio']],
  ['App: HTTP', ['http/1.0', 'http/1.1', 'h2c']],
];

function get(o: unknown, snake: string): unknown {
  if (o === null || typeof o !== 'object') return undefined;
  const camel = snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  const r = o as Json;
  return r[snake] ?? r[camel];
}
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** Every listener in the dump: dynamic (active state) and static, as istioctl collects them. */
export function listenersOf(configDump: unknown): Json[] {
  const out: Json[] = [];
  for (const c of arr(get(configDump, 'configs'))) {
    const type = str(get(c, '@type'));
    if (type.endsWith('.ListenersConfigDump')) {
      for (const d of arr(get(c, 'dynamic_listeners'))) {
        const l = get(get(d, 'active_state'), 'listener');
        if (l && typeof l === 'object') out.push(l as Json);
      }
      for (const s of arr(get(c, 'static_listeners'))) {
        const l = get(s, 'listener');
        if (l && typeof l === 'object') out.push(l as Json);
      }
    } else if (type.endsWith('.ListenersConfigDump.DynamicListener')) {
      // `config_dump?resource=dynamic_listeners` lists the entries themselves.
      const l = get(get(c, 'active_state'), 'listener');
      if (l && typeof l === 'object') out.push(l as Json);
    }
  }
  // `istioctl proxy-config listener -o json` prints the listeners as a bare array.
  if (out.length === 0 && Array.isArray(configDump)) for (const l of configDump) if (l && typeof l === 'object') out.push(l as Json);
  return out;
}

function socketAddress(l: Json): { address: string; port: number } {
  const sa = get(get(l, 'address'), 'socket_address');
  const pipe = get(get(l, 'address'), 'pipe');
  return { address: sa ? str(get(sa, 'address')) : str(get(pipe, 'path')), port: Number(get(sa, 'port_value') ?? 0) };
}

function addresses(l: Json): string {
  const extra = arr(get(l, 'additional_addresses')).map((a) => str(get(get(get(a, 'address'), 'socket_address'), 'address')));
  return [socketAddress(l).address, ...extra].join(',');
}

function chainsOf(l: Json): Json[] {
  const chains = arr(get(l, 'filter_chains')) as Json[];
  const def = get(l, 'default_filter_chain');
  return def && typeof def === 'object' ? [...chains, def as Json] : chains;
}

export function matchOf(fcm: unknown): string {
  const parts: string[] = [];
  const sni = arr(get(fcm, 'server_names')).map(str);
  if (sni.length > 0) parts.push(`SNI: ${sni.join(',')}`);
  const transport = str(get(fcm, 'transport_protocol'));
  if (transport) parts.push(`Trans: ${transport}`);
  const alpn = arr(get(fcm, 'application_protocols')).map(str);
  if (alpn.length > 0) {
    const named = ALPN_NAMES.find(([, set]) => set.length === alpn.length && set.every((p, i) => p === alpn[i]));
    parts.push(named ? named[0] : `App: ${alpn.join(',')}`);
  }
  const dp = get(fcm, 'destination_port');
  const port = dp !== undefined && dp !== null ? `:${str(typeof dp === 'object' ? get(dp, 'value') : dp)}` : '';
  const ranges = arr(get(fcm, 'prefix_ranges'));
  if (ranges.length > 0) {
    parts.push(`Addr: ${ranges.map((r) => `${str(get(r, 'address_prefix'))}/${str(get(r, 'prefix_len')) || '0'}`).join(',')}${port}`);
  } else if (port) {
    parts.push(`Addr: *${port}`);
  }
  return parts.length === 0 ? 'ALL' : parts.join('; ');
}

const clusterLabel = (name: string) => (name.includes('Cluster') ? name : `Cluster: ${name}`);

export function destinationOf(filters: unknown[]): string {
  for (const f of filters) {
    const name = str(get(f, 'name'));
    const tc = get(f, 'typed_config');
    if (name === HCM) {
      const inline = get(tc, 'route_config');
      if (inline) return describeInlineRoutes(inline);
      const rds = str(get(get(tc, 'rds'), 'route_config_name'));
      return rds ? `Route: ${rds}` : 'HTTP';
    }
    if (name === TCP_PROXY && !JSON.stringify(tc ?? {}).includes('BlackHoleCluster')) {
      return clusterLabel(str(get(tc, 'cluster')));
    }
  }
  return 'Non-HTTP/Non-TCP';
}

function describeInlineRoutes(rc: unknown): string {
  const vhosts = arr(get(rc, 'virtual_hosts'));
  const only = vhosts.length === 1 ? vhosts[0] : undefined;
  const routes = arr(get(only, 'routes'));
  const domains = arr(get(only, 'domains')).map(str);
  const single = routes.length === 1 ? routes[0] : undefined;
  const cluster = str(get(get(single, 'route'), 'cluster'));
  if (only && domains.length === 1 && domains[0] === '*' && str(get(get(single, 'match'), 'prefix')) === '/' && cluster) {
    return clusterLabel(cluster);
  }
  const describeMatch = (m: unknown) =>
    [
      str(get(m, 'prefix')) && `${str(get(m, 'prefix'))}*`,
      str(get(m, 'path_separated_prefix')) && `PathPrefix:${str(get(m, 'path_separated_prefix'))}`,
      str(get(m, 'path')),
      str(get(get(m, 'safe_regex'), 'regex')) && `regex ${str(get(get(m, 'safe_regex'), 'regex'))}`,
    ]
      .filter(Boolean)
      .join(' ');
  const described = vhosts.map((vh) => {
    const ds = arr(get(vh, 'domains')).map(str);
    const rs = arr(get(vh, 'routes'))
      .map((r) => describeMatch(get(r, 'match')))
      .join(', ');
    return ds.length === 1 && ds[0] === '*' ? rs : `${ds.join('/')} ${rs}`;
  });
  return `Inline Route: ${described.join('; ')}`;
}

function listenerType(l: Json): string {
  let http = 0;
  let tcp = 0;
  for (const fc of chainsOf(l)) {
    for (const f of arr(get(fc, 'filters'))) {
      if (str(get(f, 'name')) === HCM) http++;
      else if (str(get(f, 'name')) === TCP_PROXY && !JSON.stringify(get(f, 'typed_config') ?? {}).includes('BlackHoleCluster')) tcp++;
    }
  }
  if (http > 0) return tcp === 0 ? 'HTTP' : 'HTTP+TCP';
  return tcp > 0 ? 'TCP' : 'UNKNOWN';
}

/** Rows in istioctl's order: by port, then address, then listener type; within a listener by destination, descending. */
export function listenerTable(configDump: unknown, filter: { port?: number; address?: string } = {}): ListenerRow[] {
  const listeners = listenersOf(configDump)
    .filter((l) => filter.port === undefined || socketAddress(l).port === filter.port)
    .filter(
      (l) =>
        filter.address === undefined ||
        addresses(l)
          .split(',')
          .some((a) => a.toLowerCase() === filter.address!.toLowerCase()),
    );
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  listeners.sort((a, b) => {
    const pa = socketAddress(a);
    const pb = socketAddress(b);
    return pa.port - pb.port || cmp(pa.address, pb.address) || cmp(listenerType(a), listenerType(b));
  });
  const rows: ListenerRow[] = [];
  for (const l of listeners) {
    const { port } = socketAddress(l);
    const chains = chainsOf(l).map((fc) => ({
      match: matchOf(get(fc, 'filter_chain_match')),
      destination: destinationOf(arr(get(fc, 'filters'))),
    }));
    chains.sort((x, y) => cmp(y.destination, x.destination));
    for (const c of chains) rows.push({ address: addresses(l), port, match: c.match, destination: c.destination });
  }
  return rows;
}

/** The table as istioctl prints it (tab-aligned), for evidence files and console output. */
export function formatListenerTable(rows: readonly ListenerRow[]): string {
  const table = [['ADDRESSES', 'PORT', 'MATCH', 'DESTINATION'], ...rows.map((r) => [r.address, String(r.port), r.match, r.destination])];
  const widths = [0, 1, 2].map((i) => Math.max(...table.map((row) => row[i]!.length)));
  return table.map((row) => row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]! + 1) : cell)).join('')).join('\n') + '\n';
}
