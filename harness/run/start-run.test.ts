import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRun } from './start-run.ts';
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
} else if (process.env.STAND_IN_MODE === 'crash') {
  process.exit(3);
} else {
  finish(Number(process.env.STAND_IN_CODE));
}
`;

const OPTIONS: RunOptions = { ids: ['destinationrule-without-tls-overrides-mesh-mtls'], istio: ['1.29.6', '1.30.3'], cluster: 'kind', keep: true,
  phases: ['broken'], shard: '2/3', manageIstio: false, reportRoot: '' };

async function setup(t: { after(fn: () => unknown): void }) {
  const dir = await mkdtemp(join(tmpdir(), 'casebook-start-run-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const cliPath = join(dir, 'stand-in.cjs');
  await writeFile(cliPath, STAND_IN);
  const lines: string[] = [];
  const out = { write: (s: string) => { lines.push(...s.split('\n').filter((l) => l !== '')); } };
  return { dir, cliPath, lines, out };
}

test('startRun spawns the runner with the run in CASEBOOK_* variables, streams its lines, returns the reporter\'s exit code', async (t) => {
  const { dir, cliPath, lines, out } = await setup(t);
  process.env['STAND_IN_CODE'] = '2';
  t.after(() => { delete process.env['STAND_IN_CODE']; });
  const outcome = await startRun({ ...OPTIONS, reportRoot: dir }, { out, cliPath, configPath: '/repo/playwright.config.ts', root: dir, runId: 'r7' });
  assert.deepEqual(outcome, { exitCode: 2, reportDir: join(dir, 'r7') });
  assert.ok(lines.includes('argv test -c /repo/playwright.config.ts --shard=2/3'), lines.join('\n'));
  assert.ok(lines.includes('env CASEBOOK_RUN_ID=r7 CASEBOOK_IDS=destinationrule-without-tls-overrides-mesh-mtls CASEBOOK_ISTIO=1.29.6,1.30.3 CASEBOOK_CLUSTER=kind CASEBOOK_KEEP=1 CASEBOOK_PHASES=broken'));
  assert.ok(lines.includes('casebook [istio 1.30.3] creating kind cluster casebook'), 'stderr progress lines are streamed too');
  assert.match(lines[0]!, /^casebook: run r7: destinationrule-without-tls-overrides-mesh-mtls on Istio 1\.29\.6, 1\.30\.3 \(kind cluster, --keep, shard 2\/3\)/);
});

test('Ctrl-C is forwarded once to the runner, which tears down and reports', async (t) => {
  const { dir, cliPath, lines, out } = await setup(t);
  process.env['STAND_IN_MODE'] = 'wait';
  t.after(() => { delete process.env['STAND_IN_MODE']; });
  const signals = new EventEmitter();
  const run = startRun({ ...OPTIONS, reportRoot: dir }, { out: { write: (s: string) => { out.write(s); if (s.includes('waiting')) signals.emit('SIGINT'); } }, signals, cliPath, root: dir, runId: 'r8' });
  const outcome = await run;
  assert.equal(outcome.exitCode, 1);
  assert.ok(lines.includes('got SIGINT: teardown'), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('casebook: stopping, tearing down')));
  assert.equal(signals.listenerCount('SIGINT'), 0, 'the handler is removed after the run');
  assert.equal(JSON.parse(await readFile(join(dir, 'r8', 'outcome.json'), 'utf8')).exitCode, 1);
});

test('a runner that dies without results is exit 1 with a message, never 0', async (t) => {
  const { dir, cliPath, lines, out } = await setup(t);
  process.env['STAND_IN_MODE'] = 'crash';
  t.after(() => { delete process.env['STAND_IN_MODE']; });
  const outcome = await startRun({ ...OPTIONS, reportRoot: dir }, { out, cliPath, root: dir, runId: 'r9' });
  assert.equal(outcome.exitCode, 1);
  assert.ok(lines.includes('casebook: the runner ended without results (playwright exit 3); see the output above'));
});
