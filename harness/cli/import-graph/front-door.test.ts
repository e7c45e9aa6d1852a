import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { execa } from 'execa';
import { makeTempRoot, REPO } from '../testing/temp-root.ts';

/**
 * The front door stays light: `--help`, `list`, `plan` and `validate` must not load the packages
 * only a run, clean, doctor or probe needs. Each of these costs 0.2–0.9 s of CPU to load, more
 * than the whole command should take (README "Performance"). One child process runs the four
 * commands with a resolve hook that records every package loaded; a static import of e.g.
 * harness/kube/namespaces.ts from plan's path shows up here as @kubernetes/client-node.
 */
const RUNTIME_ONLY = ['@kubernetes/client-node', 'testcontainers', 'dockerode', 'undici', 'execa', '@playwright/test', 'playwright'];

let root: string;
let dispose: () => void;
before(() => ({ root, dispose } = makeTempRoot()));
after(() => dispose());

test('--help, list, plan and validate load none of the runtime-only packages', async () => {
  const r = await execa(process.execPath, [join(REPO, 'harness/cli/import-graph/front-door.ts')], {
    reject: false,
    timeout: 60_000,
    env: { CASEBOOK_ROOT: root },
  });
  assert.equal(r.exitCode, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { args: string[]; exitCode: number; stderr: string; packages: string[] }[];
  assert.deepEqual(
    report.map((c) => c.args.join(' ')),
    ['--help', 'list --json', 'plan --all --json', 'validate'],
  );
  for (const c of report) {
    // A command that failed early would load little and pass for the wrong reason.
    assert.equal(c.exitCode, 0, `${c.args.join(' ')}: ${c.stderr}`);
    const heavy = c.packages.filter((p) => RUNTIME_ONLY.includes(p));
    assert.deepEqual(heavy, [], `after \`casebook ${c.args.join(' ')}\` these were loaded: ${heavy.join(', ')}`);
  }
  // The tracer does see packages: plan and validate need the schema packages and yaml.
  const last = report.at(-1)!.packages;
  for (const p of ['commander', 'yaml', 'kubernetes-models', '@kubernetes-models/istio'])
    assert.ok(last.includes(p), `${p} not seen: ${last.join(', ')}`);
});
