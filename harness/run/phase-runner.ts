import { isPhaseSpecific, settleOrder } from '../checks/phase-specific.ts';
import type { KubeObject } from '../kube/manifest-objects.ts';
import { InfrastructureError } from '../model/errors.ts';
import type { EvidenceRef, PhaseResult, ProbeResult } from '../model/results.ts';
import type { Phase } from '../model/scenario.ts';
import { phaseIntent, verdictFor, type PhaseName, type Verdict } from '../model/verdict.ts';
import { assertWeMayWrite, deploymentsIn, loadObjects, revertPlan, withRestartAnnotation } from './phase-objects.ts';
import { mergeMesh } from './plan.ts';
import { resolvePlaceholders } from './resolve-placeholders.ts';
import { SETTLE_BACKOFF } from './settle.ts';
import { placeholderSources, type ScenarioContext } from './scenario-context.ts';
import { expectationFor } from './version-expectations.ts';

export type PhaseOutcome = {
  result: PhaseResult;
  /** Set when the cluster could not be put back: later phases must not run. */
  revertError?: string;
  /** What a phase run with leaveApplied put on the cluster and left there. */
  leftApplied?: KubeObject[];
};

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A phase that does not run: skipped with its reason, or an error inherited from setup/revert. */
export function notRunResult(
  ctx: Pick<ScenarioContext, 'scenario' | 'istio'> & { deps: Pick<ScenarioContext['deps'], 'now'> },
  name: string,
  how: { verdict: 'skipped'; reason: string } | { verdict: 'error'; error: string },
): PhaseResult {
  const expectation = expectationFor(ctx.scenario, name, ctx.istio);
  const skipped = how.verdict === 'skipped';
  return {
    scenario: ctx.scenario.id,
    phase: name,
    intent: phaseIntent(name),
    istio: ctx.istio,
    verdict: how.verdict,
    expected: skipped ? 'skipped' : expectation.expected,
    ...(skipped ? { expectedBecause: how.reason } : expectation.because ? { expectedBecause: expectation.because } : {}),
    asExpected: skipped,
    ...(skipped ? { skippedReason: how.reason } : { error: how.error }),
    probes: [],
    evidence: [],
    startedAt: new Date(ctx.deps.now()).toISOString(),
    durationMs: 0,
  };
}

/**
 * One phase: apply its config, wait for the rollouts it triggers, settle each probe against its
 * check, collect evidence, judge (reported at once), and revert before the next phase (also when
 * something failed).
 * The harness breaking (transport, pod not ready, apply refused) makes the verdict `error`: it
 * is never read as the incident reproducing or being fixed.
 */
