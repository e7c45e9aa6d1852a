import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import passthrough from '../../scenarios/ingress-tls-passthrough/scenario.ts';
import { renderPlan } from '../cli/render-plan.ts';
import { planManifestPaths, planRun } from './plan.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test("the plan shows the passthrough scenario's nginx Secret as setup, before its workload, and in no phase", () => {
  const manifests = new Map(planManifestPaths([passthrough]).map((p) => [p, readFileSync(join(ROOT, p), 'utf8')]));
  const plan = planRun({ scenarios: [passthrough], istioVersions: ['1.30.3'], manifests });
  const s = plan.versions[0]!.scenarios[0]!;
  assert.deepEqual(
    s.setup?.secrets.map((r) => `${r.namespace}/${r.name}:${r.cert}`),
    ['ingress-passthrough/nginx-server-certs:nginx'],
  );
  assert.ok(
    Object.values(passthrough.phases as Record<string, { secrets?: unknown }>).every((p) => p.secrets === undefined),
    'no phase creates or deletes it',
  );
  const lines = renderPlan(plan);
  const setupLine = lines.findIndex((l) =>
    /setup, before the workloads.*Secret ingress-passthrough\/nginx-server-certs \(tls, cert nginx, key <generated>\)/.test(l),
  );
  assert.ok(setupLine >= 0, lines.join('\n'));
  assert.ok(setupLine < lines.findIndex((l) => l.includes('workload nginx →')));
});
