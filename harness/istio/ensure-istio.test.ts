// Unit tests: no cluster, no istioctl. istioctl is a recording runner (exact argv asserted) and
// the cluster side is an in-memory IstioClusterApi; the rendered IstioOperator file is real.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ensureIstio } from './ensure-istio.ts';
import type { IstioClusterApi } from './install-store.ts';
import type { InstallRecord } from './install-decision.ts';
import type { ClusterHandle } from '../cluster/cluster-handle.ts';
import { cmd, recordingRunner } from '../tools/testing/recording-runner.ts';
import { InfrastructureError } from '../model/errors.ts';

const ISTIOCTL = '/opt/istioctl';
const baseProfile = { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', spec: { profile: 'default' } };
const mesh = { profile: 'casebook-demo', meshConfig: { enableAutoMtls: false } };

function cluster(over: Partial<ClusterHandle> = {}): ClusterHandle {
  return {
    provider: 'kind',
    name: 'cb',
    kubeconfigPath: '/run/kubeconfig',
    context: 'kind-cb',
    created: true,
    manageIstio: true,
    cleanupCommand: '',
    delete: async () => {},
    ...over,
  };
}

function fakeApi(state: { record?: InstallRecord; istiod?: boolean; notReady?: string }) {
  const events: string[] = [];
  const api: IstioClusterApi = {
    readRecord: async () => state.record,
    writeRecord: async (r) => {
      events.push(`write ${r.version} ${r.hash}`);
      state.record = r;
    },
    deleteRecord: async () => {
      events.push('delete-record');
      delete state.record;
    },
    istiodPresent: async () => state.istiod ?? false,
    waitReady: async (deployments, timeoutMs) => {
      events.push(`wait ${deployments.join(',')} ${timeoutMs}`);
      if (state.notReady) throw new InfrastructureError(`Istio is not ready in istio-system: ${state.notReady}`);
      state.istiod = true;
    },
  };
  return { api, events, state };
}

const istioctlOk = () => recordingRunner([{ match: cmd(ISTIOCTL), result: {}, lines: ['✔ Istio core installed ⛵️'] }]);

test('first install: renders the operator into the run folder, runs istioctl install, waits, then records the hash', async () => {
  const runDir = await mkdtemp(join(tmpdir(), 'casebook-istio-'));
  const runner = istioctlOk();
  const { api, events, state } = fakeApi({});
  const lines: string[] = [];
  const install = await ensureIstio({
    cluster: cluster(),
    version: '1.30.3',
    mesh,
    baseProfile,
    runDir,
    istioctlPath: ISTIOCTL,
    runner,
    api,
    readinessTimeoutMs: 120_000,
    onProgress: (l) => lines.push(l),
  });
  assert.equal(install.action, 'installed');
  assert.equal(install.operatorPath, join(runDir, `istio-operator-${install.hash}.yaml`));
  assert.deepEqual(
    runner.calls.map((c) => c.args),
    [
      [
        'install',
        '-y',
        '-f',
        install.operatorPath,
        '--readiness-timeout',
        '120s',
        '--kubeconfig',
        '/run/kubeconfig',
        '--context',
        'kind-cb',
      ],
    ],
  );
  assert.deepEqual(events, ['delete-record', 'wait istiod,istio-ingressgateway 120000', `write 1.30.3 ${install.hash}`]);
  assert.deepEqual(state.record, { hash: install.hash, version: '1.30.3', profile: 'casebook-demo' });
  const written = parse(await readFile(install.operatorPath, 'utf8')) as { spec: { meshConfig: Record<string, unknown> } };
  assert.deepEqual(written.spec.meshConfig, { accessLogFile: '/dev/stdout', enableAutoMtls: false });
  assert.ok(lines.includes('✔ Istio core installed ⛵️'));
});

test('same hash: reused without running istioctl; a different mesh override reinstalls over it', async () => {
  const runDir = await mkdtemp(join(tmpdir(), 'casebook-istio-'));
  const fake = fakeApi({});
  const first = await ensureIstio({
    cluster: cluster(),
    version: '1.30.3',
    mesh,
    baseProfile,
    runDir,
    istioctlPath: ISTIOCTL,
    runner: istioctlOk(),
    api: fake.api,
  });
  const runner = istioctlOk();
  const again = await ensureIstio({
    cluster: cluster(),
    version: '1.30.3',
    mesh,
    baseProfile,
    runDir,
    istioctlPath: ISTIOCTL,
    runner,
    api: fake.api,
  });
  assert.equal(again.action, 'reused');
  assert.equal(again.hash, first.hash);
  assert.equal(runner.calls.length, 0);

  const changed = await ensureIstio({
    cluster: cluster(),
    version: '1.30.3',
    mesh: { profile: 'casebook-demo' },
    baseProfile,
    runDir,
    istioctlPath: ISTIOCTL,
    runner,
    api: fake.api,
  });
  assert.equal(changed.action, 'reinstalled');
  assert.notEqual(changed.hash, first.hash);
  assert.deepEqual(
    runner.calls.map((c) => c.args[0]),
    ['install'],
  );
});

test('another version: istioctl uninstall --purge first, then install', async () => {
  const runDir = await mkdtemp(join(tmpdir(), 'casebook-istio-'));
  const runner = istioctlOk();
  const { api } = fakeApi({ record: { hash: 'old', version: '1.29.6', profile: 'casebook-demo' }, istiod: true });
  const r = await ensureIstio({ cluster: cluster(), version: '1.30.3', mesh, baseProfile, runDir, istioctlPath: ISTIOCTL, runner, api });
  assert.equal(r.action, 'reinstalled');
  assert.deepEqual(
    runner.calls.map((c) => c.args.slice(0, 3)),
    [
      ['uninstall', '--purge', '-y'],
      ['install', '-y', '-f'],
    ],
  );
});

test('existing cluster without --manage-istio: refused before istioctl runs; uninstall() is refused too', async () => {
  const runDir = await mkdtemp(join(tmpdir(), 'casebook-istio-'));
  const runner = istioctlOk();
  const { api } = fakeApi({ istiod: true });
  const existing = cluster({ provider: 'existing', name: 'prod', manageIstio: false });
  await assert.rejects(
    ensureIstio({ cluster: existing, version: '1.30.3', mesh, baseProfile, runDir, istioctlPath: ISTIOCTL, runner, api }),
    (e: Error) => e.name === 'PrerequisiteError' && e.message.includes('prod'),
  );
  assert.equal(runner.calls.length, 0);

  // Our own matching install there is accepted, but not removable without the flag.
  const fake = fakeApi({});
  const ours = await ensureIstio({
    cluster: cluster(),
    version: '1.30.3',
    mesh,
    baseProfile,
    runDir,
    istioctlPath: ISTIOCTL,
    runner: istioctlOk(),
    api: fake.api,
  });
  const reused = await ensureIstio({
    cluster: existing,
    version: '1.30.3',
    mesh,
    baseProfile,
    runDir,
    istioctlPath: ISTIOCTL,
    runner,
    api: fake.api,
  });
  assert.equal(reused.hash, ours.hash);
  await assert.rejects(reused.uninstall(), /refusing to uninstall Istio from prod/);
  assert.equal(runner.calls.length, 0);
});

test('not ready in time: the error names the deployment, and no record is written (next run reinstalls)', async () => {
  const runDir = await mkdtemp(join(tmpdir(), 'casebook-istio-'));
  const { api, state } = fakeApi({
    notReady: 'not rolled out after 300s: deployment istio-system/istio-ingressgateway: 0 of 1 updated replicas available',
  });
  await assert.rejects(
    ensureIstio({ cluster: cluster(), version: '1.30.3', mesh, baseProfile, runDir, istioctlPath: ISTIOCTL, runner: istioctlOk(), api }),
    (e: Error) => e.name === 'InfrastructureError' && e.message.includes('istio-ingressgateway'),
  );
  assert.equal(state.record, undefined);
});

test('istioctl install failing: InfrastructureError with its last output lines and the operator file path', async () => {
  const runDir = await mkdtemp(join(tmpdir(), 'casebook-istio-'));
  const runner = recordingRunner([
    { match: cmd(ISTIOCTL), result: { exitCode: 1, stderr: 'Error: failed to install manifests: context deadline exceeded' } },
  ]);
  const { api } = fakeApi({});
  await assert.rejects(
    ensureIstio({ cluster: cluster(), version: '1.30.3', mesh, baseProfile, runDir, istioctlPath: ISTIOCTL, runner, api }),
    (e: Error & { hint?: string }) =>
      e.name === 'InfrastructureError' && e.message.includes('context deadline exceeded') && (e.hint ?? '').includes('istio-operator-'),
  );
});
