/**
 * `casebook clean` against a real Docker engine: it removes what carries our label (and our
 * kind clusters, through kind), and leaves everything else exactly where it was.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { execa } from 'execa';
import { registerCleanCommand } from '../harness/cli/commands/clean.ts';
import { claimsDir, markCreated } from '../harness/cluster/cluster-claims.ts';
import { labelsFor } from '../harness/external/labels.ts';
import { InfrastructureError } from '../harness/model/errors.ts';
import { countResources, createLab, labSkip, ownCounts, type Lab, type ResourceCounts } from './support/lab-docker.ts';

const skip = await labSkip();
// No lab network: `clean --include-active` below removes everything labelled as ours, the lab's own too.
let lab: Lab;
let runId: string;
let before0: ResourceCounts;
let scratch: string;

before(async () => {
  if (skip) return;
  before0 = await countResources();
  lab = await createLab('clean', { network: false });
  runId = lab.runId;
  scratch = await mkdtemp(join(tmpdir(), 'casebook-clean-lab-'));
});

after(async () => {
  // Whatever a failed assertion left: the lab removes, by name, only what this file made.
  await lab?.dispose();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** A container with exactly these labels (not the lab's: they are what `casebook clean` judges). */
async function container(name: string, labels: Record<string, string>): Promise<string> {
  await lab.start(name, { name, labels });
  return name;
}

async function network(name: string, labels: Record<string, string>): Promise<string> {
  return lab.addNetwork(name, labels);
}

async function exists(kind: 'container' | 'network', name: string): Promise<boolean> {
  return (await execa('docker', [kind, 'inspect', name], { reject: false })).exitCode === 0;
}

