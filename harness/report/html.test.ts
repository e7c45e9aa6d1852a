import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { PhaseResult, RunResults } from '../model/results.ts';
import type { WriteUp } from '../model/write-up.ts';
import scenario from '../../scenarios/destinationrule-without-tls-overrides-mesh-mtls/scenario.ts';
import { sampleRun } from './testing/sample-run.ts';
import { renderHtml } from './html.ts';
import { writeReports } from './write-results.ts';

const DR = 'destinationrule-without-tls-overrides-mesh-mtls';

/**
 * The sample run plus a phase the scenario declares first but that was reported last
 * (control-mesh-mtls), so column order can only come from the declaration.
 */
function run(): RunResults {
  const r = sampleRun();
  const first = r.results[0]!;
  const control: PhaseResult = { ...first, phase: 'control-mesh-mtls', intent: 'control', verdict: 'passed', expected: 'passed' };
  return { ...r, results: [...r.results, control] };
}

/** The inner HTML of every element `<tag …>…</tag>` (non-nested) inside `html`. */
function elements(html: string, tag: string): string[] {
  return [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[0]);
}

function section(html: string, id: string): string {
  const start = html.indexOf(`<section class="scenario" id="scenario-${id}">`);
  assert.ok(start >= 0, `no section for ${id}`);
  return html.slice(start, html.indexOf('</section>', start));
}

const attr = (el: string, name: string) => [...el.matchAll(new RegExp(`${name}="([^"]*)"`, 'g'))].map((m) => m[1]);

