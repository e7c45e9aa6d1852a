import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { InfrastructureError, PrerequisiteError, ScenarioLoadError, UsageError } from '../model/errors.ts';
import type { RunOptions } from '../model/run-options.ts';
import { exitCodeForError } from './error-boundary.ts';
import { runCli } from './run-cli.ts';
import { makeTempRoot } from './testing/temp-root.ts';

/** In-process runs of the command tree: fast, and the runner can be replaced by a recorder. */
let root: string;
let dispose: () => void;
before(() => ({ root, dispose } = makeTempRoot()));
after(() => dispose());

async function cli(
  argv: string[],
  env: NodeJS.ProcessEnv = {},
  startRun?: (o: RunOptions) => Promise<{ exitCode: 0 | 1 | 2; reportDir: string }>,
) {
  let out = '';
  let err = '';
  const code = await runCli(
    argv,
    {
      out: (s) => {
        out += s;
      },
      err: (s) => {
        err += s;
      },
      env: { CASEBOOK_ROOT: root, ...env },
    },
    startRun ? { startRun: async () => startRun } : {},
  );
  return { code, out, err };
}

describe('runCli', () => {
  test('--help exits 0 for every command, including those registered from other modules', async () => {
    for (const cmd of ['list', 'plan', 'validate', 'doctor', 'run', 'probe', 'setup', 'clean', 'compare']) {
      const r = await cli([cmd, '--help']);
      assert.equal(r.code, 0, `${cmd}: ${r.err}`);
      assert.match(r.out, new RegExp(`^Usage: casebook ${cmd} `), cmd);
    }
    const top = await cli(['--help']);
    assert.equal(top.code, 0);
    for (const cmd of ['list', 'plan', 'validate', 'doctor', 'run', 'probe', 'setup', 'clean', 'compare'])
      assert.match(top.out, new RegExp(`^  ${cmd} `, 'm'));
  });

  test('no command, unknown command and unknown option are usage errors (2)', async () => {
    assert.equal((await cli([])).code, 2);
    const unknown = await cli(['lsit']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown command 'lsit'\n\(Did you mean list\?\)/);
    assert.equal((await cli(['list', '--jsn'])).code, 2);
  });

  test('run hands the runner exactly the options it was given, after the pre-flight', async () => {
    let got: RunOptions | undefined;
    const r = await cli(
      [
        'run',
        '--cluster',
        'existing',
        '--kubeconfig',
        '/dev/null',
        '--context',
        'kind-x',
        '--istio',
        '1.29.6,v1.30.3',
        '--phase',
        'broken,fixed',
        '--shard',
        '1/2',
        '--mirror',
        'https://mirror.example.com/',
        '--manage-istio',
        '--allow-mesh-wide',
      ],
      {},
      async (o) => {
        got = o;
        return { exitCode: 1, reportDir: '/tmp/r' };
      },
    );
    assert.equal(r.code, 1, r.err);
    assert.deepEqual(got, {
      ids: [],
      istio: ['1.29.6', '1.30.3'],
      cluster: 'existing',
      kubeconfig: '/dev/null',
      context: 'kind-x',
      keep: false,
      phases: ['broken', 'fixed'],
      shard: '1/2',
      mirror: 'https://mirror.example.com',
      manageIstio: true,
      reportRoot: `${root}/reports`,
    });
    assert.match(r.out, /^reports: \/tmp\/r$/m);
  });

  test('run --concurrency reaches the runner (scenarios at once)', async () => {
    let got: RunOptions | undefined;
    const ok = await cli(
      ['run', '--concurrency', '3', '--istio', '1.30.3', '--cluster', 'existing', '--kubeconfig', '/dev/null', '--allow-mesh-wide'],
      {},
      async (o) => {
        got = o;
        return { exitCode: 0, reportDir: '/tmp/r' };
      },
    );
    assert.equal(ok.code, 0, ok.err);
    assert.equal(got?.concurrency, 3);
    assert.equal(got?.parallelVersions, undefined);
  });

  test('run --keep with one mesh scenario on one Istio version reaches the runner with keep (nothing runs after it)', async () => {
    let got: RunOptions | undefined;
    const r = await cli(
      ['run', '--keep', '--istio', '1.30.3', '--cluster', 'existing', '--kubeconfig', '/dev/null', '--allow-mesh-wide'],
      {},
      async (o) => {
        got = o;
        return { exitCode: 0, reportDir: '/tmp/r' };
      },
    );
    assert.equal(r.code, 0, r.err);
    assert.equal(got?.keep, true);
  });

  test('run pre-flight refuses bad options before calling the runner', async () => {
    const never = async () => {
      throw new Error('runner must not be called');
    };
    const cases: [string[], RegExp][] = [
      [['run', '--istio', '1.30'], /--istio "1.30" is not a list of exact Istio versions \(1\.30\)/],
      [['run', '--shard', '3/2'], /--shard "3\/2" is not <current>\/<total>/],
      // One version is one Playwright test group: a second shard would run nothing and pass.
      [
        ['run', '--istio', '1.32.0', '--shard', '2/2'],
        /a shard runs whole Istio versions and there is 1 \(1\.32\.0\): shard 2 would run nothing/,
      ],
      [['run', '--mirror', 'ftp://x'], /--mirror "ftp:\/\/x" is not an http\(s\) URL/],
      [['run', '--kubeconfig', '/dev/null'], /--kubeconfig and --context are for --cluster existing/],
      [['run', '--phase', 'brokn'], /no selected scenario has phase 'brokn' \(did you mean broken\?\)/],
      [
        ['run', '--cluster', 'existing', '--kubeconfig', '/nonexistent/kubeconfig'],
        /kubeconfig \/nonexistent\/kubeconfig \(--kubeconfig\) does not exist/,
      ],
      // W5: an empty selection is not "every phase".
      [['run', '--phase', ','], /--phase "," names no phase/],
      [['run', '--phase', ''], /--phase "" names no phase/],
      [['run', '--concurrency', '0'], /--concurrency "0" is not a whole number of at least 1/],
      [['run', '--concurrency', '2.5'], /--concurrency "2\.5" is not a whole number of at least 1/],
      [
        ['run', '--parallel-versions', '--cluster', 'existing', '--kubeconfig', '/dev/null'],
        /--parallel-versions makes a kind cluster per Istio version; an existing cluster cannot be doubled/,
      ],
      // Mesh-wide scenarios on a shared cluster need the explicit opt-in; the error lists what would change.
      [
        ['run', '--cluster', 'existing', '--kubeconfig', '/dev/null', 'destinationrule-without-tls-overrides-mesh-mtls'],
        /would change what every workload of the mesh sees[\s\S]*PeerAuthentication istio-system\/default/,
      ],
      // --keep would leave one mesh scenario's STRICT policy for the next scenario or version.
      // (harness/run/mesh-wide.test.ts covers several scenarios; this root holds only the DR scenario.)
      [
        ['run', '--keep', '--istio', '1.29.6,1.30.3'],
        /--keep leaves each scenario's last phase applied[\s\S]*2 Istio version\(s\)[\s\S]*destinationrule-without-tls-overrides-mesh-mtls \(mesh\): [^\n]*PeerAuthentication istio-system\/default/,
      ],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(argv, {}, never);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
      assert.match(r.err, message);
    }
  });
});

