import { redactSecrets } from '../evidence/redact.ts';
import type { PhaseResult, ProbeResult, RunResults } from '../model/results.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { summaryLine } from './console-reporter.ts';
import { ACROSS_VERSIONS_TEXT, configBuildsText, verdictMatrix, type MatrixRow } from './matrix.ts';
import { verdictState, verdictText } from './verdict-state.ts';
import { xmlAttr, xmlText } from './xml-escape.ts';
import { HTML_STYLE } from './html-style.ts';
import { timingRows, timingSummary } from './timings.ts';

/** What the report tells about a scenario beyond its results: a ScenarioDefinition fits as is. */
export type ScenarioNarrative = Pick<ScenarioDefinition, 'id' | 'title' | 'source' | 'symptom' | 'cause' | 'fix'> & {
  phases?: Partial<Record<string, { summary: string }>>;
};

/**
 * report.html: one self-contained file (inline CSS, no script, nothing fetched) with the verdict
 * matrix and, per scenario, its phases side by side so broken and fixed can be read against each
 * other. Text is escaped and passed through redactSecrets; evidence is only linked, never inlined.
 */
export function renderHtml(results: RunResults, scenarios: readonly ScenarioNarrative[] = []): string {
  const narratives = new Map(scenarios.map((s) => [s.id, s]));
  const matrix = verdictMatrix(results);
  const title = `Casebook run ${results.runId}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // Belt and braces: even a missed escape could not run a script or fetch anything.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${text(title)}</title>`,
    `<style>${HTML_STYLE}</style>`,
    '</head>',
    '<body>',
    runHeader(results, matrix.versions, title),
    matrixSection(matrix.versions, matrix.rows),
    ...scenarioIds(matrix.rows).map((id) =>
      scenarioSection(
        id,
        narratives.get(id),
        results.results.filter((r) => r.scenario === id),
        matrix.versions,
      ),
    ),
    ...timingsSection(results),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function runHeader(results: RunResults, versions: readonly string[], title: string): string {
  const facts: [string, string][] = [
    ['run id', results.runId],
    ['Istio', versions.join(', ')],
    ['cluster', `${results.cluster.provider} cluster ${results.cluster.name}`],
    [
      'level',
      results.level === 'config'
        ? `config level: Istio's own code at ${configBuildsText(results)} computed each phase's config; no cluster, no packets (a runtime run proves those). Istio's traffic simulation does not tell TLS from mTLS and ignores source matching, upstream TLS and listener-filter timeouts; hops marked casebook-inference in the evidence are ours`
        : 'runtime: real proxies on a cluster',
    ],
    ['started', results.startedAt],
    ['finished', results.finishedAt],
    ['casebook', results.casebookVersion],
    ['summary', summaryLine(results)],
  ];
  return [
    '<header class="run">',
    `<h1>${text(title)}</h1>`,
    `<dl>${facts.map(([k, v]) => `<dt>${text(k)}</dt><dd>${text(v)}</dd>`).join('')}</dl>`,
    '</header>',
  ].join('\n');
}

/** Where the run's time went: its timed steps and each phase's apply → settled (absent in older results). */
function timingsSection(results: RunResults): string[] {
  const rows = timingRows(results);
  if (rows.length === 0) return [];
  const summary = timingSummary(results);
  return [
    '<section id="timings">',
    '<h2>Timings</h2>',
    ...(summary ? [`<p>${text(summary)}</p>`] : []),
    '<table class="timings">',
    `<thead><tr>${['step', 'istio', 'time', 'detail'].map((h) => `<th>${text(h)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...rows.map((r) => `<tr><td>${text(r.what)}</td><td>${text(r.istio)}</td><td>${text(r.seconds)}</td><td>${text(r.detail)}</td></tr>`),
    '</tbody>',
    '</table>',
    '</section>',
  ];
}

function matrixSection(versions: readonly string[], rows: readonly MatrixRow[]): string {
  const several = versions.length > 1;
  const head = ['scenario', 'phase', ...versions.map((v) => `istio ${v}`), ...(several ? ['across versions'] : [])];
  const body = rows.map((row) =>
    [
      '<tr>',
      `<td><a href="#${xmlAttr(anchor(row.scenario))}">${text(row.scenario)}</a></td>`,
      `<td>${text(row.phase)}</td>`,
      ...versions.map((v) => matrixCell(row.byVersion.get(v), v)),
      ...(several ? [`<td class="across ${row.acrossVersions}">${text(ACROSS_VERSIONS_TEXT[row.acrossVersions])}</td>`] : []),
      '</tr>',
    ].join(''),
  );
  return [
    '<section id="matrix">',
    '<h2>Verdicts</h2>',
    '<table class="matrix">',
    `<thead><tr>${head.map((h) => `<th>${text(h)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...body,
    '</tbody>',
    '</table>',
    '<p class="legend">Highlighted: not the verdict expected on that Istio version. —: not run on that version.</p>',
    '</section>',
  ].join('\n');
}

function matrixCell(r: PhaseResult | undefined, istio: string): string {
  if (r === undefined) return `<td class="verdict not-run" data-istio="${xmlAttr(istio)}">—</td>`;
  return `<td class="verdict ${stateClass(r)}" data-istio="${xmlAttr(istio)}">${text(verdictText(verdictState(r)))}</td>`;
}

function stateClass(r: PhaseResult): 'skipped' | 'as-expected' | 'unexpected' {
  const s = verdictState(r);
  if (s.skipped) return 'skipped';
  return s.asExpected ? 'as-expected' : 'unexpected';
}

function scenarioIds(rows: readonly MatrixRow[]): string[] {
  return [...new Set(rows.map((r) => r.scenario))];
}

function scenarioSection(
  id: string,
  story: ScenarioNarrative | undefined,
  results: readonly PhaseResult[],
  versions: readonly string[],
): string {
  const phases = phaseOrder(story, results);
  const ran = versions.filter((v) => results.some((r) => r.istio === v));
  const header = phases.map((p) => {
    const summary = story?.phases?.[p]?.summary;
    return `<th scope="col" data-phase="${xmlAttr(p)}">${text(p)}${summary ? `<p class="summary">${text(summary)}</p>` : ''}</th>`;
  });
  const rows = ran.map((v) =>
    [
      '<tr>',
      `<th scope="row">istio ${text(v)}</th>`,
      ...phases.map((p) =>
        phaseCell(
          results.find((r) => r.istio === v && r.phase === p),
          p,
          v,
        ),
      ),
      '</tr>',
    ].join(''),
  );
  return [
    `<section class="scenario" id="${xmlAttr(anchor(id))}">`,
    `<h2>${text(story?.title ?? id)}</h2>`,
    `<p class="id">${text(id)}</p>`,
    story
      ? narrative(story)
      : '<p class="no-story">The scenario definition was not available to this report: only the results are shown.</p>',
    '<div class="side-by-side">',
    '<table class="phases">',
    `<thead><tr><th></th>${header.join('')}</tr></thead>`,
    '<tbody>',
    ...rows,
    '</tbody>',
    '</table>',
    '</div>',
    '</section>',
  ].join('\n');
}

function narrative(s: ScenarioNarrative): string {
  const w = s.source;
  const title = w.url ? `<a href="${xmlAttr(w.url)}" rel="noreferrer">${text(w.title)}</a>` : text(`"${w.title}"`);
  const source =
    [title, ...[w.author, w.date].filter((x): x is string => Boolean(x)).map(text)].join(', ') + (w.note ? ` (${text(w.note)})` : '');
  return [
    '<dl class="story">',
    `<dt>source</dt><dd>${source}</dd>`,
    `<dt>symptom</dt><dd>${text(s.symptom)}</dd>`,
    `<dt>cause</dt><dd>${text(s.cause)}</dd>`,
    `<dt>fix</dt><dd>${text(s.fix)}</dd>`,
    '</dl>',
  ].join('\n');
}

/** The scenario's declaration order (broken before fixed, as written); phases it does not declare follow in the order they ran. */
function phaseOrder(story: ScenarioNarrative | undefined, results: readonly PhaseResult[]): string[] {
  const ran = new Set(results.map((r) => r.phase));
  const declared = Object.keys(story?.phases ?? {}).filter((p) => ran.has(p));
  return [...new Set([...declared, ...ran])];
}

function phaseCell(r: PhaseResult | undefined, phase: string, istio: string): string {
  const where = `data-phase="${xmlAttr(phase)}" data-istio="${xmlAttr(istio)}"`;
  if (r === undefined) return `<td class="phase not-run" ${where}><p class="verdict">not run on this version</p></td>`;
  const because = r.expectedBecause ? ` <span class="because">(${text(r.expectedBecause)})</span>` : '';
  const parts = [
    `<p class="verdict"><strong>${text(r.verdict)}</strong></p>`,
    `<p class="expected">expected ${text(r.expected)}${because}</p>`,
    ...(r.skippedReason ? [`<p class="note">skipped: ${text(r.skippedReason)}</p>`] : []),
    ...(r.error ? [`<p class="note error">error: ${text(r.error)}</p>`] : []),
    ...(r.probes.length > 0 ? [`<ul class="probes">${r.probes.map(probeItem).join('')}</ul>`] : []),
    ...(r.evidence.length > 0
      ? [
          `<ul class="evidence">${r.evidence.map((e) => `<li><a href="${xmlAttr(relativeHref(e.path))}" type="${xmlAttr(e.contentType)}">${text(e.name)}</a></li>`).join('')}</ul>`,
        ]
      : []),
    ...(stateClass(r) === 'skipped' ? [] : [`<p class="duration">${text(seconds(r.durationMs))}</p>`]),
  ];
  return `<td class="phase ${stateClass(r)}" ${where}>${parts.join('')}</td>`;
}

function probeItem(p: ProbeResult): string {
  const state = p.infrastructureError ? 'infrastructure' : p.held ? 'held' : 'not-held';
  const said = p.infrastructureError ? 'infrastructure error' : p.held ? 'held' : 'did not hold';
  const attempts = `${p.attempts.length} attempt${p.attempts.length === 1 ? '' : 's'}`;
  return `<li class="probe ${state}"><span class="probe-name">${text(p.probe)}</span> (${text(p.spec.kind)}, ${attempts}): ${said}<pre>${text(p.message)}</pre></li>`;
}

/**
 * Evidence paths are relative to the report folder (EvidenceRef). Each segment is URI-encoded, so
 * a name with `#`, `?` or `:` stays a file name and can never become a scheme such as javascript:.
 */
function relativeHref(path: string): string {
  return path
    .split(/[\\/]/)
    .filter((s) => s !== '')
    .map(encodeURIComponent)
    .join('/');
}

function anchor(scenario: string): string {
  return `scenario-${scenario.replace(/[^A-Za-z0-9_-]+/g, '_')}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function text(s: string): string {
  return xmlText(redactSecrets(s));
}
