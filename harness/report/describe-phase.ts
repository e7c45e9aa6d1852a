import type { PhaseResult, ProbeResult } from '../model/results.ts';

/** "istio 1.30.3 · destinationrule-… · broken" */
export function phaseLabel(r: PhaseResult): string {
  return `${r.level === 'config' ? 'config level · ' : ''}istio ${r.istio} · ${r.scenario} · ${r.phase}`;
}

/** "expected reproduced, got not-reproduced (because …)" */
export function verdictLine(r: PhaseResult): string {
  const because = r.expectedBecause ? ` (expected because ${r.expectedBecause})` : '';
  return `expected ${r.expected}, got ${r.verdict}${because}`;
}

/** One block per probe: what its checks said last, and how many attempts it took. */
export function probeDetails(r: PhaseResult): string[] {
  const lines: string[] = [];
  if (r.error) lines.push(`harness error: ${r.error}`);
  for (const p of r.probes) lines.push(...probeLines(p));
  for (const e of r.evidence) lines.push(`evidence: ${e.name} → ${e.path}`);
  return lines;
}

function probeLines(p: ProbeResult): string[] {
  const state = p.infrastructureError ? 'infrastructure error' : p.held ? 'held' : 'did not hold';
  const out = [`probe ${p.probe} (${p.spec.kind}): ${state} after ${p.attempts.length} attempt(s)`];
  for (const line of p.message.split('\n')) out.push(`  ${line}`);
  return out;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
