import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRun } from './start-run.ts';
import { ClusterInUseError } from '../cluster/cluster-claims.ts';
import type { RunOptions } from '../model/run-options.ts';

/**
 * A stand-in for Playwright's CLI (a real child process): prints its argv and CASEBOOK_* env,
 * then writes the outcome file the results reporter would write. With WAIT, it waits for SIGINT
 * like Playwright's runner does, then "tears down" and ends.
 */
const STAND_IN = `
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const dir = process.env.CASEBOOK_REPORT_DIR;
console.log('argv ' + process.argv.slice(2).join(' '));
console.log('env ' + ['CASEBOOK_RUN_ID','CASEBOOK_IDS','CASEBOOK_ISTIO','CASEBOOK_CLUSTER','CASEBOOK_KEEP','CASEBOOK_PHASES'].map((k) => k + '=' + process.env[k]).join(' '));
console.error('casebook [istio 1.30.3] creating kind cluster casebook');
const finish = (code) => { writeFileSync(join(dir, 'outcome.json'), JSON.stringify({ exitCode: code, prerequisites: [], problems: [], cleanup: [] })); };
if (process.env.STAND_IN_MODE === 'wait') {
  process.on('SIGINT', () => { console.log('got SIGINT: teardown'); finish(1); process.exit(130); });
  console.log('waiting');
  setInterval(() => {}, 1000);
} else if (process.env.STAND_IN_MODE === 'grandchild') {
  // A process the runner leaves behind (a kind step): it ignores SIGINT and would run for a minute.
  const { spawn } = require('node:child_process');
  const g = spawn(process.execPath, ['-e', 'process.on("SIGINT",()=>{}); setTimeout(()=>{}, 60000)'], { stdio: 'ignore' });
  writeFileSync(join(dir, 'grandchild.pid'), String(g.pid));
  finish(0);
  process.exit(0);
} else if (process.env.STAND_IN_MODE === 'crash') {
  process.exit(3);
} else {
  finish(Number(process.env.STAND_IN_CODE));
}
`;

const OPTIONS: RunOptions = {
  ids: ['destinationrule-without-tls-overrides-mesh-mtls'],
  istio: ['1.29.6', '1.30.3'],
  cluster: 'kind',
  keep: true,
  phases: ['broken'],
  shard: '2/3',
  manageIstio: false,
  reportRoot: '',
};

async function setup(t: { after(fn: () => unknown): void }) {
  const dir = await mkdtemp(join(tmpdir(), 'casebook-start-run-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const cliPath = join(dir, 'stand-in.cjs');
  await writeFile(cliPath, STAND_IN);
  const lines: string[] = [];
  const out = {
    write: (s: string) => {
      lines.push(...s.split('\n').filter((l) => l !== ''));
    },
  };
  // Cluster locks go to the test's folder, never the user's cache.
  return { dir, cliPath, lines, out, claimsDir: join(dir, 'claims') };
}

test("startRun spawns the runner with the run in CASEBOOK_* variables, streams its lines, returns the reporter's exit code", async (t) => {
  const { dir, cliPath, lines, out, claimsDir } = await setup(t);
  process.env['STAND_IN_CODE'] = '2';
  t.after(() => {
    delete process.env['STAND_IN_CODE'];
  });
  const outcome = await startRun(
    { ...OPTIONS, reportRoot: dir },
    { out, cliPath, configPath: '/repo/playwright.config.ts', root: dir, runId: 'r7', claimsDir },
  );
  assert.deepEqual(outcome, { exitCode: 2, reportDir: join(dir, 'r7') });
  assert.ok(lines.includes('argv test -c /repo/playwright.config.ts --shard=2/3'), lines.join('\n'));
  assert.ok(
    lines.includes(
      'env CASEBOOK_RUN_ID=r7 CASEBOOK_IDS=destinationrule-without-tls-overrides-mesh-mtls CASEBOOK_ISTIO=1.29.6,1.30.3 CASEBOOK_CLUSTER=kind CASEBOOK_KEEP=1 CASEBOOK_PHASES=broken',
    ),
  );
  assert.ok(lines.includes('casebook [istio 1.30.3] creating kind cluster casebook'), 'stderr progress lines are streamed too');
  assert.match(
    lines[0]!,
    /^casebook: run r7: destinationrule-without-tls-overrides-mesh-mtls on Istio 1\.29\.6, 1\.30\.3 \(kind cluster, --keep, shard 2\/3\)/,
  );
});

test('Ctrl-C is forwarded once to the runner, which tears down and reports', async (t) => {
  const { dir, cliPath, lines, out, claimsDir } = await setup(t);
  process.env['STAND_IN_MODE'] = 'wait';
  t.after(() => {
    delete process.env['STAND_IN_MODE'];
  });
  const signals = new EventEmitter();
  const run = startRun(
    { ...OPTIONS, reportRoot: dir },
    {
      out: {
        write: (s: string) => {
          out.write(s);
          if (s.includes('waiting')) signals.emit('SIGINT');
        },
      },
      signals,
      cliPath,
      root: dir,
      runId: 'r8',
      claimsDir,
    },
  );
  const outcome = await run;
  assert.equal(outcome.exitCode, 130, 'an interrupted run has its own exit code, not 1 (a verdict not as expected)');
  assert.ok(lines.includes('got SIGINT: teardown'), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('casebook: stopping, tearing down')));
  assert.equal(signals.listenerCount('SIGINT'), 0, 'the handler is removed after the run');
  assert.equal(JSON.parse(await readFile(join(dir, 'r8', 'outcome.json'), 'utf8')).exitCode, 1);
});

test('a runner that dies without results is exit 1 with a message, never 0', async (t) => {
  const { dir, cliPath, lines, out, claimsDir } = await setup(t);
  process.env['STAND_IN_MODE'] = 'crash';
  t.after(() => {
    delete process.env['STAND_IN_MODE'];
  });
  const outcome = await startRun({ ...OPTIONS, reportRoot: dir }, { out, cliPath, root: dir, runId: 'r9', claimsDir });
  assert.equal(outcome.exitCode, 1);
  assert.ok(lines.includes('casebook: the runner ended without results (playwright exit 3); see the output above'));
});

for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
  test(`${signal} is handled like Ctrl-C: the runner gets SIGINT (its teardown signal), the run exits 130`, async (t) => {
    const { dir, cliPath, lines, out, claimsDir } = await setup(t);
    process.env['STAND_IN_MODE'] = 'wait';
    t.after(() => {
      delete process.env['STAND_IN_MODE'];
    });
    const signals = new EventEmitter();
    const outcome = await startRun(
      { ...OPTIONS, reportRoot: dir },
      {
        out: {
          write: (s: string) => {
            out.write(s);
            if (s.includes('waiting')) signals.emit(signal);
          },
        },
        signals,
        cliPath,
        root: dir,
        runId: 'r10',
        claimsDir,
      },
    );
    assert.equal(outcome.exitCode, 130);
    assert.ok(lines.includes('got SIGINT: teardown'), lines.join('\n'));
    assert.ok(lines.includes('casebook: the run was interrupted (exit 130)'), lines.join('\n'));
    assert.equal(signals.listenerCount(signal), 0);
  });
}

