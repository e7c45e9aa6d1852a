// `casebook run --cluster-name <name>`; no Docker needed (the flag is checked before the Docker ping).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeRunEnv, encodeRunEnv, runEnvFromOptions } from '../host/run-env.ts';
import { runCli } from './run-cli.ts';
import { REPO } from './testing/temp-root.ts';

async function cli(argv: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await runCli(
    argv,
    {
      out: () => {},
      err: (s) => {
        err += s;
      },
      env: { CASEBOOK_ROOT: REPO, DOCKER_HOST: 'unix:///nonexistent/docker.sock' },
    },
    {
      startRun: async () => {
        throw new Error('must not start');
      },
    },
  );
  return { code, err };
}

test('--cluster-name reaches the runner as the kind cluster name; the default stays casebook', () => {
  const base = { ids: [], istio: ['1.32.0'], cluster: 'kind' as const, keep: false, manageIstio: false, reportRoot: '/tmp/r' };
  assert.equal(runEnvFromOptions(base, 'r1').clusterName, 'casebook');
  const named = runEnvFromOptions({ ...base, clusterName: 'casebook-2' }, 'r1');
  assert.equal(named.clusterName, 'casebook-2');
  assert.equal(decodeRunEnv(encodeRunEnv(named), { istio: ['1.32.0'], root: REPO }).clusterName, 'casebook-2');
});

test('a --cluster-name kind would refuse, or one with --cluster existing, is a usage error (exit 2) before anything starts', async () => {
  for (const [args, message] of [
    [['--cluster-name', 'Casebook_2'], /--cluster-name "Casebook_2" is not a kind cluster name/],
    [['--cluster-name', '../x'], /is not a kind cluster name/],
    [['--cluster-name', 'x', '--cluster', 'existing', '--kubeconfig', '/dev/null'], /--cluster-name names the kind cluster/],
  ] as const) {
    const r = await cli(['run', 'inbound-port-not-captured', ...args]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, message);
  }
  // A good name passes the flag check and goes on to the Docker ping (unreachable here: exit 2 for that reason).
  const ok = await cli(['run', 'inbound-port-not-captured', '--cluster-name', 'casebook-2']);
  assert.equal(ok.code, 2);
  assert.match(ok.err, /Docker is not reachable/);
});
