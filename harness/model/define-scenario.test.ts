// W2 both ways: `tsc` (the @ts-expect-error lines below fail the type-check when the misspelt field
// compiles) and `casebook validate` (definitionProblems reports the field with its location).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { definitionProblems } from '../load/definition-problems.ts';
import { check } from '../checks/check.ts';
import { defineScenario } from './define-scenario.ts';
import type { ScenarioDefinition } from './scenario.ts';

const base = {
  id: 'typo-demo', title: 't', source: 'https://example.com/x', symptom: 's', cause: 'c', fix: 'f',
  mesh: { profile: 'casebook-demo' }, isolation: 'namespace', workloads: [], probes: {},
} as const;

test('W2: a misspelt field in a phase or in the scenario does not compile', () => {
  const typed = () => [
    // A check in `expect`, as every real phase has: with one, TypeScript's own excess-property
    // check stays silent (S is inferred from the literal), which is how `secretz` once compiled.
    defineScenario({ id: 'typo-demo', title: 't', source: 'https://example.com/x', symptom: 's', cause: 'c', fix: 'f',
      mesh: { profile: 'casebook-demo' }, isolation: 'namespace', workloads: [], probes: {}, phases: { broken: { summary: 's', apply: [], expect: { teapot: check.status(418) },
      // @ts-expect-error `secretz` is not a Phase field: the phase would run without its Secret
      secretz: [{ name: 'x', namespace: 'istio-system', format: 'tls', cert: 'httpbin' }] } } }),
    defineScenario({ ...base, phases: {},
      // @ts-expect-error `isolatoin` is not a ScenarioDefinition field
      isolatoin: 'mesh' }),
  ];
  assert.equal(typeof typed, 'function');
});

test('W2: casebook validate reports a misspelt field with its location', () => {
  const s = { ...base, phases: { broken: { summary: 's', apply: [], expect: {}, secretz: [] } }, isolatoin: 'mesh' } as unknown as ScenarioDefinition;
  const messages = definitionProblems([s]).map((p) => `${p.location}: ${p.message}`);
  assert.ok(messages.some((m) => /: phases\.broken\.secretz: unknown field 'secretz'/.test(m)), messages.join('\n'));
  assert.ok(messages.some((m) => /: isolatoin: unknown field 'isolatoin'/.test(m)), messages.join('\n'));
});
