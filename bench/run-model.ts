import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClusterHandle } from '../harness/cluster/cluster-handle.ts';
import { ensureIstio } from '../harness/istio/ensure-istio.ts';
import type { InstallRecord } from '../harness/istio/install-decision.ts';
import type { IstioClusterApi } from '../harness/istio/install-store.ts';
import { meshSession } from '../harness/istio/mesh-config.ts';
import { objectKey, parseManifest, type KubeObject } from '../harness/kube/manifest-objects.ts';
import { inspectScenarios } from '../harness/load/load-scenarios.ts';
import type { Check } from '../harness/model/check.ts';
import type { ProbeSpec } from '../harness/model/probe-spec.ts';
import type { MeshRequirements } from '../harness/model/scenario.ts';
import { runBatches } from '../harness/run/isolation-schedule.ts';
import { planManifestPaths, planRun } from '../harness/run/plan.ts';
import type { ScenarioDeps } from '../harness/run/scenario-deps.ts';
import { runScenario } from '../harness/run/scenario-runner.ts';
import { settle, type Clock } from '../harness/run/settle.ts';
import { SetupWave } from '../harness/run/setup-wave.ts';
import { fakeCertStore } from '../harness/run/testing/fake-world.ts';
import { DEFAULT_CONCURRENCY } from '../harness/host/run-env.ts';
import { DEFAULT_ISTIO_VERSIONS } from '../harness/tools/versions.ts';

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
 *   Deployments applied together roll out together, as on a cluster. The runner sees it by watching
 *   (harness/kube/rollout.ts): WATCH_EVENT after it is ready. BENCH_READINESS=poll models the
 *   earlier 1 s polling instead: the first read at once, then every POLL seconds.
 * - The scenarios of a batch run at most BENCH_CONCURRENCY at once (default DEFAULT_CONCURRENCY, as
 *   `casebook run`; 1 runs everything in sequence), through the real runBatches.
 * - Mesh changes go through the real code of the worker session: meshSession
 *   (harness/istio/mesh-config.ts) over ensureIstio (harness/istio/ensure-istio.ts) with its
 *   install decision, against an in-memory install record, istioctl and `istio` ConfigMap: one
 *   install per profile, meshConfig as a ConfigMap patch (MESH_PATCH, then XDS to the proxies).
 * - The batches are the plan's (harness/run/plan.ts), one after another; a batch test starts with
 *   the install of its first scenario's mesh and the setup wave (harness/run/setup-wave.ts) of
 *   every scenario still to come, as harness/host/batch-test.ts does.
 * - Two versions are derived from the one modelled: in sequence on one cluster (twice the
 *   per-version time, plus an uninstall), or with --parallel-versions on two clusters at once
 *   (the one-version time: clusters, installs and phases overlap; it needs a machine with room).
 * - Fixed per run: Node/Playwright start, tool lookup, kind create, kind load, kind delete.
 *
 * Latencies (seconds): typical values recorded on kind clusters on a laptop and CI runners.
 */
export const LATENCY = {
  node: 9,
  toolResolve: 2,
  kindCreate: 45,
  kindLoad: 30,
  kindDelete: 8,
  firstInstall: 75,
  reinstall: 25,
  reuseCheck: 0.2,
  meshPatch: 0.2,
  namespace: 0.5,
  certs: 0.5,
  namespaceDelete: 0.2,
  rollout: 15,
  mysqlExtra: 15,
  externalMysql: 15,
  externalHttps: 2,
  reachability: 1.5,
  externalStop: 1,
  xds: 3,
  apply: 0.25,
  delete: 0.25,
  execAttempt: 0.3,
  envoyAttempt: 0.5,
  ingressAttempt: 0.05,
  browserAttempt: 1.5,
  repeatExtra: 0.5,
  evidenceItem: 0.5,
  /** Readiness: a watch event reaches the runner this long after the pod turned ready; the old poll interval. */
  watchEvent: 0.05,
  poll: 1,
  uninstall: 30,
} as const;

// CASEBOOK_ROOT as for the CLI: e.g. a clean export of a commit while the working tree is half-edited.
const ROOT = process.env['CASEBOOK_ROOT'] ?? fileURLToPath(new URL('../', import.meta.url));
// The version is a label here: latencies do not depend on it.
const ISTIO = DEFAULT_ISTIO_VERSIONS[0]!;

type Category =
  'installs' | 'namespaces+certs' | 'externals' | 'rollout waits' | 'apply/delete' | 'observations' | 'settle sleeps' | 'evidence';