describe('report.html', () => {
  const html = renderHtml(run(), [scenario]);

  test('header: run id, Istio versions, cluster, the summary line', () => {
    const header = elements(html, 'header')[0]!;
    assert.ok(header.includes('<h1>Casebook run run-1</h1>'), header);
    assert.ok(
      header.includes('<dt>run id</dt><dd>run-1</dd><dt>Istio</dt><dd>1.30.3, 1.31.0</dd><dt>cluster</dt><dd>kind cluster casebook</dd>'),
      header,
    );
    assert.match(
      header,
      /<dt>summary<\/dt><dd>2\/6 phases not as expected \(istio 1\.31\.0: destinationrule-without-tls-overrides-mesh-mtls\/broken, destinationrule-without-tls-overrides-mesh-mtls\/fixed\); 1 skipped<\/dd>/,
    );
  });

  test('matrix: a row per scenario × phase, a cell per version, unexpected cells marked with their expectation', () => {
    const table = elements(html, 'table').find((t) => t.startsWith('<table class="matrix">'))!;
    assert.deepEqual(elements(table, 'th'), [
      '<th>scenario</th>',
      '<th>phase</th>',
      '<th>istio 1.30.3</th>',
      '<th>istio 1.31.0</th>',
      '<th>across versions</th>',
    ]);
    const rows = elements(table.slice(table.indexOf('<tbody>')), 'tr');
    const link = `<td><a href="#scenario-${DR}">${DR}</a></td>`;
    assert.deepEqual(rows, [
      `<tr>${link}<td>broken</td><td class="verdict as-expected" data-istio="1.30.3">reproduced</td>` +
        '<td class="verdict unexpected" data-istio="1.31.0">not-reproduced (expected reproduced)</td><td class="across changed">changed between versions</td></tr>',
      `<tr>${link}<td>fixed</td><td class="verdict as-expected" data-istio="1.30.3">fixed</td>` +
        '<td class="verdict unexpected" data-istio="1.31.0">error (expected fixed)</td><td class="across same"></td></tr>',
      `<tr>${link}<td>control-auto-mtls</td><td class="verdict skipped" data-istio="1.30.3">skipped</td>` +
        '<td class="verdict not-run" data-istio="1.31.0">—</td><td class="across same"></td></tr>',
      '<tr><td><a href="#scenario-ingress-tls-simple">ingress-tls-simple</a></td><td>fixed</td><td class="verdict not-run" data-istio="1.30.3">—</td>' +
        '<td class="verdict as-expected" data-istio="1.31.0">fixed</td><td class="across same"></td></tr>',
      `<tr>${link}<td>control-mesh-mtls</td><td class="verdict as-expected" data-istio="1.30.3">passed</td>` +
        '<td class="verdict not-run" data-istio="1.31.0">—</td><td class="across same"></td></tr>',
    ]);
    // The highlight is real: the inline style sheet gives unexpected cells their own background.
    assert.match(html, /\.matrix td\.verdict\.unexpected[^{]*\{ background: #fde2e1;/);
  });

  test('per scenario: title, source, symptom, cause, fix from the definition', () => {
    const s = section(html, DR);
    assert.ok(s.includes(`<h2>${scenario.title}</h2>`), s);
    const source: WriteUp = scenario.source;
    assert.ok(
      s.includes(
        `<dt>source</dt><dd>${source.url ? `<a href="${source.url}" rel="noreferrer">${source.title}</a>` : `"${source.title}"`}, ${source.author}`,
      ),
      s,
    );
    for (const k of ['symptom', 'cause', 'fix'] as const) {
      assert.ok(s.includes(`<dt>${k}</dt><dd>${scenario[k].replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</dd>`), k);
    }
    const other = section(html, 'ingress-tls-simple');
    assert.ok(other.includes('<h2>ingress-tls-simple</h2>'), other);
    assert.ok(other.includes('<p class="no-story">The scenario definition was not available to this report'), other);
  });

  test('phases side by side: one column per phase in declaration order, one row per Istio version', () => {
    const s = section(html, DR);
    assert.deepEqual(Object.keys(scenario.phases), ['control-mesh-mtls', 'broken', 'fixed', 'control-auto-mtls']);
    const head = elements(s, 'thead')[0]!;
    assert.deepEqual(attr(head, 'data-phase'), ['control-mesh-mtls', 'broken', 'fixed', 'control-auto-mtls']);
    assert.ok(head.includes(`<p class="summary">${scenario.phases.broken!.summary}</p>`), head);
    const rows = elements(s.slice(s.indexOf('<tbody>')), 'tr');
    assert.deepEqual(
      rows.map((r) => elements(r, 'th')[0]),
      ['<th scope="row">istio 1.30.3</th>', '<th scope="row">istio 1.31.0</th>'],
    );
    const cells = rows.map((r) =>
      [...r.matchAll(/<td class="phase ([a-z-]+)" data-phase="([^"]+)" data-istio="([^"]+)">/g)].map((m) => `${m[2]}@${m[3]}:${m[1]}`),
    );
    assert.deepEqual(cells, [
      ['control-mesh-mtls@1.30.3:as-expected', 'broken@1.30.3:as-expected', 'fixed@1.30.3:as-expected', 'control-auto-mtls@1.30.3:skipped'],
      ['control-mesh-mtls@1.31.0:not-run', 'broken@1.31.0:unexpected', 'fixed@1.31.0:unexpected', 'control-auto-mtls@1.31.0:not-run'],
    ]);
    const broken131 = rows[1]!.slice(rows[1]!.indexOf('data-phase="broken"'));
    assert.ok(
      broken131.startsWith(
        'data-phase="broken" data-istio="1.31.0"><p class="verdict"><strong>not-reproduced</strong></p><p class="expected">expected reproduced</p>',
      ),
      broken131,
    );
    assert.ok(rows[1]!.includes('<p class="note error">error: exec into curl failed: pod not ready</p>'));
    assert.ok(rows[0]!.includes('<p class="note">skipped: not selected by --phase broken,fixed</p>'));
    assert.ok(
      rows[1]!.includes(
        '<td class="phase not-run" data-phase="control-auto-mtls" data-istio="1.31.0"><p class="verdict">not run on this version</p></td>',
      ),
    );
  });

  test('probes: the last check message of each, escaped; a <script> in a message stays text', () => {
    const r = run();
    const broken = r.results[3]!;
    const hostile = { ...broken.probes[0]!, message: 'expected status 503, got <script>alert("x")</script> & more' };
    const out = renderHtml({ ...r, results: [{ ...broken, probes: [broken.probes[0]!, hostile] }] });
    assert.doesNotMatch(out, /<script/i);
    assert.ok(
      out.includes(
        '<li class="probe not-held"><span class="probe-name">call</span> (http, 2 attempts): did not hold' +
          '<pre>expected status 503, got &lt;script&gt;alert("x")&lt;/script&gt; &amp; more</pre></li>',
      ),
      out,
    );
    // The fixture's own message: quotes, <&> and a BEL control character that HTML cannot carry.
    assert.ok(out.includes('<pre>expected status 503, got status 200; body "{\\"args\\": {}}" &lt;&amp;&gt; \\u0007</pre>'), out);
  });

  test('a private key that reached a message or error never reaches the HTML', () => {
    const r = run();
    const key = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
    const broken = r.results[3]!;
    const out = renderHtml({ ...r, results: [{ ...broken, error: `dump: ${key}`, probes: [{ ...broken.probes[0]!, message: key }] }] });
    assert.doesNotMatch(out, /MIIEvQIBADANBgkqhkiG9w0BAQEFAASC/);
    assert.ok(out.includes('<pre>-----BEGIN PRIVATE KEY-----[REDACTED]-----END PRIVATE KEY-----</pre>'), out);
  });

  test('evidence: linked relative to the report folder, each path segment URI-encoded, never inlined', () => {
    assert.ok(html.includes('<ul class="evidence"><li><a href="x/broken/access.log" type="text/plain">client access log</a></li></ul>'));
    const r = run();
    const odd = { ...r.results[3]!, evidence: [{ name: 'odd <name>', path: 'javascript:alert(1)/a #1?.txt', contentType: 'text/plain' }] };
    const out = renderHtml({ ...r, results: [odd] });
    assert.ok(out.includes('<a href="javascript%3Aalert(1)/a%20%231%3F.txt" type="text/plain">odd &lt;name&gt;</a>'), out);
  });

  test('self-contained: no script, no external asset, a policy that forbids fetching anything', () => {
    assert.ok(html.startsWith('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'));
    assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`));
    assert.doesNotMatch(html, /<script|<link|<img|<iframe|\bsrc=|@import|url\(/i);
    assert.equal(elements(html, 'style').length, 1);
    assert.ok(html.endsWith('</body>\n</html>\n'));
  });

  test('without definitions: phases in the order they ran, titles are the ids', () => {
    const out = renderHtml(run());
    assert.deepEqual(attr(elements(section(out, DR), 'thead')[0]!, 'data-phase'), [
      'broken',
      'fixed',
      'control-auto-mtls',
      'control-mesh-mtls',
    ]);
    assert.ok(section(out, DR).includes(`<h2>${DR}</h2>`));
  });

  test('writeReports writes report.html beside results.json and returns its path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'casebook-html-'));
    try {
      const paths = await writeReports(dir, run(), { scenarios: [scenario] });
      assert.equal(paths.html, join(dir, 'report.html'));
      assert.equal(paths.json, join(dir, 'results.json'));
      assert.equal(readFileSync(paths.html, 'utf8'), html);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
