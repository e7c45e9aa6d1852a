/**
 * Calibration of the config level against the write-up's own recorded output
 * (EXTERNAL_TCP_UNREACHABLE in scenarios/write-ups.ts: the `istioctl pc listener <client> --port
 * 3306` tables and the client's cluster for mysql-server, Istio 1.x of 2021). The tables are compared row by row with Service addresses replaced by the
 * Service they belong to, since ClusterIPs differ between clusters. Differences, each explained:
 * - The write-up's last table (after the Sidecar) also lists `outbound|3306||mysql-client…`: the
 *   write-up's client had a Service on 3306; ours (curl) has none, so that row cannot exist here.
 * - The write-up shows no "before" table with the entry on another port; `fixed-other-port` stands
 *   for it (the entry on 3307 leaves 3306 as before the entry existed).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listenerTable } from '../../harness/probes/envoy/listener-table.ts';
import { configRun, registry } from '../../harness/config-level/testing/config-run.ts';

// Recorded in the write-up (ADDRESS PORT MATCH DESTINATION), one line per row.
const RECORDED = {
  withoutEntry: ['10.68.228.107 3306 ALL Cluster: outbound|3306||mysql-server.demo1.svc.cluster.local'],
  broken: [
    '0.0.0.0 3306 ALL Cluster: outbound|3306||mysql.demo',
    '10.68.228.107 3306 ALL Cluster: outbound|3306||mysql-server.demo1.svc.cluster.local',
  ],
  afterSidecar: [
    '10.68.228.107 3306 ALL Cluster: outbound|3306||mysql-server.demo1.svc.cluster.local',
    '10.68.66.97 3306 ALL Cluster: outbound|3306||mysql-client.demo1.svc.cluster.local',
  ],
};
const SNI = 'outbound_.3306_._.mysql-server.demo1.svc.cluster.local';

/** A row with its Service address replaced by the Service it sends to (wildcards stay). */
const normal = (row: string) =>
  row.replace(/^(\d+\.\d+\.\d+\.\d+)(?= 3306 ALL Cluster: outbound\|3306\|\|([^ ]+)$)/, (_m: string, ip: string, svc: string) =>
    ip === '0.0.0.0' ? ip : `<ip of ${svc}>`,
  );

test("calibration: the generated 3306 listener rows match the write-up's tables, on every build", { timeout: 600_000 }, async () => {
  const scenario = (await registry()).find((s) => s.id === 'serviceentry-in-other-namespace-captures-tcp-port')!;
  const { outputs } = await configRun([scenario], undefined, ['broken', 'fixed-sidecar-scope', 'fixed-other-port']);
  for (const [istio, phases] of outputs) {
    const rows = (phase: string) =>
      listenerTable(phases.get(`${scenario.id}/${phase}`)!.proxies['curl']!.configDump, { port: 3306 })
        .map((r) => normal(`${r.address} ${r.port} ${r.match} ${r.destination}`))
        .sort();
    assert.deepEqual(rows('broken'), RECORDED.broken.map(normal).sort(), `istio ${istio}: broken`);
    assert.deepEqual(rows('fixed-other-port'), RECORDED.withoutEntry.map(normal).sort(), `istio ${istio}: without the entry on 3306`);
    // The write-up's client Service row is the one explained difference.
    assert.deepEqual(
      rows('fixed-sidecar-scope'),
      RECORDED.afterSidecar
        .filter((r) => !r.includes('mysql-client'))
        .map(normal)
        .sort(),
      `istio ${istio}: after the Sidecar`,
    );
    // The client's cluster for mysql-server: Istio mTLS towards meshed endpoints with the SNI the write-up printed.
    assert.ok(
      JSON.stringify(phases.get(`${scenario.id}/broken`)!.proxies['curl']!.configDump).includes(`"sni":"${SNI}"`) ||
        JSON.stringify(phases.get(`${scenario.id}/broken`)!.proxies['curl']!.configDump).includes(`"sni": "${SNI}"`),
      `istio ${istio}: cluster SNI ${SNI}`,
    );
  }
});