export type ModelReport = {
  readiness: 'watch' | 'poll';
  concurrency: number;
  seconds: Record<Category, number>;
  perVersionSeconds: number;
  fixedSeconds: number;
  counts: {
    installs: number;
    reinstalls: number;
    reuses: number;
    meshPatches: number;
    rollouts: number;
    waveRollouts: number;
    waveSeconds: number;
    kindLoads: number;
    images: number;
    settleSleeps: number;
    observations: number;
    phases: number;
    scenarios: number;
    externals: number;
  };
};

export async function modelRun(root = ROOT, opts: { readiness?: 'watch' | 'poll'; concurrency?: number } = {}): Promise<ModelReport> {
  const readiness = opts.readiness ?? (process.env['BENCH_READINESS'] === 'poll' ? 'poll' : 'watch');
  const concurrency =
    opts.concurrency ?? Math.max(1, Number(process.env['BENCH_CONCURRENCY'] ?? String(DEFAULT_CONCURRENCY)) || DEFAULT_CONCURRENCY);
  // Registry problems (a scenario being written) do not stop the model: it runs what loads.
  const { scenarios: all } = await inspectScenarios({ root });
  // BENCH_SCENARIOS=a,b: model only those (e.g. the first 12 scenarios, as in the README's table).
  const only = process.env['BENCH_SCENARIOS']?.split(',').filter(Boolean);
  const scenarios = only ? all.filter((s) => only.includes(s.id)) : all;
  const manifests = new Map<string, string>();
  for (const path of planManifestPaths(scenarios)) manifests.set(path, await readFile(join(root, path), 'utf8'));
  const plan = planRun({ scenarios, istioVersions: [ISTIO], manifests });
  const version = plan.versions[0]!;

  let t = 0;
  const seconds = Object.fromEntries(
    (
      [
        'installs',
        'namespaces+certs',
        'externals',
        'rollout waits',
        'apply/delete',
        'observations',
        'settle sleeps',
        'evidence',
      ] as Category[]
    ).map((c) => [c, 0]),
  ) as Record<Category, number>;
  // Virtual time with concurrency: an operation sleeps until its end on the virtual clock, and the
  // clock moves to the earliest wake-up only once every task is waiting (setImmediate runs after
  // the microtasks). So the setup wave's scenarios overlap as on a cluster, and serial code adds up.
  // The categories below are busy time: in the wave they overlap, so they add up to more than the wall time.
  const timers: { at: number; wake: () => void }[] = [];
  let ticking = false;
  const tick = () => {
    ticking = false;
    if (timers.length === 0) return;
    timers.sort((a, b) => a.at - b.at);
    const next = timers.shift()!;
    t = Math.max(t, next.at);
    next.wake();
    if (timers.length > 0) {
      ticking = true;
      setImmediate(tick);
    }
  };
  const spend = (c: Category, s: number): Promise<void> => {
    seconds[c] += s;
    return new Promise<void>((wake) => {
      timers.push({ at: t + s * 1000, wake });
      if (!ticking) {
        ticking = true;
        setImmediate(tick);
      }
    });
  };
  const counts: ModelReport['counts'] = {
    installs: 0,
    reinstalls: 0,
    reuses: 0,
    meshPatches: 0,
    rollouts: 0,
    waveRollouts: 0,
    waveSeconds: 0,
    kindLoads: 1,
    images: 0,
    settleSleeps: 0,
    observations: 0,
    phases: 0,
    scenarios: scenarios.length,
    externals: 0,
  };
  let arrivesAt = 0;
  const configChanged = () => {
    arrivesAt = Math.max(arrivesAt, t + LATENCY.xds * 1000);
  };
  const readyAt = new Map<string, number>();
  const live = new Map<string, KubeObject>();

  const images = new Set<string>();
  for (const s of scenarios)
    for (const w of s.workloads) {
      for (const o of parseManifest(manifests.get(`manifests/workloads/${w.manifest ?? w.name}.yaml`) ?? '', 'workload')) {
        for (const c of (o['spec'] as { template?: { spec?: { containers?: { image?: string }[] } } } | undefined)?.template?.spec
          ?.containers ?? []) {
          if (c.image) images.add(c.image);
        }
      }
    }
  counts.images = images.size;

  const clock: Clock = {
    now: () => t,
    sleep: async (ms) => {
      counts.settleSleeps++;
      await spend('settle sleeps', ms / 1000);
    },
  };
  // From memory (read above): real I/O in the middle of the wave would let the virtual clock run ahead.
  const load = async (path: string) =>
    parseManifest(manifests.get(`manifests/${path}`) ?? (await readFile(join(root, 'manifests', path), 'utf8')), path);

  // The install and mesh-config code of a real run, on an in-memory cluster: istioctl install
  // costs an install or a reinstall, a ConfigMap write a patch; readiness is part of the install.
  let record: InstallRecord | undefined;
  let istiod = false;
  const istioApi: IstioClusterApi = {
    readRecord: async () => record,
    writeRecord: async (r) => {
      record = r;
    },
    deleteRecord: async () => {
      record = undefined;
    },
    istiodPresent: async () => istiod,
    waitReady: async () => {
      await spend('installs', LATENCY.reuseCheck);
    },
  };
  let meshText = 'accessLogFile: /dev/stdout\n';
  let original: string | undefined;
  const cluster: ClusterHandle = {
    provider: 'kind',
    name: 'casebook',
    kubeconfigPath: '/dev/null',
    context: 'kind-casebook',
    created: true,
    manageIstio: true,
    delete: async () => {},
    cleanupCommand: '',
  };
  const runDir = await mkdtemp(join(tmpdir(), 'casebook-bench-'));
  const meshes = meshSession({
    install: async (mesh) =>
      ensureIstio({
        cluster,
        version: ISTIO,
        mesh,
        runDir,
        istioctlPath: 'istioctl',
        api: istioApi,
        runner: async (_file, args) => {
          if (args[0] === 'install') {
            if (istiod) {
              counts.reinstalls++;
              await spend('installs', LATENCY.reinstall);
            } else {
              counts.installs++;
              await spend('installs', LATENCY.firstInstall);
            }
            istiod = true;
            meshText = 'accessLogFile: /dev/stdout\n';
            configChanged();
          }
          return { exitCode: 0, stdout: '', stderr: '' };
        },
      }).then((install) => {
        if (install.action === 'reused') counts.reuses++;
        return install;
      }),
    api: {
      read: async () => ({ mesh: meshText, original }),
      write: async (m, o) => {
        meshText = m;
        original = o;
        counts.meshPatches++;
        await spend('installs', LATENCY.meshPatch);
        configChanged();
      },
    },
    sleep: async (ms) => {
      await spend('installs', ms / 1000);
    },
  });
  const ensureMesh = async (mesh: MeshRequirements) => {
    await meshes.ensureMesh(mesh);
  };

  const observeCost = (spec: ProbeSpec): number => {
    const base =
      spec.kind === 'envoy'
        ? LATENCY.envoyAttempt
        : spec.kind === 'ingress'
          ? LATENCY.ingressAttempt
          : spec.kind === 'browser'
            ? LATENCY.browserAttempt
            : LATENCY.execAttempt;
    return base + (((spec as { repeat?: number }).repeat ?? 1) > 1 ? LATENCY.repeatExtra : 0);
  };

  const deps: ScenarioDeps = {
    cluster: {
      objects: {
        apply: async (objects) => {
          await spend('apply/delete', LATENCY.apply);
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
          await spend('apply/delete', LATENCY.delete);
          for (const o of objects) live.delete(objectKey(o));
          configChanged();
        },
        labelsOf: async (o) => live.get(objectKey(o))?.metadata.labels,
      },
      ensureNamespace: async () => {
        await spend('namespaces+certs', LATENCY.namespace);
        return 'created';
      },
      deleteNamespace: async () => {
        await spend('namespaces+certs', LATENCY.namespaceDelete);
        return 'deleted';
      },
      waitForRollout: async (ns, name) => {
        counts.rollouts++;
        const ready = readyAt.get(`apps|Deployment|${ns}|${name}`) ?? t;
        // Watching: the event arrives just after the pod is ready. Polling: the first read at once,
        // then one every POLL seconds; the wait ends at the first read after it is ready.
        const seen =
          readiness === 'watch'
            ? ready > t
              ? ready + LATENCY.watchEvent * 1000
              : t
            : t + Math.ceil(Math.max(0, ready - t) / (LATENCY.poll * 1000)) * LATENCY.poll * 1000;
        if (seen > t) await spend('rollout waits', (seen - t) / 1000);
        return { done: true, detail: '' };
      },
      serviceClusterIp: async () => '10.96.0.20',
      transport: () => ({
        kind: 'kubernetes',
        exec: async () => {
          throw new Error('model: probes observe through deps.observe');
        },
        logs: async () => '',
      }),
    },
    ensureMesh,
    manifests: {
      workload: (m) => load(`workloads/${m}.yaml`),
      scenarioFile: (id, f) => load(`scenarios/${id}/${f}`),
      meshFile: (f) => load(f),
    },
    observe: async (spec) => {
      counts.observations++;
      await spend('observations', observeCost(spec));
      return {};
    },
    settle: (o) => {
      const arrived: Check<unknown> = {
        name: o.check.name,
        evaluate: () => (t >= arrivesAt ? { ok: true, message: 'config arrived' } : { ok: false, message: 'config not there yet' }),
      };
      return settle({ ...o, check: arrived, clock });
    },
    createCertStore: async () => {
      await spend('namespaces+certs', LATENCY.certs);
      return fakeCertStore([]);
    },
    secretFor: async (req) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: req.name, namespace: req.namespace, labels: { 'casebook.dev/managed-by': 'istio-casebook' } },
      type: 'kubernetes.io/tls',
      data: {},
    }),
    startExternals: async (refs) => {
      counts.externals += refs.length;
      // harness/external/start-external-services.ts starts them in parallel, then proves them reachable.
      await spend(
        'externals',
        Math.max(...refs.map((r) => (r.kind === 'mysql' ? LATENCY.externalMysql : LATENCY.externalHttps))) + LATENCY.reachability,
      );
      return {
        ipOf: () => '172.18.0.9',
        stop: async () => {
          await spend('externals', LATENCY.externalStop);
        },
        containerNames: [],
      };
    },
    collectEvidence: async (req) => {
      await spend('evidence', LATENCY.evidenceItem * req.requested.length);
      return [];
    },
    ingress: { host: '127.0.0.1', httpPort: 8080, httpsPort: 8443 },
    kubectl: 'kubectl',
    step: (_title, body) => body(),
    phaseEnded: () => {
      counts.phases++;
    },
    log: (l) => {
      if (process.env.BENCH_LOG) console.log(`${(t / 1000).toFixed(1)} ${l}`);
    },
    now: () => t,
  };

  const wave = new SetupWave(deps, { istio: ISTIO, runId: 'model', keep: false });
  try {
    for (const [at, batch] of version.batches.entries()) {
      const first = scenarios.find((s) => s.id === batch.ids[0])!;
      await ensureMesh(first.mesh);
      const waveFrom = t;
      const rolloutsBefore = counts.rollouts;
      await wave.prepare(
        version.batches
          .slice(at)
          .flatMap((b) => b.ids)
          .map((id) => scenarios.find((s) => s.id === id)!)
          .filter((s) => s.mesh.profile === first.mesh.profile),
      );
      if (t > waveFrom) {
        counts.waveSeconds += (t - waveFrom) / 1000;
        counts.waveRollouts += counts.rollouts - rolloutsBefore;
      }
      await runBatches(
        [batch],
        async (id) => {
          const prepared = wave.take(id);
          await runScenario(
            scenarios.find((s) => s.id === id)!,
            deps,
            { istio: ISTIO, runId: 'model', keep: false, prepared },
          );
        },
        { concurrency },
      );
    }
  } finally {
    await rm(runDir, { recursive: true, force: true });
  }
  const fixedSeconds = LATENCY.node + LATENCY.toolResolve + LATENCY.kindCreate + LATENCY.kindLoad + LATENCY.kindDelete;
  return { readiness, concurrency, seconds, perVersionSeconds: t / 1000, fixedSeconds, counts };
}

