import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench:cli`: how long the front door takes, as a ratio to a bare Node start measured in
 * the same run. Ratios, not seconds, because the machine is shared and its speed drifts: each round
 * runs every command once, in turn, so a slow spell hits all of them alike. Wall time of the whole
 * process (spawn to exit), median over the rounds, after one warm-up round that also fills Node's
 * compile cache (bin/casebook.mjs turns it on), so the figures are for a second and later start.
 *
 *   node bench/cli.ts [--rounds 15] [--check]    (--check: exit 1 when a target is missed)
 */
const REPO = fileURLToPath(new URL('../', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/casebook.mjs', import.meta.url));

type Case = { name: string; args: string[]; target?: number };
const CASES: Case[] = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'casebook --help', args: [BIN, '--help'], target: 8 },
  { name: 'casebook list --json', args: [BIN, 'list', '--json'], target: 10 },
  { name: 'casebook plan --all --json', args: [BIN, 'plan', '--all', '--json'], target: 20 },
  { name: 'casebook validate', args: [BIN, 'validate'], target: 20 },
];

const argv = process.argv.slice(2);
const roundsAt = argv.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(argv[roundsAt + 1]) : 15;
const check = argv.includes('--check');

function once(c: Case): { ms: number; exitCode: number | null } {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, c.args, { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'], env: process.env });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) process.stderr.write(`${c.name} exited ${r.status}: ${r.stderr.toString().slice(0, 500)}\n`);
  return { ms, exitCode: r.status };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

for (const c of CASES) once(c);
const times = new Map<string, number[]>(CASES.map((c) => [c.name, []]));
const exitCodes = new Map<string, Set<number | null>>(CASES.map((c) => [c.name, new Set()]));
for (let i = 0; i < rounds; i++) {
  for (const c of CASES) {
    const r = once(c);
    times.get(c.name)!.push(r.ms);
    exitCodes.get(c.name)!.add(r.exitCode);
  }
}

const floor = median(times.get('node -e 0')!);
let missed = 0;
console.log(`front door, ${rounds} rounds after 1 warm-up, Node ${process.versions.node}, wall time median (min–max)`);
console.log('| command | median ms | min–max ms | × bare node | target | |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const c of CASES) {
  const xs = times.get(c.name)!;
  const ratio = median(xs) / floor;
  const ok = c.target === undefined || ratio <= c.target;
  const failed = [...exitCodes.get(c.name)!].some((code) => code !== 0);
  if (!ok || failed) missed++;
  console.log(
    `| ${c.name} | ${median(xs).toFixed(0)} | ${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)} | ${ratio.toFixed(1)} | ${c.target === undefined ? '' : `≤ ${c.target}×`} | ${failed ? 'FAILED (exit code)' : ok ? 'ok' : 'MISSED'} |`,
  );
}
if (check && missed > 0) process.exitCode = 1;
