import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TestInfo } from '@playwright/test';
import type { PhaseResult, RunStep } from '../model/results.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { ATTACHMENT } from './attachments.ts';
import type { CasebookWorker } from './casebook-test.ts';
import { progressLine } from './casebook-test.ts';
import { runBatches, type Batch } from '../run/isolation-schedule.ts';
import { liveScenarioDeps } from './live-deps.ts';
import { notRunResult } from '../run/phase-runner.ts';
import { runScenario } from '../run/scenario-runner.ts';
import { SetupWave } from '../run/setup-wave.ts';
import type { TeardownStack } from '../run/teardown-stack.ts';

export type BatchTestArgs = {
  batch: Batch;
  worker: CasebookWorker;
  testInfo: TestInfo;
  step<T>(title: string, body: () => Promise<T>): Promise<T>;
  addStack(stack: TeardownStack): void;
  /** test.skip(true, reason) of the calling test. */
  skip(reason: string): void;
};

async function attachResult(testInfo: TestInfo, reportDir: string, r: PhaseResult): Promise<void> {
  await testInfo.attach(ATTACHMENT.phaseResult, { body: JSON.stringify(r), contentType: 'application/json' });
  for (const e of r.evidence) {
    const path = join(reportDir, e.path);
    if (existsSync(path)) await testInfo.attach(`${r.scenario}/${r.phase}/${e.name}`, { path, contentType: e.contentType });
  }
}

/** The worker's timed steps not attached yet (worker fixtures cannot attach: the tests carry them to the reporter). */
async function attachSteps(testInfo: TestInfo, session: { steps: RunStep[]; stepsAttached: number }): Promise<void> {
  const fresh = session.steps.slice(session.stepsAttached);
  if (fresh.length === 0) return;
  session.stepsAttached = session.steps.length;
  await testInfo.attach(ATTACHMENT.steps, { body: JSON.stringify(fresh), contentType: 'application/json' });
}

/** Every phase of these scenarios without running it: skipped (prerequisites) or error (the cluster broke). */
async function reportNotRun(
  args: BatchTestArgs,
  scenarios: readonly ScenarioDefinition[],
  how: { verdict: 'skipped'; reason: string } | { verdict: 'error'; error: string },
) {
  const { worker } = args;
  for (const scenario of scenarios) {
    for (const phase of Object.keys(scenario.phases)) {
      await attachResult(
        args.testInfo,
        worker.def.env.reportDir,
        notRunResult({ scenario, istio: worker.istio, deps: { now: () => Date.now() } }, phase, how),
      );
    }
  }
}

/**
 * The body of one generated test: a batch of scenarios that may share the cluster at once (the
 * gateway lane beside the namespace scenarios, or one scenario alone), each phase a test.step with its result and evidence
 * attached. The test fails when a verdict is not the expected one, skips (with the reason) when a
 * prerequisite is missing, and never passes without having run its phases.
 */
export async function runBatchTest(args: BatchTestArgs): Promise<void> {
  const { batch, worker, testInfo } = args;
  const { env } = worker.def;
  const scenarios = batch.ids.map((id) => worker.def.scenarios.find((s) => s.id === id)!);
  testInfo.setTimeout(Math.max(1, scenarios.length) * 30 * 60_000);

  if (!worker.ok) {
    if (worker.kind === 'prerequisite') {
      await reportNotRun(args, scenarios, { verdict: 'skipped', reason: worker.short });
      await testInfo.attach(ATTACHMENT.prerequisite, { body: worker.reason, contentType: 'text/plain' });
      args.skip(worker.reason);
      return;
    }
    await reportNotRun(args, scenarios, { verdict: 'error', error: `cluster not ready: ${worker.reason}` });
    throw new Error(`cluster not ready: ${worker.reason}`);
  }

  const { session } = worker;
  const log = progressLine(worker.istio);
  try {
    await args.step(`Istio ${worker.istio} with mesh profile ${scenarios[0]!.mesh.profile}`, () => session.ensureMesh(scenarios[0]!.mesh));
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    await reportNotRun(args, scenarios, { verdict: 'error', error: `Istio install failed: ${reason}` });
    throw e;
  }

  const results: PhaseResult[] = [];
  const cleanup: string[] = [];
  const deps = liveScenarioDeps({
    root: worker.def.root,
    runId: env.runId,
    reportDir: env.reportDir,
    kube: session.kube,
    dockerNetwork: session.cluster.dockerNetwork,
    ingress: session.ingress(),
    ...(session.ingressProblem() ? { ingressUnknownBecause: session.ingressProblem()! } : {}),
    kubectl: `kubectl --kubeconfig ${session.cluster.kubeconfigPath}${session.cluster.context ? ` --context ${session.cluster.context}` : ''}`,
    ensureMesh: (mesh) => session.ensureMesh(mesh),
    step: args.step,
    phaseEnded: async (r) => {
      results.push(r);
      await attachResult(testInfo, env.reportDir, r);
    },
    log,
  });
  // The first batch test of a worker sets up this batch and every later one of the same mesh
  // profile (the current install) at once; a restarted worker does the same for what is left.
  const wave = (session.wave ??= new SetupWave(deps, { istio: worker.istio, runId: env.runId, keep: env.keep }));
  const at = worker.def.batches.findIndex((b) => b.ids.join('\n') === batch.ids.join('\n'));
  const upcoming = (at >= 0 ? worker.def.batches.slice(at) : [batch])
    .flatMap((b) => b.ids)
    .map((id) => worker.def.scenarios.find((s) => s.id === id)!)
    .filter((s) => s !== undefined && s.mesh.profile === scenarios[0]!.mesh.profile);
  const waveStarted = Date.now();
  const waved = await args.step('setup wave', () => wave.prepare(upcoming));
  if (waved.prepared.length > 0) {
    session.steps.push({
      istio: worker.istio,
      step: 'setup wave',
      detail: `${waved.prepared.length} scenario(s)`,
      startedAt: new Date(waveStarted).toISOString(),
      durationMs: Date.now() - waveStarted,
    });
  }
  await attachSteps(testInfo, session);
  await runBatches(
    [batch],
    async (id) => {
      const scenario = scenarios.find((s) => s.id === id)!;
      const prepared = wave.take(id);
      const out = await runScenario(scenario, deps, {
        istio: worker.istio,
        runId: env.runId,
        keep: env.keep,
        onStack: args.addStack,
        phases: env.phases,
        prepared,
      });
      await testInfo.attach(`${ATTACHMENT.teardown}:${id}`, { body: JSON.stringify(out.teardown), contentType: 'application/json' });
      for (const f of out.teardown.failed) log(`${id}: teardown step "${f.label}" failed: ${f.error}`);
      cleanup.push(...out.teardown.commands);
    },
    { concurrency: env.concurrency },
  );

  await attachSteps(testInfo, session);
  // Printed together at the end of the run by the results reporter.
  if (env.keep && cleanup.length > 0) await testInfo.attach(ATTACHMENT.cleanup, { body: cleanup.join('\n'), contentType: 'text/plain' });
  const unexpected = results.filter((r) => !r.asExpected && r.verdict !== 'skipped');
  if (unexpected.length > 0) {
    throw new Error(
      `not as expected: ${unexpected.map((r) => `${r.scenario}/${r.phase}: ${r.verdict} (expected ${r.expected})${r.error ? `: ${r.error}` : ''}`).join('; ')}`,
    );
  }
  if (results.every((r) => r.verdict === 'skipped')) args.skip('every phase was skipped (--phase or version expectations)');
}
