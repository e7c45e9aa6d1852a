import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskSecretData } from './mask-secrets.ts';

test('Secret data and stringData values are replaced by their size wherever the Secret sits in the plan; other objects are untouched', () => {
  const key = Buffer.from('-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n').toString('base64');
  const plan = {
    versions: [
      {
        scenarios: [
          {
            phases: [
              {
                objects: [
                  {
                    apiVersion: 'v1',
                    kind: 'Secret',
                    metadata: { name: 'leaked', namespace: 'x' },
                    data: { 'tls.key': key },
                    stringData: { password: 'hunter2' },
                  },
                  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { password: 'shown: not a Secret' } },
                ],
              },
            ],
          },
        ],
      },
    ],
  };
  const text = JSON.stringify(maskSecretData(plan));
  assert.ok(!text.includes(key) && !text.includes('hunter2'), text);
  assert.ok(text.includes(`"tls.key":"<${Buffer.from(key, 'base64').length} bytes, not shown>"`), text);
  assert.match(text, /"password":"<7 bytes, not shown>"/);
  assert.match(text, /shown: not a Secret/);
  assert.equal(plan.versions[0]!.scenarios[0]!.phases[0]!.objects[0]!.stringData!.password, 'hunter2', 'the input is not changed');
});
