import { createCertificates } from '../certs/create-certificates.ts';
import { describeObject, inNamespace, objectKey, withLabels, type KubeObject } from '../kube/manifest-objects.ts';
import { UsageError } from '../model/errors.ts';
import type { PhaseResult } from '../model/results.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import type { PhaseName } from '../model/verdict.ts';
import { assertWeMayWrite, deploymentsIn, loadObjects } from './phase-objects.ts';
import { notRunResult, runPhase } from './phase-runner.ts';
import type { ScenarioDeps, StartedExternals } from './scenario-deps.ts';
import { labelsFor, type ScenarioContext } from './scenario-context.ts';
import { TeardownStack, TeardownStartedError, withTeardown, type TeardownReport } from './teardown-stack.ts';

export type ScenarioRunOptions = {
  istio: string;
  runId: string;
  /** Only these phases run; the others are reported as skipped with that reason. */
  phases?: readonly string[];
  keep: boolean;
  /** Aborts on Ctrl-C: teardown starts at once. */
  signal?: AbortSignal;
  /** Gets the scenario's teardown stack, so a Playwright fixture can unwind it when the test is stopped. */
  onStack?: (stack: TeardownStack) => void;
  /** Set up beforehand in the run's setup wave (setup-wave.ts): its stack, and its context or why it failed. */
  prepared?: PreparedScenario;
};

export type ScenarioOutcome = { results: PhaseResult[]; teardown: TeardownReport };

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Namespaces of the scenario with their injection switch; a namespace listed both ways is a mistake. */
export function scenarioNamespaces(scenario: ScenarioDefinition): Map<string, { injected: boolean }> {
  const out = new Map<string, { injected: boolean }>();
  for (const w of scenario.workloads) {
    const injected = w.injected ?? true;
    const seen = out.get(w.namespace);
    if (seen && seen.injected !== injected) {
      throw new UsageError(
        `namespace ${w.namespace} of ${scenario.id} has workloads with and without sidecar injection`,
        'injection is per namespace here (istio-injection label): put the uninjected workloads in their own namespace',
      );
    }
    out.set(w.namespace, { injected });
  }
  return out;
}

