import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installHash, istioOperatorFor } from '../harness/istio/operator.ts';
import { loadMeshProfile } from '../harness/istio/mesh-profile.ts';
import { objectKey, parseManifest, type KubeObject } from '../harness/kube/manifest-objects.ts';
import { inspectScenarios } from '../harness/load/load-scenarios.ts';
import type { Check } from '../harness/model/check.ts';
import type { ProbeSpec } from '../harness/model/probe-spec.ts';
import type { MeshRequirements } from '../harness/model/scenario.ts';
import { runBatches } from '../harness/run/isolation-schedule.ts';
import { planManifestPaths, planRun } from '../harness/run/plan.ts';
import type { ScenarioDeps } from '../harness/run/ports.ts';
import { runScenario } from '../harness/run/scenario-runner.ts';
import { settle, type Clock } from '../harness/run/settle.ts';
import { fakeCertStore } from '../harness/run/testing/fake-world.ts';

/**
 * `npm run bench:run`: a whole casebook run on one Istio version, modelled. There is no cluster
 * here, so the real runner code (runScenario, runPhase, settle, the batch order of the plan) runs
 * against an in-memory world whose every operation advances a virtual clock by a latency recorded
 * on typical clusters. What it measures is the runner's *shape*: how many installs, rollout
 * waits, settle pauses and observations a run makes and how they add up; not Kubernetes.
 *
 * What the world models (and what it does not):
 * - Config reaches the proxies XDS seconds after any apply, delete or mesh change; a probe's check
 *   holds from then on. So every verdict is "the check held": the model has no failing phases and
 *   no 90 s deadlines (a real upgrade gate where a bug stops reproducing pays those).
 * - A Deployment is ready ROLLOUT seconds after it was applied (+MYSQL_EXTRA for MySQL), so
 *   Deployments applied together roll out together, as on a cluster.
 * - Mesh changes follow the worker session (harness/run/worker-session.ts): the same mesh is a
 *   no-op, the same install hash a reuse, otherwise an install (first) or a reinstall.
 * - The batches are the plan's (harness/run/plan.ts), one after another; a batch test starts with
 *   the install of its first scenario's mesh, as harness/run/batch-test.ts does. Scenarios run one
 *   at a time (the only namespace-isolated scenario is alone in its batch).
 * - Fixed per run: Node/Playwright start, tool lookup, kind create, kind load, kind delete.
 *
 * Latencies (seconds): the "typical" column of the performance review (its §3.2), recorded on
 * kind clusters on a laptop and CI runners.
 */
export const LATENCY = {
  node: 9, toolResolve: 2, kindCreate: 45, kindLoad: 30, kindDelete: 8,
  firstInstall: 75, reinstall: 25, reuseCheck: 0.2,
  namespace: 0.5, certs: 0.5, namespaceDelete: 0.2,
  rollout: 15, mysqlExtra: 15,
  externalMysql: 15, externalHttps: 2, reachability: 1.5, externalStop: 1,
  xds: 3, apply: 0.25, delete: 0.25,
  execAttempt: 0.3, envoyAttempt: 0.5, ingressAttempt: 0.05, browserAttempt: 1.5, repeatExtra: 0.5,
  evidenceItem: 0.5,
} as const;

// CASEBOOK_ROOT as for the CLI: e.g. a clean export of a commit while the working tree is half-edited.
const ROOT = process.env['CASEBOOK_ROOT'] ?? fileURLToPath(new URL('../', import.meta.url));
const ISTIO = '1.30.3';

type Category = 'installs' | 'namespaces+certs' | 'externals' | 'rollout waits' | 'apply/delete' | 'observations' | 'settle sleeps' | 'evidence';

export type ModelReport = {
  seconds: Record<Category, number>;
  perVersionSeconds: number;
  fixedSeconds: number;
  counts: { installs: number; reinstalls: number; reuses: number; rollouts: number; kindLoads: number; images: number;
    settleSleeps: number; observations: number; phases: number; scenarios: number; externals: number };
};

