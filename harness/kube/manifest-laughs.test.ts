import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ScenarioLoadError } from '../model/errors.ts';
import { phaseEvidenceDir } from '../evidence/phase-evidence.ts';
import { parseManifest } from './manifest-objects.ts';

test('a billion-laughs manifest is a load problem naming the file and document (exit 2), not a harness failure', () => {
  const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++)
    laughs.push(
      `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(',')}]`,
    );
  const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: boom}\ndata:\n  ${laughs.join('\n  ')}\n`;
  assert.throws(
    () => parseManifest(text, 'manifests/scenarios/x/broken/laughs.yaml'),
    (e: unknown) =>
      e instanceof ScenarioLoadError &&
      e.problems.length === 1 &&
      e.problems[0]!.location === 'manifests/scenarios/x/broken/laughs.yaml#2' &&
      /cannot be read: .*alias/i.test(e.problems[0]!.message),
  );
});

test('a phase named .. or . never becomes a path step in the evidence folder', () => {
  assert.equal(phaseEvidenceDir({ scenario: '..', istio: '1.32.0', phase: '.' }), 'evidence/__/istio-1.32.0/_');
  assert.equal(phaseEvidenceDir({ scenario: 'a', istio: '1.32.0', phase: '../x' }), 'evidence/a/istio-1.32.0/.._x');
});
