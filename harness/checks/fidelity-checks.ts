/**
 * Checks that tell a phase's own config from a neighbouring state: which certificate problem curl
 * reported (not only its exit code), and what a DestinationRule put on the client's cluster.
 */
import type { Check } from '../model/check.ts';
import type { ClusterRow, EnvoyObservation, HttpObservation } from '../model/observation.ts';
import { makeCheck, quote, result, showPattern } from './describe.ts';

/** A check given an observation it cannot judge fails (a wiring mistake is never a pass). */
function notFor(name: string, o: unknown, wanted: string) {
  const k = o as { kind?: unknown; what?: unknown } | undefined;
  const got = k?.kind === undefined ? 'no observation' : `a ${String(k.kind)}${k.kind === 'envoy' ? ` ${String(k.what)}` : ''} observation`;
  return result(false, `expected ${wanted} observation for ${name}, got ${got}`);
}

/**
 * curl's own error line matches `pattern` for every response. Exit 60 alone cannot tell a
 * self-signed impostor ("self-signed certificate") from a real site whose CA the client lacks
 * ("unable to get local issuer certificate"); the text can.
 */
export function curlError(pattern: RegExp): Check<HttpObservation> {
  const name = `curlError(${showPattern(pattern)})`;
  return makeCheck(name, (o: HttpObservation) => {
    if (o?.kind !== 'http') return notFor(name, o, 'an http');
    const bad = o.responses.findIndex((r) => !pattern.test(r.curlError ?? ''));
    if (bad === -1) return result(true, `curl said ${quote(o.responses[0]?.curlError)}`);
    const r = o.responses[bad]!;
    return result(
      false,
      `expected curl's error to match ${showPattern(pattern)}, got ${r.curlError === undefined ? 'no error' : quote(r.curlError)} (exit ${r.curlExit}) in response ${bad + 1} of ${o.responses.length}`,
    );
  });
}

export type ClusterPattern = {
  /** Substring of the cluster name, e.g. `httpbin.foo.svc.cluster.local`. */
  name: string;
  /**
   * `tls` (transport_socket: a tls mode the DestinationRule states), `tls (transport_socket_matches)`
   * (auto mTLS chose per endpoint), `any tls` (either) or `plain`.
   */
  transport?: 'tls' | 'tls (transport_socket_matches)' | 'any tls' | 'plain';
  maxConnections?: number;
};

const showCluster = (c: ClusterRow) =>
  `${c.cluster} ${c.transport}${c.maxConnections !== undefined ? ` max_connections=${c.maxConnections}` : ''}`;
const transportIs = (c: ClusterRow, want: NonNullable<ClusterPattern['transport']>) =>
  want === 'plain' ? !c.transport.startsWith('tls') : want === 'any tls' ? c.transport.startsWith('tls') : c.transport === want;

/** Some outbound cluster of the sidecar matches the pattern (from an envoy `clusters` probe). */
export function cluster(want: ClusterPattern): Check<EnvoyObservation> {
  const text = [want.name, want.transport ?? '*', want.maxConnections !== undefined ? `max_connections=${want.maxConnections}` : '']
    .filter(Boolean)
    .join(' ');
  const name = `cluster(${text})`;
  return makeCheck(name, (o: EnvoyObservation) => {
    if (o?.kind !== 'envoy' || o.what !== 'clusters') return notFor(name, o, 'an envoy clusters');
    const named = o.clusters.filter((c) => c.cluster.includes(want.name));
    const hit = named.find(
      (c) =>
        (want.transport === undefined || transportIs(c, want.transport)) &&
        (want.maxConnections === undefined || c.maxConnections === want.maxConnections),
    );
    if (hit) return result(true, `cluster ${showCluster(hit)}`);
    return result(
      false,
      `expected a cluster ${text}, got ${named.length === 0 ? `no cluster named like ${JSON.stringify(want.name)} (${o.clusters.length} cluster(s))` : named.map(showCluster).join('; ')}`,
    );
  });
}
