import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * Every container image named in manifests/workloads/*.yaml (containers and initContainers of
 * pod templates, bare pods included), sorted and de-duplicated. What `casebook setup` pulls and
 * what a run preloads into kind.
 */
export async function collectImages(workloadsDir: string): Promise<string[]> {
  let files: string[];
  try {
    files = (await readdir(workloadsDir)).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const images = new Set<string>();
  for (const file of files) {
    for (const doc of parseAllDocuments(await readFile(join(workloadsDir, file), 'utf8'))) {
      for (const image of imagesIn(doc.toJS())) images.add(image);
    }
  }
  return [...images].sort();
}

/** Pod specs sit at spec (Pod), spec.template.spec (Deployment, StatefulSet, DaemonSet, Job) or deeper (CronJob). */
const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

export function imagesIn(object: unknown): string[] {
  const kind = at(object, ['kind']);
  const spec = at(object, POD_SPEC_PATHS[String(kind)] ?? ['spec', 'template', 'spec']);
  return [...asList(at(spec, ['initContainers'])), ...asList(at(spec, ['containers']))]
    .map((c) => at(c, ['image']))
    .filter((i): i is string => typeof i === 'string' && i.length > 0);
}

function at(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
