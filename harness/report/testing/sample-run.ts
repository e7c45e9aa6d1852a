import type { PhaseResult, RunResults } from '../../model/results.ts';

/** One phase result as the runner records it: a reproduced `broken` phase unless `over` says otherwise. */
export function phaseResult(over: Partial<PhaseResult>): PhaseResult {
  return {
    scenario: 's1',
    phase: 'broken',
    intent: 'failure',
    istio: '1.30.3',
    verdict: 'reproduced',
    expected: 'reproduced',
    asExpected: true,
    probes: [],
    evidence: [],
    startedAt: '2026-11-22T10:00:00.000Z',
    durationMs: 1000,
    ...over,
  };
}

/** A run over two Istio versions with every kind of outcome, as the runner would record it. */
export function sampleRun(): RunResults {
  const base = (over: Partial<PhaseResult>): PhaseResult =>
    phaseResult({ scenario: 'destinationrule-without-tls-overrides-mesh-mtls', durationMs: 3200, ...over });
  const failingProbe = {
    probe: 'call',
    spec: { kind: 'http' as const, from: 'curl', url: 'http://httpbin:8000/get' },
    held: false,
    infrastructureError: false,
    message: 'expected status 503, got status 200; body "{\\"args\\": {}}" <&> \u0007',
    attempts: [
      { index: 0, startedAt: '2026-11-22T10:00:01.000Z', durationMs: 120 },
      { index: 1, startedAt: '2026-11-22T10:00:02.000Z', durationMs: 110 },
    ],
  };
  return {
    runId: 'run-1',
    casebookVersion: '0.1.0',
    startedAt: '2026-11-22T10:00:00.000Z',
    finishedAt: '2026-11-22T10:05:00.000Z',
    cluster: { provider: 'kind', name: 'casebook' },
    istioVersions: ['1.30.3', '1.31.0'],
    results: [
      base({}),
      base({ phase: 'fixed', intent: 'fix', verdict: 'fixed', expected: 'fixed', durationMs: 1800 }),
      base({
        phase: 'control-auto-mtls',
        intent: 'control',
        verdict: 'skipped',
        expected: 'passed',
        asExpected: false,
        skippedReason: 'not selected by --phase broken,fixed',
        durationMs: 0,
      }),
      base({
        istio: '1.31.0',
        verdict: 'not-reproduced',
        asExpected: false,
        probes: [failingProbe],
        evidence: [{ name: 'client access log', path: 'x/broken/access.log', contentType: 'text/plain' }],
      }),
      base({
        istio: '1.31.0',
        phase: 'fixed',
        intent: 'fix',
        verdict: 'error',
        expected: 'fixed',
        asExpected: false,
        error: 'exec into curl failed: pod not ready',
      }),
      base({ istio: '1.31.0', scenario: 'ingress-tls-simple', phase: 'fixed', intent: 'fix', verdict: 'fixed', expected: 'fixed' }),
    ],
  };
}
