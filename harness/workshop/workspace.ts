import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { layout } from '../load/casebook-root.ts';
import type { Phase, ScenarioDefinition } from '../model/scenario.ts';
import { secretsYaml } from './fix-input.ts';

/**
 * A phase's manifests as a learner edits them: its `apply` files as written (placeholders such as
 * `${external.mysql-external.ip}` kept: the casebook fills them in), and its Secrets as
 * placeholder manifests in secrets.yaml. `casebook check` reads the folder back.
 */
export function phaseFiles(root: string, s: ScenarioDefinition, phaseName: string): Map<string, string> {
  const phase = s.phases[phaseName as keyof typeof s.phases] as Phase | undefined;
  if (!phase) throw new Error(`${s.id} has no phase ${phaseName}`);
  const files = new Map<string, string>();
  // Flat names (serviceentry.yaml), unless two files of the phase would share one.
  const flat = phase.apply.map((f) => f.replace(/^[^/]+\//, ''));
  phase.apply.forEach((f, i) => {
    const name = flat.indexOf(flat[i]!) === flat.lastIndexOf(flat[i]!) ? flat[i]! : f;
    files.set(name, readFileSync(join(root, layout.phaseManifest(s.id, f)), 'utf8'));
  });
  if (phase.secrets?.length) files.set('secrets.yaml', secretsYaml(phase.secrets));
  return files;
}

export function writeFiles(dir: string, files: ReadonlyMap<string, string>): string[] {
  for (const [rel, text] of files) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return [...files.keys()];
}
