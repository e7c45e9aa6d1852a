/**
 * The config level for real: Istio's own code (istio-sim, built with Go against istio.io/istio at
 * the commits in istio-sim/releases.json) judges every phase of every scenario on the default
 * builds. Needs Go and the Go module proxy the first time; `npm run test:config`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSkipped } from '../report/exit-code.ts';
import { configRun, defaultVersions, judgedOnEveryBuild, registry, withPhaseApplying } from './testing/config-run.ts';

test(
  'config level: every judged phase of every scenario is as expected on each default build; not-judged phases say why',
  { timeout: 1_800_000 },
  async () => {
    const scenarios = await registry();
    const started = Date.now();
    const { results } = await configRun(scenarios);
    const seconds = (Date.now() - started) / 1000;
    const judged = results.results.filter((r) => !isSkipped(r));
    const notJudged = results.results.filter((r) => r.verdict === 'not-judged');
    const unexpected = judged
      .filter((r) => !r.asExpected)
      .map(
        (r) =>
          `${r.istio} ${r.scenario}/${r.phase}: ${r.verdict} (expected ${r.expected}): ${
            r.probes
              .filter((p) => !p.held)
              .map((p) => `${p.probe}: ${p.message}`)
              .join(' | ') || r.error
          }`,
      );
    process.stderr.write(
      `config level: ${judged.length} judged, ${notJudged.length} not judged, on ${defaultVersions().join(', ')} in ${seconds.toFixed(1)} s\n`,
    );
    for (const r of notJudged) process.stderr.write(`  not judged: ${r.istio} ${r.scenario}/${r.phase}: ${r.skippedReason}\n`);
    assert.deepEqual(unexpected, []);
    assert.ok(judged.length > 0, 'no phase was judged at config level');
    for (const r of results.results) assert.equal(r.level, 'config');
    for (const r of notJudged) assert.match(r.skippedReason ?? '', /not judged at config level: \S/);
  },
);

test(
  'config level: a fixed phase that no longer applies its fix turns still-failing (serviceentry-in-other-namespace, ingress-tls-simple)',
  { timeout: 900_000 },
  async () => {
    const all = await registry();
    const se = all.find((s) => s.id === 'serviceentry-in-other-namespace-captures-tcp-port')!;
    const tls = all.find((s) => s.id === 'ingress-tls-simple')!;
    // The Sidecar fix without its Sidecar; the Secret fix with the Secret back beside the Gateway.
    const seBroken = withPhaseApplying(se, 'fixed-sidecar-scope', ['broken/serviceentry.yaml']);
    const tlsBroken = { ...tls, phases: { ...tls.phases, fixed: { ...tls.phases.fixed!, secrets: tls.phases.broken!.secrets! } } };
    const ran = await judgedOnEveryBuild([seBroken, tlsBroken], ['fixed-sidecar-scope', 'fixed']);
    for (const r of ran) assert.equal(r.verdict, 'still-failing', `${r.istio} ${r.scenario}/${r.phase}`);
  },
);
