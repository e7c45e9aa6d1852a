import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';
import { casebookRoot } from './load/casebook-root.ts';

/** The layer map in eslint.config.js, proved on planted files (never written to disk). */
const eslint = new ESLint({ cwd: casebookRoot() });
async function problems(file: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: file });
  return (r?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

test('an import against the layer direction fails lint; one along it passes', async () => {
  assert.match(
    (await problems('harness/model/planted.ts', "import { planRun } from '../run/plan.ts';\nexport const x = planRun;\n"))[0] ?? '',
    /harness\/model\/ imports only layers below it/,
  );
  assert.match(
    (await problems('harness/run/planted.ts', "import { startRun } from '../host/start-run.ts';\nexport const x = startRun;\n"))[0] ?? '',
    /harness\/run\/ imports only/,
  );
  assert.match(
    (
      await problems(
        'harness/probes/ingress/planted.ts',
        "import { createKubeClient } from '../../kube/kube-client.ts';\nexport const x = createKubeClient;\n",
      )
    )[0] ?? '',
    /harness\/probes\/ imports only/,
  );
  assert.deepEqual(
    await problems('harness/run/planted.ts', "import { observe } from '../probes/observe.ts';\nexport const x = observe;\n"),
    [],
  );
});

test('only harness/config-level/ calls the Go helper istio-sim/', async () => {
  assert.deepEqual(await problems('harness/host/planted.ts', "export const dir = 'istio-sim/releases.json';\n"), [
    'only harness/config-level/ calls istio-sim/',
  ]);
  assert.deepEqual(await problems('harness/config-level/planted.ts', "export const dir = 'istio-sim/releases.json';\n"), []);
});
