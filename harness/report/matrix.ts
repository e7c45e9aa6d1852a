import type { PhaseResult, RunResults } from '../model/results.ts';
import { isSkipped } from './exit-code.ts';
import { markdownText, tableHead, tableRow } from './markdown-table.ts';
import { timingRows, timingSummary } from './timings.ts';
import { verdictState, verdictText } from './verdict-state.ts';

/** One scenario × phase row of the matrix: its result per Istio version (absent: not run there). */
export type MatrixRow = {
  scenario: string;
  phase: string;
  byVersion: Map<string, PhaseResult>;
  /** 'changed' when the verdicts observed on different versions disagree; 'changed-as-expected' when each was the one expected there. */
  acrossVersions: 'same' | 'changed' | 'changed-as-expected';
};

export type VerdictMatrix = { versions: string[]; rows: MatrixRow[] };

/**
 * Scenario × phase × Istio version, rows in the order the run reported them. Only real verdicts
 * count towards "changed between versions": `error` (the harness could not observe) and
 * `skipped` say nothing about Istio, so a row with one of them is compared on the others.
 */
export function verdictMatrix(results: RunResults): VerdictMatrix {
  const versions = [...new Set([...results.istioVersions, ...results.results.map((r) => r.istio)])];
  const rows = new Map<string, MatrixRow>();
  for (const r of results.results) {
    const key = `${r.scenario}\u0000${r.phase}`;
    const row = rows.get(key) ?? { scenario: r.scenario, phase: r.phase, byVersion: new Map(), acrossVersions: 'same' as const };
    row.byVersion.set(r.istio, r);
    rows.set(key, row);
  }
  for (const row of rows.values()) row.acrossVersions = acrossVersions([...row.byVersion.values()]);
  return { versions, rows: [...rows.values()] };
}

function acrossVersions(cells: readonly PhaseResult[]): MatrixRow['acrossVersions'] {
  const observed = cells.filter((r) => !isSkipped(r) && r.verdict !== 'error' && r.verdict !== 'skipped');
  if (new Set(observed.map((r) => r.verdict)).size <= 1) return 'same';
  return observed.every((r) => r.asExpected) ? 'changed-as-expected' : 'changed';
}

/** `reproduced`, or `**not-reproduced** (expected reproduced)` when the verdict is not the one expected. */
export function verdictCell(r: PhaseResult | undefined): string {
  return r === undefined ? '—' : verdictText(verdictState(r), '**');
}

/** How the matrix names a row's `acrossVersions` (matrix.md and report.html). */
export const ACROSS_VERSIONS_TEXT: Record<MatrixRow['acrossVersions'], string> = {
  same: '',
  changed: 'changed between versions',
  'changed-as-expected': 'changed between versions (as expected)',
};

/** matrix.md: the verdict matrix as a Markdown table, for CI summaries and pull-request comments. */
export function renderMatrixMarkdown(results: RunResults): string {
  const { versions, rows } = verdictMatrix(results);
  const several = versions.length > 1;
  const level = results.level === 'config' ? ' (config level)' : '';
  const header = ['scenario', 'phase', ...versions.map((v) => `istio ${v}${level}`), ...(several ? ['across versions'] : [])];
  const lines = [
    `# Verdicts of run ${markdownText(results.runId)}`,
    '',
    results.level === 'config'
      ? `**Config level**: Istio's own code (${configBuildsText(results)}) computed the config of each phase; no cluster, no packets. Istio's traffic simulation does not tell TLS from mTLS and ignores source matching, upstream TLS and listener-filter timeouts; hops marked casebook-inference in the evidence are ours. ${results.startedAt} to ${results.finishedAt}.`
      : `Istio ${versions.join(', ')} on ${markdownText(results.cluster.provider)} cluster ${markdownText(results.cluster.name)}, ${markdownText(results.startedAt)} to ${markdownText(results.finishedAt)}.`,
    '',
    ...tableHead(header),
    ...rows.map((row) =>
      tableRow([
        row.scenario,
        row.phase,
        ...versions.map((v) => verdictCell(row.byVersion.get(v))),
        ...(several ? [ACROSS_VERSIONS_TEXT[row.acrossVersions]] : []),
      ]),
    ),
    '',
    `**bold**: not the verdict expected on that Istio version. —: not run on that version.${several ? ` ${changedSentence(rows)}` : ''}`,
    ...timingsMarkdown(results),
  ];
  return `${lines.join('\n')}\n`;
}

/** The run's timed steps and each phase's apply → settled, when the results have them. */
function timingsMarkdown(results: RunResults): string[] {
  const rows = timingRows(results);
  if (rows.length === 0) return [];
  const summary = timingSummary(results);
  return [
    '',
    '## Timings',
    '',
    ...(summary ? [summary, ''] : []),
    ...tableHead(['step', 'istio', 'time', 'detail']),
    ...rows.map((r) => tableRow([r.what, r.istio, r.seconds, r.detail])),
  ];
}

/** "istio 1.30.3 = release-1.30@9739e10eb9d7, …": a config-level verdict names the commit that computed it. */
export function configBuildsText(results: RunResults): string {
  return (
    Object.entries(results.configBuilds ?? {})
      .map(([v, b]) => `istio ${v} = ${b.label}`)
      .join(', ') || 'builds not recorded'
  );
}

function changedSentence(rows: readonly MatrixRow[]): string {
  const changed = rows.filter((r) => r.acrossVersions !== 'same').length;
  return changed === 0 ? 'No verdict changed between versions.' : `${changed} of ${rows.length} phase(s) changed verdict between versions.`;
}

const LISTED = 5;

/**
 * One console line about the matrix, or undefined for a single-version run:
 * "1 phase changed verdict between istio 1.30.3 and 1.31.0: a/broken (matrix.md)".
 */
export function matrixConsoleLine(results: RunResults): string | undefined {
  const { versions, rows } = verdictMatrix(results);
  if (versions.length < 2) return undefined;
  const between = `between istio ${versions.slice(0, -1).join(', ')} and ${versions.at(-1)}`;
  const changed = rows.filter((r) => r.acrossVersions !== 'same').map((r) => `${r.scenario}/${r.phase}`);
  if (changed.length === 0) return `no verdict changed ${between}`;
  const more = changed.length > LISTED ? ` and ${changed.length - LISTED} more` : '';
  return `${changed.length} phase(s) changed verdict ${between}: ${changed.slice(0, LISTED).join(', ')}${more} (matrix.md)`;
}