export async function modelRun(root = ROOT): Promise<ModelReport> {
  // Registry problems (a scenario being written) do not stop the model: it runs what loads.
  const { scenarios } = await inspectScenarios({ root });
  const manifests = new Map<string, string>();
  for (const path of planManifestPaths(scenarios)) manifests.set(path, await readFile(join(root, path), 'utf8'));
  const plan = planRun({ scenarios, istioVersions: [ISTIO], manifests });
  const version = plan.versions[0]!;

  let t = 0;
  const seconds = Object.fromEntries((['installs', 'namespaces+certs', 'externals', 'rollout waits', 'apply/delete', 'observations', 'settle sleeps', 'evidence'] as Category[])
    .map((c) => [c, 0])) as Record<Category, number>;
  const spend = (c: Category, s: number) => { t += s * 1000; seconds[c] += s; };
  const counts: ModelReport['counts'] = { installs: 0, reinstalls: 0, reuses: 0, rollouts: 0, kindLoads: 1, images: 0, settleSleeps: 0,
    observations: 0, phases: 0, scenarios: scenarios.length, externals: 0 };
  let arrivesAt = 0;
  const configChanged = () => { arrivesAt = Math.max(arrivesAt, t + LATENCY.xds * 1000); };
  const readyAt = new Map<string, number>();
  const live = new Map<string, KubeObject>();

  const images = new Set<string>();
  for (const s of scenarios) for (const w of s.workloads) {
    for (const o of parseManifest(manifests.get(`manifests/workloads/${w.manifest ?? w.name}.yaml`) ?? '', 'workload')) {
      for (const c of ((o['spec'] as { template?: { spec?: { containers?: { image?: string }[] } } } | undefined)?.template?.spec?.containers ?? [])) {
        if (c.image) images.add(c.image);
      }
    }
  }
  counts.images = images.size;

  const clock: Clock = { now: () => t, sleep: async (ms) => { counts.settleSleeps++; spend('settle sleeps', ms / 1000); } };
  const load = async (path: string) => parseManifest(await readFile(join(root, 'manifests', path), 'utf8'), path);

  let currentMesh: string | undefined;
  let installed: string | undefined;
  const ensureMesh = async (mesh: MeshRequirements) => {
    const key = JSON.stringify(mesh);
    if (key === currentMesh) return;
    const hash = installHash(istioOperatorFor(mesh, { version: ISTIO, baseProfile: await loadMeshProfile(mesh.profile) }), ISTIO);
    if (hash === installed) { counts.reuses++; spend('installs', LATENCY.reuseCheck); }
    else if (installed === undefined) { counts.installs++; spend('installs', LATENCY.firstInstall); }
    else { counts.reinstalls++; spend('installs', LATENCY.reinstall); }
    installed = hash;
    currentMesh = key;
    configChanged();
  };

  const observeCost = (spec: ProbeSpec): number => {
    const base = spec.kind === 'envoy' ? LATENCY.envoyAttempt : spec.kind === 'ingress' ? LATENCY.ingressAttempt
      : spec.kind === 'browser' ? LATENCY.browserAttempt : LATENCY.execAttempt;
    return base + (((spec as { repeat?: number }).repeat ?? 1) > 1 ? LATENCY.repeatExtra : 0);
  };

  const deps: ScenarioDeps = {
    cluster: {
      objects: {
        apply: async (objects) => {
          spend('apply/delete', LATENCY.apply);
          for (const o of objects) {
            live.set(objectKey(o), o);
            if (o.kind === 'Deployment') {
              const mysql = JSON.stringify(o['spec'] ?? {}).includes('mysql');
              readyAt.set(objectKey(o), t + (LATENCY.rollout + (mysql ? LATENCY.mysqlExtra : 0)) * 1000);
            }
          }
          configChanged();
        },
        delete: async (objects) => {
          spend('apply/delete', LATENCY.delete);
          for (const o of objects) live.delete(objectKey(o));
          configChanged();
        },
        labelsOf: async (o) => live.get(objectKey(o))?.metadata.labels,
      },
      ensureNamespace: async () => { spend('namespaces+certs', LATENCY.namespace); return 'created'; },
      deleteNamespace: async () => { spend('namespaces+certs', LATENCY.namespaceDelete); return 'deleted'; },
      waitForRollout: async (ns, name) => {
        counts.rollouts++;
        const ready = readyAt.get(`apps|Deployment|${ns}|${name}`) ?? t;
        if (ready > t) spend('rollout waits', (ready - t) / 1000);
        return { done: true, detail: '' };
      },
      serviceClusterIp: async () => '10.96.0.20',
      transport: () => ({ kind: 'kubernetes', exec: async () => { throw new Error('model: probes observe through deps.observe'); }, logs: async () => '' }),
    },
    ensureMesh,
    manifests: {
      workload: (m) => load(`workloads/${m}.yaml`),
      scenarioFile: (id, f) => load(`scenarios/${id}/${f}`),
      meshFile: (f) => load(f),
    },
    observe: async (spec) => { counts.observations++; spend('observations', observeCost(spec)); return {}; },
    settle: (o) => {
      const arrived: Check<unknown> = { name: o.check.name, evaluate: () => t >= arrivesAt
        ? { ok: true, message: 'config arrived' } : { ok: false, message: 'config not there yet' } };
      return settle({ ...o, check: arrived, clock });
    },
    createCertStore: async () => { spend('namespaces+certs', LATENCY.certs); return fakeCertStore([]); },
    secretFor: async (req) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: req.name, namespace: req.namespace, labels: { 'casebook.dev/managed-by': 'istio-casebook' } }, type: 'kubernetes.io/tls', data: {} }),
    startExternals: async (refs) => {
      counts.externals += refs.length;
      // harness/external/start-external-services.ts starts them in parallel, then proves them reachable.
      spend('externals', Math.max(...refs.map((r) => (r.kind === 'mysql' ? LATENCY.externalMysql : LATENCY.externalHttps))) + LATENCY.reachability);
      return { ipOf: () => '172.18.0.9', stop: async () => { spend('externals', LATENCY.externalStop); }, containerNames: [] };
    },
    collectEvidence: async (req) => { spend('evidence', LATENCY.evidenceItem * req.requested.length); return []; },
    ingress: { host: '127.0.0.1', httpPort: 8080, httpsPort: 8443 },
    kubectl: 'kubectl',
    step: (_title, body) => body(),
    phaseEnded: () => { counts.phases++; },
    log: () => {},
    now: () => t,
  };

  for (const batch of version.batches) {
    const first = scenarios.find((s) => s.id === batch.ids[0])!;
    await ensureMesh(first.mesh);
    await runBatches([batch], async (id) => {
      await runScenario(scenarios.find((s) => s.id === id)!, deps, { istio: ISTIO, runId: 'model', keep: false });
    }, { concurrency: 1 });
  }
  const fixedSeconds = LATENCY.node + LATENCY.toolResolve + LATENCY.kindCreate + LATENCY.kindLoad + LATENCY.kindDelete;
  return { seconds, perVersionSeconds: t / 1000, fixedSeconds, counts };
}

