import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadProblem } from '../model/errors.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { layout } from './casebook-root.ts';
import { uniqueById } from './definition-problems.ts';
import { placeholderProblems } from './placeholder-problems.ts';

/** What the loader found in scenarios/<folder>/scenario.ts (its default export, or why none). */
export type FolderModule = { folder: string; exported?: unknown; importError?: string };

/**
 * Problems between the registry and the files: folders nobody registered, ids that are not their
 * folder's name, missing READMEs and manifests, placeholders in manifests naming nothing.
 */
export function fileProblems(root: string, registered: readonly ScenarioDefinition[], folders: readonly FolderModule[]): LoadProblem[] {
  const problems: LoadProblem[] = [];
  const add = (location: string, message: string) => problems.push({ location, message });
  const folderNames = new Set(folders.map((f) => f.folder));

  for (const f of folders) {
    const location = layout.scenarioModule(f.folder);
    if (f.importError !== undefined) {
      add(location, `cannot be imported: ${f.importError}`);
      continue;
    }
    if (f.exported === undefined) {
      add(location, 'has no default export (export default defineScenario({ … }))');
      continue;
    }
    if (!registered.includes(f.exported as ScenarioDefinition)) {
      add(location, `scenario folder '${f.folder}' is not registered: import it in ${layout.registry} and add it to \`scenarios\``);
    }
    const id = (f.exported as { id?: unknown }).id;
    if (id !== f.folder) add(location, `id '${String(id)}' differs from its folder name '${f.folder}' (the id is the folder name)`);
  }

  const unique = uniqueById(registered);
  for (const s of unique) {
    if (!folderNames.has(s.id)) {
      add(
        layout.registry,
        `scenario '${s.id}' has no folder ${layout.scenarioDir(s.id)}/ with a scenario.ts (the id must be the folder name)`,
      );
      continue;
    }
    if (!existsSync(join(root, layout.scenarioReadme(s.id)))) {
      add(layout.scenarioReadme(s.id), 'missing: every scenario has a README.md telling its story (symptom, cause, fix, evidence)');
    }
  }

  for (const s of unique) {
    const missing = (path: string, what: string) => {
      if (!existsSync(join(root, path))) add(`${layout.scenarioModule(s.id)}: ${what}`, `missing manifest ${path}`);
    };
    missing(layout.meshProfile(s.mesh.profile), 'mesh.profile');
    for (const [i, file] of (s.mesh.apply ?? []).entries()) missing(layout.meshApply(file), `mesh.apply[${i}]`);
    for (const [i, w] of s.workloads.entries()) missing(layout.workloadManifest(w.manifest ?? w.name), `workloads[${i}]`);
    for (const [i, file] of (s.setup?.apply ?? []).entries()) {
      const path = layout.phaseManifest(s.id, file);
      if (!existsSync(join(root, path))) {
        add(`${layout.scenarioModule(s.id)}: setup.apply[${i}]`, `missing manifest ${path}`);
        continue;
      }
      problems.push(...placeholderProblems(s, path, readFileSync(join(root, path), 'utf8')));
    }
    for (const [name, phase] of Object.entries(s.phases)) {
      for (const [i, file] of (phase?.apply ?? []).entries()) {
        const path = layout.phaseManifest(s.id, file);
        if (!existsSync(join(root, path))) {
          add(`${layout.scenarioModule(s.id)}: phases.${name}.apply[${i}]`, `missing manifest ${path}`);
          continue;
        }
        problems.push(...placeholderProblems(s, path, readFileSync(join(root, path), 'utf8')));
      }
    }
  }
  return problems;
}

/** Sub-folders of scenarios/ (each should hold one scenario). */
export function scenarioFolders(root: string): string[] {
  const dir = join(root, 'scenarios');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}
