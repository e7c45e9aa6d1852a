// A misspelt field or name, both ways: `tsc` (the @ts-expect-error lines below fail the type-check
// when the typo compiles) and `casebook validate` (definitionProblems reports it with its location).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { definitionProblems } from '../load/definition-problems.ts';
import { check } from '../checks/check.ts';
import { probe } from './probe.ts';
import { defineScenario } from './define-scenario.ts';
import type { ScenarioDefinition } from './scenario.ts';

const base = {
  id: 'typo-demo',
  title: 't',
  source: { title: 't' },
  symptom: 's',
  cause: 'c',
  fix: 'f',
  mesh: { profile: 'casebook-demo' },
  isolation: 'namespace',
  workloads: [],
  probes: {},
} as const;

test('a misspelt field in a phase or in the scenario does not compile', () => {
  const typed = () => [
    // A check in `expect`, as every real phase has: with one, TypeScript's own excess-property
    // check stays silent (S is inferred from the literal), which is how `secretz` once compiled.
    defineScenario({
      id: 'typo-demo',
      title: 't',
      source: { title: 't' },
      symptom: 's',
      cause: 'c',
      fix: 'f',
      mesh: { profile: 'casebook-demo' },
      isolation: 'namespace',
      workloads: [],
      probes: { teapot: probe.ingress({ url: 'http://x.example.com/status/418' }) },
      phases: {
        broken: {
          summary: 's',
          apply: [],
          expect: { teapot: check.status(418) },
          // @ts-expect-error `secretz` is not a Phase field: the phase would run without its Secret
          secretz: [{ name: 'x', namespace: 'istio-system', format: 'tls', cert: 'httpbin' }],
        },
      },
    }),
    defineScenario({
      ...base,
      phases: {},
      // @ts-expect-error `isolatoin` is not a ScenarioDefinition field
      isolatoin: 'mesh',
    }),
  ];
  assert.equal(typeof typed, 'function');
});

test('casebook validate reports a misspelt field with its location', () => {
  const s = {
    ...base,
    phases: { broken: { summary: 's', apply: [], expect: {}, secretz: [] } },
    isolatoin: 'mesh',
  } as unknown as ScenarioDefinition;
  const messages = definitionProblems([s]).map((p) => `${p.location}: ${p.message}`);
  assert.ok(
    messages.some((m) => /: phases\.broken\.secretz: unknown field 'secretz'/.test(m)),
    messages.join('\n'),
  );
  assert.ok(
    messages.some((m) => /: isolatoin: unknown field 'isolatoin'/.test(m)),
    messages.join('\n'),
  );
});

// Written out in each call: names declared elsewhere would be widened to string, and the calls
// below would prove nothing.
const named = {
  ...base,
  workloads: [
    { name: 'curl', namespace: 'typo-demo' },
    { name: 'httpbin', namespace: 'typo-demo' },
  ],
  probes: { call: probe.http({ from: 'curl', url: 'http://httpbin:8000/get' }) },
};
const call = check.status(200);