test('processes the runner leaves in its group are killed when the run ends', async (t) => {
  const { dir, cliPath, out, claimsDir } = await setup(t);
  process.env['STAND_IN_MODE'] = 'grandchild';
  t.after(() => {
    delete process.env['STAND_IN_MODE'];
  });
  await startRun({ ...OPTIONS, reportRoot: dir }, { out, cliPath, root: dir, runId: 'r11', claimsDir });
  const pid = Number(await readFile(join(dir, 'r11', 'grandchild.pid'), 'utf8'));
  // A killed process may linger as a zombie until its new parent reaps it: that one runs nothing.
  const alive = () => {
    try {
      process.kill(pid, 0);
    } catch {
      return false;
    }
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  };
  for (let i = 0; i < 50 && alive(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(alive(), false, `grandchild ${pid} outlived the run`);
});

test('a second run refuses the kind cluster a running run holds (exit 2 class), and gets it once that run ended', async (t) => {
  const { dir, cliPath, out, claimsDir } = await setup(t);
  process.env['STAND_IN_MODE'] = 'wait';
  t.after(() => {
    delete process.env['STAND_IN_MODE'];
  });
  const signals = new EventEmitter();
  let second: Promise<unknown> | undefined;
  const first = startRun(
    { ...OPTIONS, reportRoot: dir },
    {
      signals,
      cliPath,
      root: dir,
      runId: 'first',
      claimsDir,
      out: {
        write: (s: string) => {
          if (s.includes('waiting')) {
            second = startRun({ ...OPTIONS, reportRoot: dir }, { out, cliPath, root: dir, runId: 'second', claimsDir });
            second.catch(() => {}).finally(() => signals.emit('SIGINT'));
          }
        },
      },
    },
  );
  await first;
  await assert.rejects(
    second!,
    (e: unknown) => e instanceof ClusterInUseError && /in use by casebook run first/.test((e as Error).message),
  );
  delete process.env['STAND_IN_MODE'];
  process.env['STAND_IN_CODE'] = '0';
  t.after(() => {
    delete process.env['STAND_IN_CODE'];
  });
  assert.equal((await startRun({ ...OPTIONS, reportRoot: dir }, { out, cliPath, root: dir, runId: 'third', claimsDir })).exitCode, 0);
});

test("--parallel-versions: the run locks every version's cluster (a second such run is refused) and releases them all at the end", async (t) => {
  const { dir, cliPath, out, claimsDir } = await setup(t);
  process.env['STAND_IN_MODE'] = 'wait';
  t.after(() => {
    delete process.env['STAND_IN_MODE'];
  });
  const signals = new EventEmitter();
  let locks: string[] = [];
  let second: Promise<unknown> | undefined;
  const first = startRun(
    { ...OPTIONS, parallelVersions: true, reportRoot: dir },
    {
      signals,
      cliPath,
      root: dir,
      runId: 'par',
      claimsDir,
      out: {
        write: (s: string) => {
          if (s.includes('waiting')) {
            locks = readdirSync(claimsDir)
              .filter((f) => f.endsWith('.lock'))
              .sort();
            second = startRun(
              { ...OPTIONS, parallelVersions: true, reportRoot: dir },
              { out, cliPath, root: dir, runId: 'other', claimsDir },
            );
            second.catch(() => {}).finally(() => signals.emit('SIGINT'));
          }
        },
      },
    },
  );
  await first;
  assert.deepEqual(locks, ['casebook-istio-1-29-6.lock', 'casebook-istio-1-30-3.lock']);
  await assert.rejects(
    second!,
    (e: unknown) =>
      e instanceof ClusterInUseError && /kind cluster casebook-istio-1-29-6 is in use by casebook run par/.test((e as Error).message),
  );
  assert.deepEqual(
    readdirSync(claimsDir).filter((f) => f.endsWith('.lock')),
    [],
    "every lock released, also the refused run's",
  );
});
