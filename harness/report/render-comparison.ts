import type { Comparison, PhaseChange, VersionComparison } from './compare-results.ts';
import { markdownText, tableHead, tableRow } from './markdown-table.ts';
import { verdictText } from './verdict-state.ts';

/** "istio 1.30.3 → 1.31.0" for an upgrade pairing, "istio 1.31.0" when both sides ran the same version. */
function versionLabel(v: Pick<VersionComparison, 'baseline' | 'current'>): string {
  return v.baseline === v.current ? `istio ${v.current}` : `istio ${v.baseline} → ${v.current}`;
}

/** The comparison as console lines; the last one is the verdict of the gate. */
export function renderComparisonText(c: Comparison): string[] {
  const lines = [
    `baseline ${c.baseline.runId} (istio ${c.baseline.istioVersions.join(', ')}) → current ${c.current.runId} (istio ${c.current.istioVersions.join(', ')})`,
  ];
  for (const v of c.versions) {
    lines.push(
      v.changes.length === 0
        ? `${versionLabel(v)}: no verdict changed among ${v.compared} phase(s) compared`
        : `${versionLabel(v)}: ${v.changes.length} change(s), ${v.compared} phase(s) compared`,
    );
    for (const change of v.changes) lines.push(`  ${changeLine(change)}`);
  }
  for (const v of c.notCompared) lines.push(`baseline istio ${v}: not compared (no version of the current run pairs with it)`);
  lines.push(comparisonSummary(c));
  return lines;
}

function changeLine(ch: PhaseChange): string {
  switch (ch.kind) {
    case 'changed': {
      const mark = ch.regression ? '✗' : '~';
      return `${mark} ${ch.scenario}/${ch.phase}: ${verdictText(ch.before)} → ${verdictText(ch.after)}${ch.regression ? ': regression' : ''}`;
    }
    case 'phase-added':
      return `+ ${ch.scenario}/${ch.phase}: new phase, ${verdictText(ch.after)}`;
    case 'phase-removed':
      return `- ${ch.scenario}/${ch.phase}: phase removed (was ${verdictText(ch.before)})`;
    case 'scenario-added':
      return `+ scenario ${ch.scenario}: new (${ch.phases.join(', ')})`;
    case 'scenario-removed':
      return `- scenario ${ch.scenario}: removed (${ch.phases.join(', ')})`;
  }
}

/**
 * "no verdict changed", "no regression (3 change(s))", or
 * "1 regression: as expected in the baseline, not now: istio 1.31.0: a/broken".
 */
export function comparisonSummary(c: Comparison): string {
  const changes = c.versions.reduce((n, v) => n + v.changes.length, 0);
  if (c.regressions === 0) return changes === 0 ? 'no verdict changed' : `no regression (${changes} change(s))`;
  const where = c.versions
    .map((v) => [v, v.changes.filter(isRegression)] as const)
    .filter(([, rs]) => rs.length > 0)
    .map(([v, rs]) => `${versionLabel(v)}: ${rs.map((r) => `${r.scenario}/${r.phase}`).join(', ')}`);
  return `${c.regressions} regression(s), as expected in the baseline and not now: ${where.join('; ')}`;
}

function isRegression(ch: PhaseChange): ch is Extract<PhaseChange, { kind: 'changed' }> {
  return ch.kind === 'changed' && ch.regression;
}

/** comparison.md: the changes as a Markdown table. */
export function renderComparisonMarkdown(c: Comparison): string {
  const header = ['istio', 'scenario', 'phase', `baseline ${c.baseline.runId}`, `current ${c.current.runId}`, ''];
  const rows = c.versions.flatMap((v) => v.changes.map((ch) => [versionLabel(v).replace(/^istio /, ''), ch.scenario, ...changeCells(ch)]));
  const lines = [
    `# Comparison: baseline ${markdownText(c.baseline.runId)} → current ${markdownText(c.current.runId)}`,
    '',
    `Baseline: istio ${markdownText(c.baseline.istioVersions.join(', '))}. Current: istio ${markdownText(c.current.istioVersions.join(', '))}. ` +
      `Compared: ${c.versions.map((v) => `${versionLabel(v)} (${v.compared} phase(s))`).join(', ') || 'nothing (no version pairs)'}.` +
      (c.notCompared.length > 0 ? ` Not compared: baseline istio ${c.notCompared.join(', ')}.` : ''),
    '',
    ...(rows.length === 0 ? [] : [...tableHead(header), ...rows.map((r) => tableRow(r)), '']),
    `**${comparisonSummary(c)}**`,
  ];
  return `${lines.join('\n')}\n`;
}

function changeCells(ch: PhaseChange): string[] {
  switch (ch.kind) {
    case 'changed':
      return [ch.phase, verdictText(ch.before, '**'), verdictText(ch.after, '**'), ch.regression ? 'regression' : ''];
    case 'phase-added':
      return [ch.phase, '—', verdictText(ch.after, '**'), 'new phase'];
    case 'phase-removed':
      return [ch.phase, verdictText(ch.before, '**'), '—', 'phase removed'];
    case 'scenario-added':
      return [ch.phases.join(', '), '—', 'new scenario', ''];
    case 'scenario-removed':
      return [ch.phases.join(', '), 'removed scenario', '—', ''];
  }
}
