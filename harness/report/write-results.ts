import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { redactDeep } from '../evidence/redact.ts';
import type { RunResults } from '../model/results.ts';
import type { Comparison } from './compare-results.ts';
import { renderHtml, type ScenarioNarrative } from './html.ts';
import { renderJUnit } from './junit.ts';
import { renderMatrixMarkdown } from './matrix.ts';
import { renderComparisonMarkdown } from './render-comparison.ts';

/** Writes `<dir>/results.json` (the input of every other reporter) and returns its path. */
export async function writeResults(dir: string, results: RunResults): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'results.json');
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
  return path;
}

/**
 * results.json, junit.xml, matrix.md (scenario × phase × Istio version) and report.html side by
 * side; returns their paths. `scenarios` gives report.html each scenario's title, source, symptom,
 * cause, fix and phase order; without them it shows the results alone.
 */
export async function writeReports(
  dir: string,
  results: RunResults,
  opts: { scenarios?: readonly ScenarioNarrative[] } = {},
): Promise<{ json: string; junit: string; matrix: string; html: string }> {
  // The one redaction point for every report: probe output, errors and messages can hold keys,
  // tokens and cookies, and each renderer below only sees the redacted copy.
  results = redactDeep(results);
  const json = await writeResults(dir, results);
  const junit = join(dir, 'junit.xml');
  await writeFile(junit, renderJUnit(results));
  const matrix = join(dir, 'matrix.md');
  await writeFile(matrix, renderMatrixMarkdown(results));
  const html = join(dir, 'report.html');
  await writeFile(html, renderHtml(results, opts.scenarios));
  return { json, junit, matrix, html };
}

/** comparison.json (the Comparison, for tools) and comparison.md beside the run's other reports; returns their paths. */
export async function writeComparison(dir: string, comparison: Comparison): Promise<{ json: string; markdown: string }> {
  await mkdir(dir, { recursive: true });
  comparison = redactDeep(comparison);
  const json = join(dir, 'comparison.json');
  await writeFile(json, `${JSON.stringify(comparison, null, 2)}\n`);
  const markdown = join(dir, 'comparison.md');
  await writeFile(markdown, renderComparisonMarkdown(comparison));
  return { json, markdown };
}
