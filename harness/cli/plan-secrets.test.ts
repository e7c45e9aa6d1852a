import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from './run-cli.ts';
import { makeTempRoot, REPO } from './testing/temp-root.ts';

let root: string;
let dispose: () => void;
before(() => ({ root, dispose } = makeTempRoot()));
after(() => dispose());

test("plan --json never prints a manifest Secret's data or stringData", async () => {
  const key = Buffer.from('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n').toString('base64');
  appendFileSync(
    join(root, 'manifests/scenarios/destinationrule-without-tls-overrides-mesh-mtls/broken/destination-rule.yaml'),
    `---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: leaked\n  namespace: istio-system\ndata:\n  tls.key: ${key}\nstringData:\n  token: TOKEN-VALUE-123\n`,
  );
  let out = '';
  let err = '';
  const code = await runCli(['plan', 'destinationrule-without-tls-overrides-mesh-mtls', '--json'], {
    out: (s) => {
      out += s;
    },
    err: (s) => {
      err += s;
    },
    env: { CASEBOOK_ROOT: root },
  });
  assert.equal(code, 0, err);
  assert.match(out, /"name": "leaked"/, 'the Secret itself is listed');
  assert.ok(!out.includes(key) && !out.includes('TOKEN-VALUE-123'), 'its values are not');
});

test('W3: plan and plan --json list the Secrets each phase creates (name, namespace, format), never their data', async () => {
  const text = { out: '', err: '' };
  const json = { out: '', err: '' };
  const env = { CASEBOOK_ROOT: REPO };
  assert.equal(
    await runCli(['plan', 'ingress-tls-simple'], {
      out: (s) => {
        text.out += s;
      },
      err: (s) => {
        text.err += s;
      },
      env,
    }),
    0,
    text.err,
  );
  assert.equal(
    await runCli(['plan', 'ingress-tls-simple', '--json'], {
      out: (s) => {
        json.out += s;
      },
      err: (s) => {
        json.err += s;
      },
      env,
    }),
    0,
    json.err,
  );
  // The Secret's namespace is the whole difference between broken and fixed.
  assert.match(
    text.out,
    /phase broken[^]*?secrets \(made at run time, data never shown\): Secret ingress-tls-simple\/httpbin-simple-credential \(tls, cert httpbin, key <generated>\)/,
  );
  assert.match(
    text.out,
    /phase fixed[^]*?secrets \(made at run time, data never shown\): Secret istio-system\/httpbin-simple-credential \(tls/,
  );
  const plan = JSON.parse(json.out) as {
    versions: { scenarios: { phases: { name: string; secrets: { name: string; namespace: string; format: string }[] }[] }[] }[];
  };
  const phases = plan.versions[0]!.scenarios[0]!.phases;
  assert.deepEqual(
    phases.find((p) => p.name === 'fixed')!.secrets.map((s) => [s.namespace, s.name, s.format]),
    [['istio-system', 'httpbin-simple-credential', 'tls']],
  );
  assert.doesNotMatch(json.out, /BEGIN|PRIVATE KEY|"data"|"tls\.key"/);
});