export async function runPhase(
  ctx: ScenarioContext,
  name: PhaseName,
  phase: Phase,
  reported: (result: PhaseResult) => Promise<void> | void,
  opts: { leaveApplied?: boolean } = {},
): Promise<PhaseOutcome> {
  const { deps, scenario } = ctx;
  const startedAt = deps.now();
  const intent = phaseIntent(name);
  const expectation = expectationFor(scenario, name, ctx.istio);
  if (expectation.expected === 'skipped') {
    const result = notRunResult(ctx, name, { verdict: 'skipped', reason: expectation.because ?? `not applicable on Istio ${ctx.istio}` });
    await reported(result);
    return { result };
  }

  const probes: ProbeResult[] = [];
  let evidence: EvidenceRef[] = [];
  let error: string | undefined;
  let applied: KubeObject[] = [];
  let meshChanged = false;
  let restarted = false;
  // Step boundaries on the run's clock, for PhaseResult.timings.
  let meshDone: number | undefined;
  let applyDone: number | undefined;
  let settleDone: number | undefined;
  try {
    if (phase.mesh) {
      // A different mesh for this phase only; restored after the phase (revertPhase).
      meshChanged = true;
      deps.log(`${scenario.id} › ${name}: the phase's mesh config (a patch of the istio ConfigMap)`);
      await deps.ensureMesh(mergeMesh(scenario.mesh, phase.mesh));
      if (Object.keys(phase.mesh.proxyMetadata ?? {}).length > 0) {
        // proxyMetadata is read when the proxy starts: restart the scenario's workloads to get it.
        restarted = true;
        await rollOut(ctx, withRestartAnnotation(deploymentsIn([...ctx.base.values()]), name));
      }
      meshDone = deps.now();
    }
    const objects = await loadObjects(ctx, (f) => deps.manifests.scenarioFile(scenario.id, f), phase.apply);
    const secrets = await Promise.all((phase.secrets ?? []).map(async (req) => (await deps.secretFor(req, ctx.certs)) as KubeObject));
    await assertWeMayWrite(ctx, [...secrets, ...objects]);
    applied = [...secrets, ...objects];
    deps.log(`${scenario.id} › ${name}: applying ${applied.length} object(s)`);
    await deps.cluster.objects.apply(applied);
    await waitForRollouts(ctx, deploymentsIn(objects));
    applyDone = deps.now();
    // Phase-specific probes first: they prove the phase's config arrived before the rest is judged.
    // Fast retries (SETTLE_BACKOFF) only where an answer cannot come from the previous phase's
    // config: a phase-specific probe cannot hold before this phase's config arrived, and once one
    // has held, the config is there for the others too. Without that proof, the fixed 1 s pause.
    let arrived = false;
    for (const [probeName, check] of settleOrder(phase.expect)) {
      const declared = scenario.probes[probeName];
      if (!declared) throw new InfrastructureError(`phase ${name} checks probe ${probeName}, which the scenario does not declare`);
      const spec = await resolvePlaceholders(declared, placeholderSources(ctx));
      const settled = await deps.settle({
        name: probeName,
        spec,
        check,
        ...(arrived || isPhaseSpecific(check) ? { backoff: SETTLE_BACKOFF } : {}),
        observe: () => deps.observe(spec, { transport: ctx.transport, namespaceOf: ctx.namespaceOf, certs: ctx.certs }),
      });
      probes.push(settled);
      if (isPhaseSpecific(check) && settled.held) arrived = true;
    }
    settleDone = deps.now();
  } catch (e) {
    error = message(e);
  }

  const infra = probes.find((p) => p.infrastructureError);
  const verdict: Verdict = error !== undefined || infra ? 'error' : verdictFor(intent, probes.length > 0 && probes.every((p) => p.held));
  if (error === undefined && infra) error = `probe ${infra.probe}: ${infra.message}`;
  if (error === undefined && probes.length === 0) error = 'the phase checks no probe';

  const evidenceFrom = deps.now();
  try {
    evidence = await deps.collectEvidence({
      scenario,
      phase: name,
      istio: ctx.istio,
      probes,
      requested: phase.evidence ?? [],
      transport: ctx.transport,
      namespaceOf: ctx.namespaceOf,
      unexpected: verdict !== expectation.expected,
    });
  } catch (e) {
    deps.log(`${scenario.id} › ${name}: evidence could not be collected: ${message(e)}`);
  }

  const result: PhaseResult = {
    scenario: scenario.id,
    phase: name,
    intent,
    istio: ctx.istio,
    verdict,
    expected: expectation.expected,
    expectedBecause: expectation.because,
    asExpected: verdict === expectation.expected,
    error,
    probes,
    evidence,
    startedAt: new Date(startedAt).toISOString(),
    durationMs: deps.now() - startedAt,
    timings: {
      ...(meshDone !== undefined ? { meshMs: meshDone - startedAt } : {}),
      // A step cut short by an error ends where the error was caught.
      applyMs: (applyDone ?? evidenceFrom) - (meshDone ?? startedAt),
      settleMs: applyDone === undefined ? 0 : (settleDone ?? evidenceFrom) - applyDone,
      evidenceMs: deps.now() - evidenceFrom,
    },
  };
  await reported(result);
  if (opts.leaveApplied) {
    // The scenario's last phase: with --keep someone pokes at exactly this state; without, the
    // teardown removes it (scenario-runner.ts), so reverting first would only cost time.
    deps.log(`${scenario.id} › ${name}: last phase, not reverted (${applied.length} object(s))`);
    return { result, leftApplied: applied };
  }
  const revertError = await revertPhase(ctx, name, applied, { meshChanged, restarted });
  return revertError ? { result, revertError } : { result };
}

async function waitForRollouts(ctx: ScenarioContext, deployments: readonly KubeObject[]): Promise<void> {
  for (const d of deployments) {
    const ns = d.metadata.namespace!;
    await ctx.deps.cluster.waitForRollout(ns, d.metadata.name, { expectSidecar: ctx.namespaces.get(ns)?.injected ?? false });
  }
}

async function rollOut(ctx: ScenarioContext, objects: KubeObject[]): Promise<void> {
  await ctx.deps.cluster.objects.apply(objects);
  await waitForRollouts(ctx, deploymentsIn(objects));
}

/** Puts the cluster back to the scenario's base before the next phase. */
async function revertPhase(
  ctx: ScenarioContext,
  name: string,
  applied: KubeObject[],
  mesh: { meshChanged: boolean; restarted: boolean },
): Promise<string | undefined> {
  const { deps } = ctx;
  // A phase Secret that replaced one of the scenario's setup Secrets (a rotated credential) gets
  // the setup version back; every other phase Secret is deleted.
  const { restore, remove } = revertPlan(applied, ctx.base);
  try {
    await deps.cluster.objects.delete(remove);
    if (mesh.meshChanged) await deps.ensureMesh(ctx.scenario.mesh);
    // Re-applying the base drops the phase's fields and the restart annotation: a rollout with the scenario's mesh.
    const again = mesh.restarted ? [...new Set([...restore, ...deploymentsIn([...ctx.base.values()])])] : restore;
    if (again.length > 0) await rollOut(ctx, again);
    return undefined;
  } catch (e) {
    const text = `could not revert phase ${name}: ${message(e)}`;
    deps.log(`${ctx.scenario.id}: ${text}`);
    return text;
  }
}
