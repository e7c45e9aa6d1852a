import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { validateManifestText, type ManifestProblem, type NamespaceRule } from './validate-manifest.ts';

/**
 * Validates every YAML file under manifests/ against the published schemas, with the namespace
 * rule of its folder:
 *   manifests/workloads/      shared workloads: no metadata.namespace (the runner sets the WorkloadRef's)
 *   manifests/scenarios/<id>/ metadata.namespace required, one of the scenario's namespaces or istio-system
 *   anything else (mesh/)     metadata.namespace required
 */
export async function validateManifests(
  root: string,
  scenarios: readonly ScenarioDefinition[],
): Promise<{ files: number; problems: ManifestProblem[] }> {
  const files = yamlFiles(join(root, 'manifests')).map((f) => relative(root, f).split(sep).join('/'));
  const problems: ManifestProblem[] = [];
  const orphans = new Set<string>();
  for (const file of files) {
    let rule = ruleFor(file, scenarios);
    if ('unknownScenario' in rule) {
      // Said once per folder; its files are still checked against the schemas.
      if (!orphans.has(rule.unknownScenario)) {
        orphans.add(rule.unknownScenario);
        problems.push({
          file: `manifests/scenarios/${rule.unknownScenario}/`,
          message: `belongs to no registered scenario (no '${rule.unknownScenario}' in scenarios/index.ts)`,
        });
      }
      rule = { mode: 'required' };
    }
    problems.push(...(await validateManifestText(file, readFileSync(join(root, file), 'utf8'), rule)));
  }
  return { files: files.length, problems };
}

export function ruleFor(file: string, scenarios: readonly ScenarioDefinition[]): NamespaceRule | { unknownScenario: string } {
  const parts = file.split('/');
  if (parts[1] === 'workloads') return { mode: 'forbidden' };
  if (parts[1] === 'scenarios' && parts.length > 3) {
    const id = parts[2]!;
    const s = scenarios.find((x) => x.id === id);
    if (!s) return { unknownScenario: id };
    return { mode: 'required', allowed: [...new Set([...s.workloads.map((w) => w.namespace), 'istio-system'])] };
  }
  return { mode: 'required' };
}

function yamlFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const full = join(dir, e.name);
      if (e.isDirectory()) return yamlFiles(full);
      return /\.ya?ml$/.test(e.name) ? [full] : [];
    });
}
