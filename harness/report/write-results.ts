import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResults } from '../model/results.ts';
import { renderJUnit } from './junit.ts';

/** Writes `<dir>/results.json` (the input of every other reporter) and returns its path. */
export async function writeResults(dir: string, results: RunResults): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'results.json');
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
  return path;
}

/** results.json and junit.xml side by side; returns both paths. */
export async function writeReports(dir: string, results: RunResults): Promise<{ json: string; junit: string }> {
  const json = await writeResults(dir, results);
  const junit = join(dir, 'junit.xml');
  await writeFile(junit, renderJUnit(results));
  return { json, junit };
}
