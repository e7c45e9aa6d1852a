import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from './run-cli.ts';
import { makeTempRoot } from './testing/temp-root.ts';

let root: string;
let dispose: () => void;
before(() => ({ root, dispose } = makeTempRoot()));
after(() => dispose());

test('S6: plan --json never prints a manifest Secret\'s data or stringData', async () => {
  const key = Buffer.from('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n').toString('base64');
  appendFileSync(join(root, 'manifests/scenarios/destinationrule-without-tls-overrides-mesh-mtls/broken/destination-rule.yaml'),
    `---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: leaked\n  namespace: istio-system\ndata:\n  tls.key: ${key}\nstringData:\n  token: TOKEN-VALUE-123\n`);
  let out = '';
  let err = '';
  const code = await runCli(['plan', 'destinationrule-without-tls-overrides-mesh-mtls', '--json'],
    { out: (s) => { out += s; }, err: (s) => { err += s; }, env: { CASEBOOK_ROOT: root } });
  assert.equal(code, 0, err);
  assert.match(out, /"name": "leaked"/, 'the Secret itself is listed');
  assert.ok(!out.includes(key) && !out.includes('TOKEN-VALUE-123'), 'its values are not');
});