if (import.meta.main) {
  const r = await modelRun();
  const min = (s: number) => (s / 60).toFixed(1);
  console.log(`modelled casebook run, one Istio version (${ISTIO}), ${r.counts.scenarios} scenarios, ${r.counts.phases} phases; latencies: bench/run-model.ts LATENCY`);
  console.log(`  installs ${r.counts.installs} + reinstalls ${r.counts.reinstalls} (reuses ${r.counts.reuses})`);
  console.log(`  rollout waits ${r.counts.rollouts}, kind loads ${r.counts.kindLoads} (${r.counts.images} images), externals ${r.counts.externals}`);
  console.log(`  observations ${r.counts.observations}, settle sleeps ${r.counts.settleSleeps} (${r.seconds['settle sleeps'].toFixed(0)} s)`);
  for (const [c, s] of Object.entries(r.seconds)) console.log(`  ${c.padEnd(18)} ${s.toFixed(0).padStart(5)} s`);
  console.log(`  fixed per run      ${r.fixedSeconds.toFixed(0).padStart(5)} s (node, tools, kind create/load/delete)`);
  console.log(`modelled minutes: ${min(r.perVersionSeconds + r.fixedSeconds)} (per version ${min(r.perVersionSeconds)}, fixed ${min(r.fixedSeconds)})`);
}
