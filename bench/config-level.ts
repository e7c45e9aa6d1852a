/**
 * `npm run bench:config`: how long the config level takes, per phase and for the whole casebook,
 * on this machine. Not a timed test: it prints figures. The helper build is done (or found cached)
 * first and reported apart, since CI and laptops pay it once per Istio build and source change.
 *
 *   BENCH_SCENARIOS=a,b   only these scenarios (default: the two of the issue, then all)
 *   BENCH_ISTIO=1.31.0    only this version (default: every recorded build)
 */
import { cpus } from 'node:os';
import { ensureHelper } from '../harness/config-level/go-helper.ts';
import { buildFor, readReleases } from '../harness/config-level/releases.ts';
import { configRun, defaultVersions, registry, root } from '../harness/config-level/testing/config-run.ts';

const all = await registry();
const versions = process.env['BENCH_ISTIO']?.split(',') ?? defaultVersions();
const record = readReleases(root);
for (const v of versions) {
  const t0 = Date.now();
  await ensureHelper(buildFor(v, record), { root, log: (l) => process.stderr.write(`${l}\n`) });
  console.log(`helper for istio ${v} (${buildFor(v, record).label}): ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

const sets: [string, string[]][] = process.env['BENCH_SCENARIOS']
  ? [['selected', process.env['BENCH_SCENARIOS'].split(',')]]
  : [
      ["the issue's two", ['serviceentry-in-other-namespace-captures-tcp-port', 'ingress-tls-simple']],
      ['the whole casebook', all.map((s) => s.id)],
    ];

console.log(`machine: ${cpus().length} cores; node ${process.version}`);
for (const [label, ids] of sets) {
  const scenarios = all.filter((s) => ids.includes(s.id));
  const t0 = Date.now();
  const { results } = await configRun(scenarios, versions);
  const wall = (Date.now() - t0) / 1000;
  const judged = results.results.filter((r) => r.verdict !== 'not-judged' && r.verdict !== 'skipped');
  console.log(
    `\n${label}: ${scenarios.length} scenario(s), ${results.results.length} phase(s) × version (${judged.length} judged) on istio ${versions.join(', ')}: ${wall.toFixed(1)} s wall`,
  );
  if (label !== 'the whole casebook') {
    for (const r of judged)
      console.log(
        `  ${r.istio} ${r.scenario}/${r.phase}: ${(r.durationMs / 1000).toFixed(2)} s (share of its helper process) ${r.verdict}`,
      );
  }
}
