import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRunEnv, E2E_SCENARIO, encodeRunEnv, runEnvFromOptions } from './run-env.ts';

const DEFAULTS = { istio: ['1.30.3'], root: '/repo', now: new Date('2026-11-22T10:11:12.345Z') };

test('run options survive the trip through the environment to the Playwright processes', () => {
  const env = runEnvFromOptions(
    {
      ids: ['a', 'b'],
      istio: ['1.29.6', '1.30.3'],
      cluster: 'existing',
      kubeconfig: '/k/config',
      context: 'ctx',
      keep: true,
      phases: ['broken'],
      shard: '1/2',
      mirror: 'http://mirror.local',
      manageIstio: true,
      reportRoot: '/repo/reports',
    },
    'r42',
  );
  const decoded = decodeRunEnv(encodeRunEnv(env), DEFAULTS);
  assert.deepEqual(decoded, env);
  assert.equal(decoded.reportDir, '/repo/reports/r42');
  assert.equal(decoded.mode, 'run');
});

test('started directly (npm run test:e2e), the run is the first scenario on the default Istio with a kind cluster', () => {
  const env = decodeRunEnv({}, DEFAULTS);
  assert.equal(env.mode, 'e2e');
  assert.deepEqual(env.ids, [E2E_SCENARIO]);
  assert.deepEqual(env.istio, ['1.30.3']);
  assert.equal(env.cluster, 'kind');
  assert.equal(env.keep, false);
  assert.match(env.runId, /^e2e-20261122-101112z-[a-z0-9]{1,4}$/);
  assert.equal(env.reportDir, `/repo/reports/${env.runId}`);
});

test('an empty id list from casebook run means every scenario', () => {
  const env = decodeRunEnv({ CASEBOOK_RUN_ID: 'r1', CASEBOOK_IDS: '', CASEBOOK_ISTIO: '1.30.3' }, DEFAULTS);
  assert.deepEqual(env.ids, []);
});

test('--concurrency and --parallel-versions reach the Playwright processes; parallel versions only for kind with several versions', () => {
  const base = {
    ids: [],
    istio: ['1.31.4', '1.32.0'],
    cluster: 'kind' as const,
    keep: false,
    manageIstio: false,
    reportRoot: '/repo/reports',
  };
  const env = runEnvFromOptions({ ...base, concurrency: 3, parallelVersions: true }, 'r43');
  assert.deepEqual([env.concurrency, env.parallelVersions], [3, true]);
  assert.deepEqual(decodeRunEnv(encodeRunEnv(env), DEFAULTS), env);
  assert.deepEqual([runEnvFromOptions(base, 'r').concurrency, runEnvFromOptions(base, 'r').parallelVersions], [3, false]);
  assert.equal(runEnvFromOptions({ ...base, istio: ['1.32.0'], parallelVersions: true }, 'r').parallelVersions, false);
  assert.equal(runEnvFromOptions({ ...base, cluster: 'existing', parallelVersions: true }, 'r').parallelVersions, false);
});
