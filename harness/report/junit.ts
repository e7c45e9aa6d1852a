import type { PhaseResult, RunResults } from '../model/results.ts';
import { probeDetails, verdictLine } from './describe-phase.ts';
import { isSkipped, isUnexpected } from './exit-code.ts';
import { xmlAttr, xmlText } from './xml-escape.ts';

/**
 * JUnit XML: one <testsuite> per Istio version × scenario, one <testcase> per phase. An
 * unexpected verdict is a <failure> carrying the check messages; verdict `error` (the harness
 * could not observe) is an <error>; a skipped phase is <skipped> with its reason.
 */
export function renderJUnit(results: RunResults): string {
  const suites = new Map<string, PhaseResult[]>();
  for (const r of results.results) {
    const key = `${r.istio}\u0000${r.scenario}`;
    suites.set(key, [...(suites.get(key) ?? []), r]);
  }
  const counts = count(results.results);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="istio-casebook" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="${secs(totalMs(results.results))}" timestamp="${xmlAttr(results.startedAt)}">`,
  ];
  for (const phases of suites.values()) {
    const first = phases[0]!;
    const c = count(phases);
    lines.push(
      `  <testsuite name="${xmlAttr(`${first.level === 'config' ? 'config level / ' : ''}istio ${first.istio} / ${first.scenario}`)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="${secs(totalMs(phases))}" timestamp="${xmlAttr(first.startedAt)}">`,
    );
    lines.push('    <properties>');
    lines.push(`      <property name="istio" value="${xmlAttr(first.istio)}"/>`);
    lines.push(`      <property name="scenario" value="${xmlAttr(first.scenario)}"/>`);
    lines.push(`      <property name="run" value="${xmlAttr(results.runId)}"/>`);
    lines.push('    </properties>');
    for (const r of phases) lines.push(...testcase(r));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

function testcase(r: PhaseResult): string[] {
  const open = `    <testcase name="${xmlAttr(r.phase)}" classname="${xmlAttr(`istio-${r.istio}.${r.scenario}`)}" time="${secs(r.durationMs)}"`;
  const details = xmlText(probeDetails(r).join('\n'));
  if (isSkipped(r)) return [`${open}>`, `      <skipped message="${xmlAttr(r.skippedReason ?? '')}"/>`, '    </testcase>'];
  if (r.verdict === 'error') {
    return [
      `${open}>`,
      `      <error type="error" message="${xmlAttr(`${verdictLine(r)}: ${r.error ?? 'the harness could not observe'}`)}">${details}</error>`,
      '    </testcase>',
    ];
  }
  if (isUnexpected(r)) {
    return [
      `${open}>`,
      `      <failure type="${xmlAttr(r.verdict)}" message="${xmlAttr(verdictLine(r))}">${details}</failure>`,
      '    </testcase>',
    ];
  }
  return [`${open}/>`];
}

function count(rs: readonly PhaseResult[]): { tests: number; failures: number; errors: number; skipped: number } {
  const skipped = rs.filter(isSkipped).length;
  const errors = rs.filter((r) => !isSkipped(r) && r.verdict === 'error').length;
  const failures = rs.filter((r) => isUnexpected(r) && r.verdict !== 'error').length;
  return { tests: rs.length, failures, errors, skipped };
}

function totalMs(rs: readonly PhaseResult[]): number {
  return rs.reduce((sum, r) => sum + r.durationMs, 0);
}

function secs(ms: number): string {
  return (ms / 1000).toFixed(3);
}
