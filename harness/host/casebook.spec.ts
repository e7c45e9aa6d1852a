import { runBatchTest } from './batch-test.ts';
import { test } from './casebook-test.ts';
import { runDefinition } from './run-definition.ts';

// One test per batch of the plan (harness/run/isolation-schedule.ts), in run order; each
// scenario phase is a step. Which scenarios: CASEBOOK_IDS from `casebook run`, else the first one.
const def = await runDefinition();

for (const batch of def.batches) {
  test(batch.ids.join(' + '), async ({ casebook, scenarioStacks }, testInfo) => {
    await runBatchTest({
      batch,
      worker: casebook,
      testInfo,
      step: (title, body) => test.step(title, body),
      addStack: (stack) => scenarioStacks.add(stack),
      skip: (reason) => {
        // A job that exists to run on a real cluster sets CASEBOOK_E2E_REQUIRED=1, so missing
        // prerequisites fail it instead of leaving a green run that tested nothing.
        if (process.env['CASEBOOK_E2E_REQUIRED'] === '1') throw new Error(`e2e prerequisites missing (CASEBOOK_E2E_REQUIRED=1): ${reason}`);
        test.skip(true, reason);
      },
    });
  });
}
