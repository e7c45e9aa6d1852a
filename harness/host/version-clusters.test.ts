import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_HOST_PORTS } from '../cluster/kind-config.ts';
import { clusterForVersion, clusterNames, roomForClusters, versionClusters } from './version-clusters.ts';

const GiB = 1024 ** 3;

test("by default every Istio version runs on the run's one cluster with the default ports (a 2-core CI runner)", () => {
  const run = { clusterName: 'casebook', istio: ['1.31.4', '1.32.0'], parallelVersions: false };
  assert.deepEqual(
    versionClusters(run).map((c) => [c.name, c.hostPorts, c.dir]),
    [
      ['casebook', DEFAULT_HOST_PORTS, ''],
      ['casebook', DEFAULT_HOST_PORTS, ''],
    ],
  );
  assert.deepEqual(clusterNames(run), ['casebook']);
  // One version with the flag: nothing to run beside it, the run's cluster as usual.
  assert.equal(clusterForVersion({ ...run, istio: ['1.32.0'], parallelVersions: true }, '1.32.0').name, 'casebook');
});

test('--parallel-versions: a cluster per version with distinct names, host ports and folders', () => {
  const run = { clusterName: 'casebook', istio: ['1.30.8', '1.31.4', '1.32.0'], parallelVersions: true };
  const clusters = versionClusters(run);
  assert.deepEqual(
    clusters.map((c) => c.name),
    ['casebook-istio-1-30-8', 'casebook-istio-1-31-4', 'casebook-istio-1-32-0'],
  );
  assert.deepEqual(
    clusters.map((c) => c.hostPorts),
    [
      { http: 8080, https: 8443, status: 15021 },
      { http: 8180, https: 8543, status: 15121 },
      { http: 8280, https: 8643, status: 15221 },
    ],
  );
  const ports = clusters.flatMap((c) => Object.values(c.hostPorts));
  assert.equal(new Set(ports).size, ports.length, 'no host port twice');
  assert.deepEqual(
    clusters.map((c) => c.dir),
    clusters.map((c) => c.name),
  );
  assert.deepEqual(
    clusterNames(run),
    clusters.map((c) => c.name),
  );
  assert.equal(clusterForVersion(run, '1.31.4').name, 'casebook-istio-1-31-4');
  // Names kind accepts (harness/cluster/kind-cluster.ts), also for a pre-release.
  assert.match(versionClusters({ ...run, istio: ['1.32.0-beta.1', '1.32.0'] })[0]!.name, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
});

test('room for clusters at once: 2 cores and 3 GiB free memory each, the shortfall named with its figures', () => {
  assert.deepEqual(roomForClusters(2, { cores: 8, freeMemoryBytes: 16 * GiB }), { ok: true });
  const ci = roomForClusters(2, { cores: 2, freeMemoryBytes: 5 * GiB });
  assert.equal(ci.ok, false);
  assert.match(
    ci.ok ? '' : ci.reason,
    /2 kind clusters at once need 2 cores and 3\.0 GiB each; this machine has 2 core\(s\), 4 needed; 5\.0 GiB free memory, 6\.0 GiB needed/,
  );
});