/** `casebook clean …` through commander, as the CLI wires it; returns its output lines. */
async function clean(args: string[], env: Record<string, string> = {}): Promise<{ lines: string[]; error?: unknown }> {
  const lines: string[] = [];
  const program = new Command('casebook').exitOverride();
  registerCleanCommand(program, (l) => lines.push(l));
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    await program.parseAsync(['clean', ...args], { from: 'user' });
    return { lines };
  } catch (error) {
    return { lines, error };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** No kind anywhere: an empty PATH dir plus the system dirs, and an empty tool cache. */
function noKindEnv(): Record<string, string> {
  return { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', XDG_CACHE_HOME: join(scratch, 'empty-cache') };
}

const leftoverLabels = () => ({ 'casebook.dev/managed-by': 'istio-casebook', 'casebook.dev/run': `${runId}-crashed` });

test('dry run lists a leftover labelled container and network, and removes nothing', { skip }, async () => {
  const c = await container(`casebook-${runId}-leftover-dry`, leftoverLabels());
  const n = await network(`casebook-${runId}-net-dry`, leftoverLabels());
  const other = await container(`${runId}-not-ours-dry`, { app: 'someone-else' });
  const { lines, error } = await clean(['--dry-run'], noKindEnv());
  assert.equal(error, undefined);
  assert.ok(lines.includes(`would remove container ${c} (run ${runId}-crashed)`), lines.join('\n'));
  assert.ok(lines.includes(`would remove network ${n} (run ${runId}-crashed)`), lines.join('\n'));
  assert.ok(!lines.some((l) => l.includes(other)));
  assert.deepEqual([await exists('container', c), await exists('network', n), await exists('container', other)], [true, true, true]);
  await clean([], noKindEnv());
  assert.deepEqual([await exists('container', c), await exists('network', n), await exists('container', other)], [false, false, true]);
});

test('clean removes a leftover labelled container and leaves unlabelled and look-alike ones', { skip }, async () => {
  const leftover = await container(`casebook-${runId}-leftover`, leftoverLabels());
  const stopped = await container(`casebook-${runId}-leftover-stopped`, leftoverLabels());
  await execa('docker', ['stop', '-t', '0', stopped]);
  const unlabelled = await container(`${runId}-unlabelled`, {});
  const lookalike = await container(`casebook-${runId}-lookalike`, {
    'casebook.dev/managed-by': 'another-tool',
    'casebook.dev/run': runId,
  });
  const foreignKind = await container(`${runId}-kind-control-plane`, { 'io.x-k8s.kind.cluster': 'kind' });
  const { lines, error } = await clean([], noKindEnv());
  assert.equal(error, undefined, String(error));
  assert.ok(lines.includes(`removed container ${leftover} (run ${runId}-crashed)`), lines.join('\n'));
  assert.ok(lines.includes(`removed container ${stopped} (run ${runId}-crashed)`), lines.join('\n'));
  assert.equal(await exists('container', leftover), false);
  assert.equal(await exists('container', stopped), false);
  assert.equal(await exists('container', unlabelled), true, 'an unlabelled container survives');
  assert.equal(await exists('container', lookalike), true, 'managed-by another tool survives');
  assert.equal(await exists('container', foreignKind), true, 'a kind cluster not named casebook* survives');
  assert.ok(!lines.some((l) => l.includes(unlabelled) || l.includes(lookalike) || l.includes(foreignKind)), lines.join('\n'));
});

test('a run whose process is still alive is left alone, unless --include-active', { skip }, async () => {
  // The test runner that spawned this file is alive on this host: its pid stands for a running `casebook run`.
  const live = await container(
    `casebook-${runId}-live`,
    labelsFor(`${runId}-live`, 'external-mysql', { pid: process.ppid, host: hostname() }),
  );
  const first = await clean([], noKindEnv());
  assert.ok(
    first.lines.some((l) => l.startsWith(`left container ${live} alone: run ${runId}-live is still going (pid ${process.ppid})`)),
    first.lines.join('\n'),
  );
  assert.equal(await exists('container', live), true);
  await clean(['--include-active'], noKindEnv());
  assert.equal(await exists('container', live), false);
});

test(
  'kind clusters: one no run recorded creating is only listed; ours is reported with the command when kind is missing, deleted through kind when present',
  { skip },
  async () => {
    const cluster = `casebook-${runId}`;
    const nodes = [
      await container(`${cluster}-control-plane`, { 'io.x-k8s.kind.cluster': cluster }),
      await container(`${cluster}-worker`, { 'io.x-k8s.kind.cluster': cluster }),
    ];
    // A stand-in kind that records its arguments and removes the nodes the way `kind delete cluster` does.
    const bin = join(scratch, 'bin');
    await execa('mkdir', ['-p', bin]);
    const log = join(scratch, 'kind-calls.log');
    await writeFile(
      join(bin, 'kind'),
      `#!/bin/sh\necho "$@" >> '${log}'\nfor c in $(docker ps -aq --filter "label=io.x-k8s.kind.cluster=$4"); do docker rm -f "$c" >/dev/null; done\n`,
    );
    await chmod(join(bin, 'kind'), 0o755);
    const withKindEnv = { ...noKindEnv(), PATH: `${bin}:/usr/sbin:/usr/bin:/sbin:/bin` };

    // Named like ours, but no casebook run recorded creating it (a user's cluster): listed, never deleted.
    const notOurs = await clean([], withKindEnv);
    assert.equal(notOurs.error, undefined, String(notOurs.error));
    assert.ok(
      notOurs.lines.some((l) =>
        l.startsWith(`kind cluster ${cluster} (${nodes.join(', ')}) not deleted: no casebook run recorded creating it`),
      ),
      notOurs.lines.join('\n'),
    );
    assert.equal(await exists('container', nodes[0]!), true);
    await assert.rejects(readFile(log, 'utf8'), /ENOENT/, 'kind must not be called for a cluster that is not ours');

    // The record a run writes before `kind create cluster` makes it ours.
    await markCreated(claimsDir(join(noKindEnv()['XDG_CACHE_HOME']!, 'istio-casebook')), cluster, `${runId}-crashed`);
    const without = await clean([], noKindEnv());
    assert.ok(without.error instanceof InfrastructureError, String(without.error));
    assert.ok(
      without.lines.some(
        (l) =>
          l.startsWith(`kind cluster ${cluster} (${nodes.join(', ')}) not deleted: kind is not on PATH`) &&
          l.includes(`kind delete cluster --name ${cluster}`),
      ),
      without.lines.join('\n'),
    );
    assert.deepEqual(
      [await exists('container', nodes[0]!), await exists('container', nodes[1]!)],
      [true, true],
      "node containers are never removed behind kind's back",
    );

    const withKind = await clean([], withKindEnv);
    assert.equal(withKind.error, undefined, String(withKind.error));
    assert.equal((await readFile(log, 'utf8')).trim(), `delete cluster --name ${cluster}`);
    assert.ok(withKind.lines.includes(`deleted kind cluster ${cluster} (${nodes.join(', ')})`), withKind.lines.join('\n'));
    assert.deepEqual([await exists('container', nodes[0]!), await exists('container', nodes[1]!)], [false, false]);
  },
);

test('after the tests, our container and network counts are back where they were', { skip }, async (t) => {
  await lab.dispose();
  assert.deepEqual(await lab.leftovers(), { containers: 0, networks: 0 });
  const now = await countResources();
  assert.deepEqual(ownCounts(now), ownCounts(before0));
  t.diagnostic(`counts before ${JSON.stringify(before0)}; after ${JSON.stringify(now)}`);
});