/** The label selector of the workload's pods, from the Deployment in its manifest. */
function selectorOfWorkload(objects: readonly KubeObject[]): string | undefined {
  const labels = (deploymentsIn(objects)[0]?.['spec'] as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector
    ?.matchLabels;
  return labels
    ? Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')
    : undefined;
}

/**
 * One scenario from nothing to verdicts and back: namespaces (labelled ours), certificates,
 * external services, workloads (rolled out with sidecars), mesh-wide policy; then each phase in
 * declaration order; then teardown in reverse (skipped with keep). A setup failure makes every
 * phase `error`; a failed revert stops the remaining phases, since they would run on a dirty mesh.
 */
export async function runScenario(scenario: ScenarioDefinition, deps: ScenarioDeps, opts: ScenarioRunOptions): Promise<ScenarioOutcome> {
  const stack = opts.prepared?.stack ?? new TeardownStack({ keep: opts.keep, log: deps.log });
  opts.onStack?.(stack);
  const phaseNames = Object.keys(scenario.phases) as PhaseName[];
  const results: PhaseResult[] = [];
  const emit = async (r: PhaseResult) => {
    results.push(r);
    await deps.phaseEnded(r);
  };
  const base = { scenario, istio: opts.istio, deps };

  const failRemaining = async (why: string) => {
    for (const name of phaseNames.filter((n) => !results.some((r) => r.phase === n))) {
      await emit(notRunResult(base, name, { verdict: 'error', error: why }));
    }
  };
  const outcome = await withTeardown(
    stack,
    async (s) => {
      let ctx: ScenarioContext;
      try {
        const prepared = opts.prepared;
        ctx = prepared
          ? await deps.step(`${scenario.id}: mesh-wide policy (set up in the wave)`, () => adoptPrepared(scenario, prepared, deps, s))
          : await deps.step(`${scenario.id}: setup`, () => setUp(scenario, deps, opts, s));
        const ready = ctx;
        if (scenario.setup) await deps.step(`${scenario.id}: setup objects at its turn`, () => setUpObjects(ready, s, 'at-turn'));
      } catch (e) {
        // Reported before teardown, so the verdicts appear as soon as they are known.
        await failRemaining(`setup failed: ${message(e)}`);
        throw e;
      }
      let blocked: string | undefined;
      // The last phase that runs is not reverted: with --keep the cluster shows that phase's state;
      // without, the teardown deletes the scenario's namespaces with what is in them, and the next
      // scenario installs the mesh it needs, so a revert (rollouts, a mesh change) would be wasted.
      const lastSelected = phaseNames.filter((n) => !opts.phases || opts.phases.includes(n)).at(-1);
      for (const name of phaseNames) {
        // Teardown already started (Ctrl-C): the namespaces are going away, so no further phase runs.
        if (s.started) throw new TeardownStartedError('interrupted: teardown has started');
        const phase = scenario.phases[name]!;
        if (opts.phases && !opts.phases.includes(name)) {
          await emit(notRunResult(base, name, { verdict: 'skipped', reason: `not selected (--phase ${opts.phases.join(',')})` }));
          continue;
        }
        if (blocked) {
          await emit(notRunResult(base, name, { verdict: 'error', error: `not run: ${blocked}` }));
          continue;
        }
        const out = await deps.step(`${scenario.id} › ${name}`, () =>
          runPhase(ctx, name, phase, emit, { leaveApplied: name === lastSelected }),
        );
        blocked = out.revertError;
        // Objects in the scenario's namespaces go with them; the rest (istio-system secrets) joins
        // the teardown stack, so --keep prints their delete commands with the other cleanup lines.
        // A phase's replacement of a setup object is deleted by the setup's own teardown step.
        for (const o of (out.leftApplied ?? []).filter((x) => outsideNamespaces(ctx, x) && !ctx.base.has(objectKey(x)))) {
          s.defer(`delete ${describeObject(o)}`, () => deps.cluster.objects.delete([o]), deleteCommand(deps.kubectl, [o]));
        }
      }
    },
    opts.signal ? { signal: opts.signal } : {},
  );

  // An interrupt: the phases that did not run are errors too.
  if (outcome.error !== undefined) await failRemaining(`not run: ${message(outcome.error)}`);
  return { results, teardown: outcome.teardown };
}

async function setUp(
  scenario: ScenarioDefinition,
  deps: ScenarioDeps,
  opts: ScenarioRunOptions,
  stack: TeardownStack,
): Promise<ScenarioContext> {
  const namespaces = scenarioNamespaces(scenario);
  for (const [name, { injected }] of namespaces) {
    await deps.cluster.ensureNamespace({ name, scenario: scenario.id, runId: opts.runId, injected });
    stack.defer(`delete namespace ${name}`, () => deps.cluster.deleteNamespace(name), `${deps.kubectl} delete namespace ${name}`);
  }

  const certs = await deps.createCertStore();
  stack.defer("remove the run's certificates and keys", () => certs.dispose(), `rm -rf ${certs.dir}`);
  await createCertificates(certs, scenario.certificates ?? []);

  let externals: StartedExternals | undefined;
  if ((scenario.external ?? []).length > 0) {
    externals = await deps.startExternals(scenario.external!, certs);
    const started = externals;
    stack.defer(
      'stop external services',
      () => started.stop(),
      started.containerNames.length > 0 ? `docker rm -f ${started.containerNames.join(' ')}` : undefined,
    );
  }

  const workloadNamespace = new Map(scenario.workloads.map((w) => [w.name, w.namespace]));
  const namespaceOf = (workload: string): string => {
    const ns = workloadNamespace.get(workload);
    if (ns === undefined) throw new UsageError(`workload ${workload} is not declared by scenario ${scenario.id}`);
    return ns;
  };
  const selectors = new Map<string, string>();
  const partial = {
    scenario,
    istio: opts.istio,
    runId: opts.runId,
    deps,
    namespaces,
    certs,
    externals,
    namespaceOf,
    base: new Map<string, KubeObject>(),
    transport: deps.cluster.transport({ namespaceOf, selectorOf: ({ workload, namespace }) => selectors.get(`${namespace}/${workload}`) }),
  };

  const workloadObjects: KubeObject[] = [];
  for (const w of scenario.workloads) {
    const objects = await loadObjects(partial, async (m) => inNamespace(await deps.manifests.workload(m), w.namespace), [
      w.manifest ?? w.name,
    ]);
    const selector = selectorOfWorkload(objects);
    if (selector) selectors.set(`${w.namespace}/${w.name}`, selector);
    workloadObjects.push(...objects);
  }
  // Scenario-level Secrets and ConfigMaps before the workloads: a pod that mounts one at start must find it.
  const setupObjects = await setUpObjects(partial, stack, 'before-workloads');
  await deps.cluster.objects.apply(workloadObjects);
  // Applied together, they roll out together: waited for at once (the first failure is the setup's).
  await Promise.all(
    deploymentsIn(workloadObjects).map((d) => {
      const ns = d.metadata.namespace!;
      return deps.cluster.waitForRollout(ns, d.metadata.name, { expectSidecar: namespaces.get(ns)?.injected ?? false });
    }),
  );

  const meshObjects = await applyMeshObjects(partial, scenario.mesh.apply ?? [], stack);

  for (const o of [...setupObjects, ...workloadObjects, ...meshObjects]) partial.base.set(objectKey(o), o);
  return partial;
}

/** A setup object a pod may mount at start: a Secret or ConfigMap in the scenario's own namespaces. */
function mountable(ctx: Pick<ScenarioContext, 'namespaces'>, o: KubeObject): boolean {
  return (o.kind === 'Secret' || o.kind === 'ConfigMap') && o.metadata.namespace !== undefined && ctx.namespaces.has(o.metadata.namespace);
}

/**
 * The scenario's `setup`: its Secrets and manifests, kept for every phase. What a pod may mount
 * (Secrets and ConfigMaps in its own namespaces) comes before the workloads; the rest (a Gateway
 * on the shared ingress gateway, a credential in istio-system) at the scenario's turn, since it
 * changes what other scenarios see (a run may set several scenarios up at once). Objects in the
 * scenario's namespaces go with them; the rest get a teardown step of their own.
 */
async function setUpObjects(ctx: ScenarioContext, stack: TeardownStack, part: 'before-workloads' | 'at-turn'): Promise<KubeObject[]> {
  const { deps, scenario } = ctx;
  const setup = scenario.setup;
  if (!setup) return [];
  const secrets = await Promise.all((setup.secrets ?? []).map(async (req) => (await deps.secretFor(req, ctx.certs)) as KubeObject));
  const objects = [
    ...withLabels(secrets, labelsFor(ctx)),
    ...(await loadObjects(ctx, (f) => deps.manifests.scenarioFile(scenario.id, f), setup.apply ?? [])),
  ].filter((o) => mountable(ctx, o) === (part === 'before-workloads'));
  if (objects.length === 0) return [];
  await assertWeMayWrite(ctx, objects);
  const outside = objects.filter((o) => outsideNamespaces(ctx, o));
  if (outside.length > 0) {
    stack.defer(
      "delete the scenario's setup objects outside its namespaces",
      () => deps.cluster.objects.delete(outside),
      deleteCommand(deps.kubectl, outside),
    );
  }
  deps.log(`${scenario.id}: setup, ${objects.length} object(s) ${part === 'before-workloads' ? 'before the workloads' : 'at its turn'}`);
  await deps.cluster.objects.apply(objects);
  for (const o of objects) (ctx.base as Map<string, KubeObject>).set(objectKey(o), o);
  return objects;
}

/** The scenario's mesh-wide policy (mesh.apply): applied when the scenario runs, removed by its teardown. */
async function applyMeshObjects(ctx: ScenarioContext, files: readonly string[], stack: TeardownStack): Promise<KubeObject[]> {
  const { deps } = ctx;
  const meshObjects = await loadObjects(ctx, (f) => deps.manifests.meshFile(f), [...files]);
  if (meshObjects.length > 0) {
    await assertWeMayWrite(ctx, meshObjects);
    stack.defer('remove mesh-wide policy', () => deps.cluster.objects.delete(meshObjects), deleteCommand(deps.kubectl, meshObjects));
    await deps.cluster.objects.apply(meshObjects);
  }
  return meshObjects;
}

/** A scenario set up ahead of its turn (setup-wave.ts): its teardown stack, and its context or the setup error. */
export type PreparedScenario = { stack: TeardownStack; ctx?: ScenarioContext; error?: unknown };

/**
 * Everything of a scenario's setup that only touches its own namespaces (namespaces, certificates,
 * external services, setup objects, workloads rolled out), for the setup wave; the mesh-wide
 * policy (mesh.apply) waits for the scenario's turn, since it changes what other scenarios see.
 */
export async function prepareScenario(
  scenario: ScenarioDefinition,
  deps: ScenarioDeps,
  opts: Pick<ScenarioRunOptions, 'istio' | 'runId' | 'keep'>,
): Promise<PreparedScenario> {
  const stack = new TeardownStack({ keep: opts.keep, log: deps.log });
  try {
    const ctx = await setUp({ ...scenario, mesh: { ...scenario.mesh, apply: [] } }, deps, { ...opts }, stack);
    return { stack, ctx: { ...ctx, scenario } };
  } catch (error) {
    return { stack, error };
  }
}

/** At the scenario's turn: a wave setup error is its setup error; otherwise its mesh-wide policy goes on now. */
async function adoptPrepared(
  scenario: ScenarioDefinition,
  prepared: PreparedScenario,
  deps: ScenarioDeps,
  stack: TeardownStack,
): Promise<ScenarioContext> {
  if (prepared.error !== undefined || !prepared.ctx) throw prepared.error ?? new Error('not set up');
  // The phases report through this run's deps (its test step and log), not the wave's.
  const ctx: ScenarioContext = { ...prepared.ctx, deps };
  const meshObjects = await applyMeshObjects(ctx, scenario.mesh.apply ?? [], stack);
  for (const o of meshObjects) (ctx.base as Map<string, KubeObject>).set(objectKey(o), o);
  return ctx;
}

/** Objects the scenario's namespace deletion does not take with it (cluster-scoped, or in another namespace). */
function outsideNamespaces(ctx: ScenarioContext, o: KubeObject): boolean {
  return o.metadata.namespace === undefined || !ctx.namespaces.has(o.metadata.namespace);
}

/** What `--keep` prints to delete these objects by hand. */
function deleteCommand(kubectl: string, objects: readonly KubeObject[]): string {
  return objects
    .map((o) => `${kubectl} delete ${o.kind.toLowerCase()} ${o.metadata.name}${o.metadata.namespace ? ` -n ${o.metadata.namespace}` : ''}`)
    .join('; ');
}
