import { runBatchTest } from '../harness/run/batch-test.ts';
import { test } from '../harness/run/casebook-test.ts';
import { runDefinition } from '../harness/run/run-definition.ts';

// One test per batch of the plan (harness/run/isolation-schedule.ts), in run order; each
// scenario phase is a step. Which scenarios: CASEBOOK_IDS from `casebook run`, else the first one.
const def = await runDefinition();

for (const batch of def.batches) {
  test(batch.ids.join(' + '), async ({ casebook, scenarioStacks }, testInfo) => {
    await runBatchTest({
      batch, worker: casebook, testInfo,
      step: (title, body) => test.step(title, body),
      addStack: (stack) => scenarioStacks.add(stack),
      skip: (reason) => test.skip(true, reason),
    });
  });
}