if (import.meta.main) {
  const r = await modelRun();
  const min = (s: number) => (s / 60).toFixed(1);
  console.log(
    `modelled casebook run, one Istio version (${ISTIO}), ${r.counts.scenarios} scenarios, ${r.counts.phases} phases; latencies: bench/run-model.ts LATENCY`,
  );
  console.log(
    `  readiness by ${r.readiness === 'watch' ? 'watching' : '1 s polls'}, ${r.concurrency} scenarios at once (the gateway lane and namespace ones) (BENCH_READINESS, BENCH_CONCURRENCY)`,
  );
  console.log(
    `  installs ${r.counts.installs} + reinstalls ${r.counts.reinstalls} (reuses ${r.counts.reuses}), mesh-config patches ${r.counts.meshPatches}`,
  );
  console.log(`  setup wave ${r.counts.waveSeconds.toFixed(0)} s (${r.counts.waveRollouts} rollouts at once)`);
  console.log(
    `  rollout waits ${r.counts.rollouts}, kind loads ${r.counts.kindLoads} (${r.counts.images} images), externals ${r.counts.externals}`,
  );
  console.log(
    `  observations ${r.counts.observations}, settle sleeps ${r.counts.settleSleeps} (${r.seconds['settle sleeps'].toFixed(0)} s)`,
  );
  for (const [c, s] of Object.entries(r.seconds)) console.log(`  ${c.padEnd(18)} ${s.toFixed(0).padStart(5)} s`);
  console.log(`  fixed per run      ${r.fixedSeconds.toFixed(0).padStart(5)} s (node, tools, kind create/load/delete)`);
  console.log(
    `modelled minutes: ${min(r.perVersionSeconds + r.fixedSeconds)} (per version ${min(r.perVersionSeconds)}, fixed ${min(r.fixedSeconds)})`,
  );
  console.log(
    `two versions: ${min(r.fixedSeconds + 2 * r.perVersionSeconds + LATENCY.uninstall)} min in sequence on one cluster (the default), ` +
      `${min(r.fixedSeconds + r.perVersionSeconds)} min with --parallel-versions on two clusters at once (a machine with room for both)`,
  );
}