test('a misspelt probe, workload or evidence name does not compile', () => {
  const typed = () => [
    // The right names compile.
    defineScenario({
      ...base,
      workloads: [
        { name: 'curl', namespace: 'typo-demo' },
        { name: 'httpbin', namespace: 'typo-demo' },
      ],
      probes: { call: probe.http({ from: 'curl', url: 'http://httpbin:8000/get' }) },
      phases: {
        broken: {
          summary: 's',
          apply: [],
          expect: { call },
          evidence: ['access-log:curl', 'listeners:httpbin:8000', 'served-certificate:call', 'gateway-log'],
          config: { expect: { call, analysis: call, 'iptables:httpbin': call } },
        },
      },
      workshop: {
        outcome: { call: { check: call, because: 'b' } },
        controls: { 'listeners:curl': { check: call, because: 'b' } },
        evidence: ['iptables:curl'],
        hints: [],
        judges: 'j',
        cannotJudge: 'c',
      },
    }),
    defineScenario({
      ...base,
      workloads: [
        { name: 'curl', namespace: 'typo-demo' },
        { name: 'httpbin', namespace: 'typo-demo' },
      ],
      probes: { call: probe.http({ from: 'curl', url: 'http://httpbin:8000/get' }) },
      phases: {
        broken: {
          summary: 's',
          apply: [],
          // @ts-expect-error `cal` is not a probe of this scenario
          expect: { cal: call },
        },
      },
    }),
    defineScenario({
      ...base,
      workloads: [
        { name: 'curl', namespace: 'typo-demo' },
        { name: 'httpbin', namespace: 'typo-demo' },
      ],
      probes: { call: probe.http({ from: 'curl', url: 'http://httpbin:8000/get' }) },
      phases: {
        broken: {
          summary: 's',
          apply: [],
          expect: { call },
          // @ts-expect-error `acess-log` is not an evidence kind
          evidence: ['acess-log:curl'],
        },
      },
    }),
    defineScenario({
      ...base,
      workloads: [
        { name: 'curl', namespace: 'typo-demo' },
        { name: 'httpbin', namespace: 'typo-demo' },
      ],
      probes: { call: probe.http({ from: 'curl', url: 'http://httpbin:8000/get' }) },
      phases: {
        broken: {
          summary: 's',
          apply: [],
          expect: { call },
          // @ts-expect-error `curll` is not a workload of this scenario
          evidence: ['listeners:curll'],
        },
      },
    }),
    defineScenario({
      ...base,
      workloads: [
        { name: 'curl', namespace: 'typo-demo' },
        { name: 'httpbin', namespace: 'typo-demo' },
      ],
      probes: { call: probe.http({ from: 'curl', url: 'http://httpbin:8000/get' }) },
      phases: {
        broken: {
          summary: 's',
          apply: [],
          expect: { call },
          // @ts-expect-error `teapot` is not a probe of this scenario
          evidence: ['served-certificate:teapot'],
        },
      },
    }),
    defineScenario({
      ...base,
      workloads: [
        { name: 'curl', namespace: 'typo-demo' },
        { name: 'httpbin', namespace: 'typo-demo' },
      ],
      probes: { call: probe.http({ from: 'curl', url: 'http://httpbin:8000/get' }) },
      phases: {
        broken: {
          summary: 's',
          apply: [],
          expect: { call },
          // @ts-expect-error `analyis` is neither a probe nor analysis
          config: { expect: { analyis: call } },
        },
      },
    }),
    defineScenario({
      ...base,
      workloads: [
        { name: 'curl', namespace: 'typo-demo' },
        { name: 'httpbin', namespace: 'typo-demo' },
      ],
      probes: { call: probe.http({ from: 'curl', url: 'http://httpbin:8000/get' }) },
      phases: {
        broken: {
          summary: 's',
          apply: [],
          expect: { call },
          // @ts-expect-error `flaskapp` is not a workload of this scenario
          config: { expect: { 'iptables:flaskapp': call } },
        },
      },
    }),
    defineScenario({
      ...base,
      workloads: [
        { name: 'curl', namespace: 'typo-demo' },
        { name: 'httpbin', namespace: 'typo-demo' },
      ],
      probes: { call: probe.http({ from: 'curl', url: 'http://httpbin:8000/get' }) },
      phases: { broken: { summary: 's', apply: [], expect: { call } } },
      // @ts-expect-error `cal` is not a probe of this scenario
      workshop: { outcome: { cal: { check: call, because: 'b' } }, hints: [], judges: 'j', cannotJudge: 'c' },
    }),
    defineScenario({
      ...base,
      workloads: [
        { name: 'curl', namespace: 'typo-demo' },
        { name: 'httpbin', namespace: 'typo-demo' },
      ],
      probes: { call: probe.http({ from: 'curl', url: 'http://httpbin:8000/get' }) },
      phases: { broken: { summary: 's', apply: [], expect: { call } } },
      // @ts-expect-error `listeners:curll` names no workload
      workshop: { outcome: {}, controls: { 'listeners:curll': { check: call, because: 'b' } }, hints: [], judges: 'j', cannotJudge: 'c' },
    }),
  ];
  assert.equal(typeof typed, 'function');
});

test('casebook validate reports the same misspelt names', () => {
  const s = {
    ...named,
    phases: {
      broken: {
        summary: 's',
        apply: [],
        expect: { cal: call },
        evidence: ['acess-log:curl'],
        config: { expect: { analyis: call, 'iptables:flaskapp': call } },
      },
    },
    workshop: {
      outcome: { cal: { check: call, because: 'b' } },
      controls: { 'listeners:curll': { check: call, because: 'b' } },
      evidence: ['teapot'],
      hints: [],
      judges: 'j',
      cannotJudge: 'c',
    },
  } as unknown as ScenarioDefinition;
  const messages = definitionProblems([s])
    .map((p) => `${p.location}: ${p.message}`)
    .join('\n');
  for (const field of [
    'phases.broken.expect.cal',
    'phases.broken.evidence[0]',
    'phases.broken.config.expect.analyis',
    'phases.broken.config.expect.iptables:flaskapp',
    'workshop.outcome.cal',
    'workshop.controls.listeners:curll',
    'workshop.evidence[0]',
  ]) {
    assert.ok(messages.includes(`: ${field}: `), `${field} not reported:\n${messages}`);
  }
});
