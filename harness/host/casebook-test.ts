import { test as base, type TestInfo } from '@playwright/test';
import { CasebookError, PrerequisiteError } from '../model/errors.ts';
import { terminalSafe } from '../report/terminal-text.ts';
import { runDefinition, type RunDefinition } from './run-definition.ts';
import { MissingPrerequisitesError } from './run-prerequisites.ts';
import type { TeardownStack } from '../run/teardown-stack.ts';
import { openWorkerSession, type WorkerSession } from './worker-session.ts';

/** The worker's cluster and Istio, or why there is none (then every test of the worker reports it). */
export type CasebookWorker =
  | { ok: true; istio: string; def: RunDefinition; session: WorkerSession }
  | { ok: false; istio: string; def: RunDefinition; kind: 'prerequisite' | 'error'; reason: string; short: string };

export type CasebookWorkerFixtures = { istioVersion: string; casebook: CasebookWorker };
export type CasebookTestFixtures = { scenarioStacks: { add(stack: TeardownStack): void } };

function describe(e: unknown): string {
  if (e instanceof CasebookError) return `${e.message}${e.hint ? ` (${e.hint})` : ''}`;
  return e instanceof Error ? e.message : String(e);
}

export function progressLine(istio: string): (line: string) => void {
  return (line) => {
    process.stdout.write(terminalSafe(`casebook [istio ${istio}] ${line}\n`));
  };
}

/**
 * Playwright fixtures. The worker fixture makes the cluster ready for one Istio version (a project):
 * create-or-reuse, so a worker restarted after a failed test finds the same cluster (Playwright
 * discards workers on failure, microsoft/playwright#3021); clusters are deleted at the end of the
 * run by globalTeardown, not here. The test fixture unwinds every scenario's teardown when the
 * test ends, also when Playwright stops it (Ctrl-C, timeout): fixture teardown still runs then.
 */
export const test = base.extend<CasebookTestFixtures, CasebookWorkerFixtures>({
  istioVersion: ['', { scope: 'worker', option: true }],
  casebook: [
    async ({ istioVersion }, use) => {
      const def = await runDefinition();
      const istio = istioVersion || def.env.istio[0]!;
      const log = progressLine(istio);
      let worker: CasebookWorker;
      try {
        worker = {
          ok: true,
          istio,
          def,
          session: await openWorkerSession(def.env, istio, { root: def.root, scenarios: def.scenarios, log }),
        };
      } catch (e) {
        log(`not ready: ${describe(e)}`);
        const short =
          e instanceof MissingPrerequisitesError ? `prerequisites missing: ${e.missing.join(', ')}` : describe(e).split('\n')[0]!;
        worker = { ok: false, istio, def, kind: e instanceof PrerequisiteError ? 'prerequisite' : 'error', reason: describe(e), short };
      }
      await use(worker);
      // Scenarios set up in the wave whose turn never came (a stopped run): their namespaces and containers go.
      if (worker.ok) for (const p of worker.session.wave?.pending() ?? []) await p.stack.unwind();
      // Mesh config patched for a scenario or phase goes back to the installed one; --keep leaves the last state.
      if (worker.ok && !def.env.keep) {
        await worker.session.restoreMesh().catch((e: unknown) => {
          log(`could not restore the mesh config: ${describe(e)}`);
        });
      }
    },
    { scope: 'worker', timeout: 60 * 60_000, title: 'cluster and Istio' },
  ],
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern; there are none
  scenarioStacks: async ({}, use) => {
    const stacks: TeardownStack[] = [];
    await use({
      add: (s) => {
        stacks.push(s);
      },
    });
    // Idempotent: after a normal end these already ran; after a stop they run now, last first.
    for (const s of stacks.reverse()) await s.unwind();
  },
});

export type { TestInfo };
export { expect } from '@playwright/test';