describe('error boundary', () => {
  const io = () => {
    let err = '';
    return {
      io: {
        err: (s: string) => {
          err += s;
        },
        env: {},
      },
      text: () => err,
    };
  };
  test('usage, prerequisite and load errors are 2; infrastructure and plain errors are 1; all print message and hint', () => {
    const cases: [unknown, number, RegExp][] = [
      [new UsageError('bad id', 'try list'), 2, /^error: bad id\nhint: try list\n$/],
      [new PrerequisiteError('no docker', 'start it'), 2, /^error: no docker\nhint: start it\n$/],
      [
        new ScenarioLoadError([{ location: 'a.yaml#1', message: 'broken' }]),
        2,
        /^error: 1 problem\(s\) in scenarios or manifests:\n {2}a\.yaml#1: broken\nhint: fix the problems above/,
      ],
      [new InfrastructureError('exec failed', 'check the pod'), 1, /^error: exec failed\nhint: check the pod\n$/],
      [
        new TypeError('x is undefined'),
        1,
        /^error: x is undefined\nhint: this is a harness failure, not a verdict; run again with CASEBOOK_DEBUG=1/,
      ],
    ];
    for (const [e, code, text] of cases) {
      const { io: sink, text: printed } = io();
      assert.equal(exitCodeForError(e, sink), code, String(e));
      assert.match(printed(), text);
    }
  });
});
