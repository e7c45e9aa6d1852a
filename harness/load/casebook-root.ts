import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding scenarios/ and manifests/. `CASEBOOK_ROOT` points the CLI at another tree
 * (tests validate a temp copy with a typo in it); otherwise it is this checkout.
 */
export function casebookRoot(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['CASEBOOK_ROOT'];
  if (fromEnv) return resolve(fromEnv);
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/** Where each kind of file lives, relative to the root (also used in problem locations). */
export const layout = {
  registry: 'scenarios/index.ts',
  scenarioDir: (id: string) => join('scenarios', id),
  scenarioModule: (id: string) => join('scenarios', id, 'scenario.ts'),
  scenarioReadme: (id: string) => join('scenarios', id, 'README.md'),
  phaseManifest: (id: string, file: string) => join('manifests', 'scenarios', id, file),
  workloadManifest: (manifest: string) => join('manifests', 'workloads', `${manifest}.yaml`),
  meshProfile: (profile: string) => join('manifests', 'mesh', `${profile}.yaml`),
  meshApply: (file: string) => join('manifests', file),
} as const;
