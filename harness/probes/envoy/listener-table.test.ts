import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { check } from '../../checks/check.ts';
import { formatListenerTable, listenersOf, listenerTable } from './listener-table.ts';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../evidence/fixtures/${name}`, import.meta.url), 'utf8'));
const rows = (dump: unknown, port?: number) =>
  listenerTable(dump, port === undefined ? {} : { port }).map((r) => [r.address, r.port, r.match, r.destination].join(' | '));

test('a TCP ServiceEntry without addresses: 0.0.0.0 443 ALL to its cluster (the hijack)', () => {
  assert.deepEqual(rows(fixture('sidecar-config-dump-se-tcp.json'), 443), [
    '0.0.0.0 | 443 | ALL | Cluster: outbound|443||traefik.cutom-name',
    '10.96.0.1 | 443 | ALL | Cluster: outbound|443||kubernetes.default.svc.cluster.local',
  ]);
});

test('a TLS ServiceEntry: an SNI chain plus the passthrough default chain', () => {
  assert.deepEqual(rows(fixture('sidecar-config-dump-se-tls.json'), 443), [
    '0.0.0.0 | 443 | ALL | PassthroughCluster',
    '0.0.0.0 | 443 | SNI: traefik.cutom-name | Cluster: outbound|443||traefik.cutom-name',
    '10.96.0.1 | 443 | ALL | Cluster: outbound|443||kubernetes.default.svc.cluster.local',
  ]);
});

test('the whole table in istioctl order: HTTP routes, virtualOutbound, virtualInbound, static listeners', () => {
  assert.deepEqual(rows(fixture('sidecar-config-dump-se-tcp.json')), [
    '0.0.0.0 | 443 | ALL | Cluster: outbound|443||traefik.cutom-name',
    '10.96.0.1 | 443 | ALL | Cluster: outbound|443||kubernetes.default.svc.cluster.local',
    '0.0.0.0 | 3306 | ALL | Cluster: outbound|3306||mysql.demo',
    '0.0.0.0 | 8000 | Trans: raw_buffer; App: http/1.1,h2c | Route: 8000',
    '0.0.0.0 | 8000 | ALL | PassthroughCluster',
    '0.0.0.0 | 15001 | ALL | PassthroughCluster',
    '0.0.0.0 | 15001 | Addr: *:15001 | Non-HTTP/Non-TCP',
    '0.0.0.0 | 15006 | Addr: *:15006 | Non-HTTP/Non-TCP',
    '0.0.0.0 | 15006 | Trans: raw_buffer; App: http/1.1,h2c | InboundPassthroughCluster',
    '0.0.0.0 | 15006 | Trans: tls; App: istio-http/1.0,istio-http/1.1,istio-h2; Addr: *:8080 | Cluster: inbound|8080||',
    '0.0.0.0 | 15006 | Trans: raw_buffer; Addr: *:8080 | Cluster: inbound|8080||',
    '0.0.0.0 | 15090 | ALL | Inline Route: /stats/prometheus*',
  ]);
});

test('istioctl -o json (a camelCase array of listeners) gives the same rows', () => {
  const camel = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(camel)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v).map(([k, x]) => [
              k.startsWith('@') ? k : k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
              camel(x),
            ]),
          )
        : v;
  const dump = fixture('sidecar-config-dump-se-tls.json');
  const asIstioctlJson = camel(listenersOf(dump));
  assert.deepEqual(rows(asIstioctlJson), rows(dump));
});

test('the printed table and the listener checks read like the write-up', () => {
  const table = listenerTable(fixture('sidecar-config-dump-se-tcp.json'), { port: 3306 });
  assert.equal(
    formatListenerTable(table),
    ['ADDRESSES PORT MATCH DESTINATION', '0.0.0.0   3306 ALL   Cluster: outbound|3306||mysql.demo', ''].join('\n'),
  );
  const observation = {
    kind: 'envoy' as const,
    what: 'listeners' as const,
    listeners: listenerTable(fixture('sidecar-config-dump-se-tcp.json')),
  };
  assert.equal(
    check.listener({ address: '0.0.0.0', port: 443, match: 'ALL', destination: 'outbound|443||traefik.cutom-name' }).evaluate(observation)
      .ok,
    true,
  );
  const tls = { ...observation, listeners: listenerTable(fixture('sidecar-config-dump-se-tls.json')) };
  const r = check.listener({ address: '0.0.0.0', port: 443, match: 'ALL', destination: /traefik/ }).evaluate(tls);
  assert.equal(r.ok, false);
  assert.match(r.message, /got 0\.0\.0\.0 443 ALL PassthroughCluster \| 0\.0\.0\.0 443 SNI: traefik\.cutom-name/);
});

test('cluster TLS evidence: the mTLS socket under transport_socket_matches, plain text otherwise', async () => {
  const { clusterTlsTable, formatClusterTls } = await import('./cluster-tls.ts');
  const rows = clusterTlsTable(fixture('sidecar-config-dump-se-tcp.json'));
  assert.deepEqual(rows, [
    {
      cluster: 'outbound|8000||httpbin.demo1.svc.cluster.local',
      transport: 'tls (transport_socket_matches)',
      sni: 'outbound_.8000_._.httpbin.demo1.svc.cluster.local',
      alpn: ['istio-peer-exchange', 'istio'],
    },
    { cluster: 'outbound|3306||mysql.demo', transport: 'plain text (no transport socket)' },
  ]);
  assert.match(formatClusterTls(rows), /^outbound\|8000\|\|httpbin\.demo1\.svc\.cluster\.local\ttls \(transport_socket_matches\)\tsni=/);
});
