import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../model/errors.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { planManifestPaths, planRun, type RunPlan } from './plan.ts';

/** One scenario that would change something every tenant of a shared cluster sees. */
export type MeshWideChange = {
  scenario: string;
  isolation: 'gateway' | 'mesh';
  /** `Kind namespace/name (phase or "scenario")` of each object outside the scenario's own namespaces. */
  objects: string[];
};

/**
 * What a run would change beyond its own namespaces. `mesh` scenarios change mesh-wide behaviour
 * (a STRICT PeerAuthentication in istio-system, a ServiceEntry every sidecar gets a listener for);
 * `gateway` scenarios configure the shared ingress gateway and put Secrets in istio-system. On a
 * kind cluster the run made, that is its own business; on a shared cluster it breaks other people's
 * traffic while the phase is applied, even though each object carries our label.
 */
export function meshWideChanges(plan: RunPlan): MeshWideChange[] {
  const out: MeshWideChange[] = [];
  for (const s of plan.versions[0]?.scenarios ?? []) {
    if (s.isolation === 'namespace') continue;
    const own = new Set(s.namespaces.map((n) => n.metadata.name));
    const outside = (o: { kind: string; metadata: { name: string; namespace?: string } }) =>
      o.kind !== 'Namespace' && (o.metadata.namespace === undefined || !own.has(o.metadata.namespace));
    const describe = (o: { kind: string; metadata: { name: string; namespace?: string } }, where: string) =>
      `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name} (${where})`;
    const objects = [
      ...s.meshObjects.filter(outside).map((o) => describe(o, 'scenario')),
      ...(s.setup?.secrets ?? []).filter((r) => !own.has(r.namespace)).map((r) => `Secret ${r.namespace}/${r.name} (setup)`),
      ...(s.setup?.objects ?? []).filter(outside).map((o) => describe(o, 'setup')),
      ...s.phases.flatMap((p) => p.objects.filter(outside).map((o) => describe(o, p.name))),
    ];
    out.push({ scenario: s.id, isolation: s.isolation, objects: [...new Set(objects)] });
  }
  return out;
}

/**
 * `--cluster existing` refuses scenarios that change the mesh or the shared gateway unless the
 * user opted in with --allow-mesh-wide; the error lists every object that would change.
 */
export function assertMeshWideAllowed(
  changes: readonly MeshWideChange[],
  o: { cluster: 'kind' | 'existing'; allowMeshWide: boolean },
): void {
  if (o.cluster !== 'existing' || o.allowMeshWide || changes.length === 0) return;
  const lines = changes.map(
    (c) =>
      `  ${c.scenario} (${c.isolation === 'mesh' ? 'changes mesh-wide behaviour' : 'configures the shared ingress gateway'})` +
      (c.objects.length ? `:\n${c.objects.map((x) => `    ${x}`).join('\n')}` : ''),
  );
  throw new UsageError(
    `on an existing cluster these scenarios would change what every workload of the mesh sees, not only their own namespaces:\n${lines.join('\n')}`,
    "pass --allow-mesh-wide if this cluster is yours to change (nobody else's traffic depends on it), or run only namespace scenarios (`casebook list` shows the isolation), or use a kind cluster",
  );
}

/** The plan of the selected scenarios, read from the manifests under root (no cluster). */
export async function planFor(root: string, scenarios: readonly ScenarioDefinition[], istio: readonly string[]): Promise<RunPlan> {
  const paths = planManifestPaths(scenarios);
  const manifests = new Map(await Promise.all(paths.map(async (p) => [p, await readFile(join(root, p), 'utf8')] as const)));
  return planRun({ scenarios, istioVersions: istio.slice(0, 1), manifests });
}

/**
 * With --keep nothing is torn down, so a scenario's last phase stays applied, and with it
 * what it put outside its namespaces (a STRICT PeerAuthentication in istio-system, an exported
 * ServiceEntry, a Gateway and its credential on the shared ingress gateway). Every scenario that
 * runs after it, on this Istio version or the next one on the same cluster, would be judged on
 * that mesh. So --keep is refused when a mesh or gateway scenario is not the only thing the run
 * does: one scenario on one Istio version.
 */
export function assertKeepIsSafe(changes: readonly MeshWideChange[], o: { keep: boolean; scenarios: number; versions: number }): void {
  if (!o.keep || changes.length === 0 || o.scenarios * o.versions <= 1) return;
  const lines = changes.map(
    (c) => `  ${c.scenario} (${c.isolation}): ${c.objects.length ? c.objects.join(', ') : 'the shared ingress gateway'}`,
  );
  throw new UsageError(
    `--keep leaves each scenario's last phase applied, and these scenarios leave objects outside their own namespaces that would change every scenario run after them (${o.scenarios} scenario(s) on ${o.versions} Istio version(s)):\n${lines.join('\n')}`,
    'use --keep with one scenario on one Istio version (`casebook run <id> --istio <v> --keep`), or drop --keep for this run',
  );
}
