/**
 * The phase checks judged against the write-up's Kubernetes Ingress output
 * (TRAFFIC_MANAGEMENT_HANDS_ON_2 in scenarios/write-ups.ts): with the class, /status/200 -> 200 and /headers -> 404, both
 * from istio-envoy; an ignored Ingress leaves the gateway's 404.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signature, type IngressObservation } from '../../harness/index.ts';
import scenario from './scenario.ts';

const at = (path: string, status: number): IngressObservation => ({
  kind: 'ingress',
  url: `http://httpbin.example.com${path}`,
  connectedTo: '127.0.0.1:8080',
  status,
  headers: { server: 'istio-envoy' },
  body: '',
});
const refused: IngressObservation = {
  kind: 'ingress',
  url: 'http://httpbin.example.com/status/200',
  connectedTo: '127.0.0.1:8080',
  error: { kind: 'refused', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' },
};

const sig = signature(scenario);
const { phases } = sig;
const { holds } = sig;

// The Ingress with ingressClassName has its own host and probes (classStatus200, classHeaders).
const probesOf = {
  broken: 'status200',
  'broken-missing-ingressclass': 'classStatus200',
  fixed: 'status200',
  'fixed-ingressclass': 'classStatus200',
} as const;

test('both broken phases: the Ingress is ignored, the gateway answers 404', () => {
  for (const phase of ['broken', 'broken-missing-ingressclass'] as const) {
    const probe = probesOf[phase];
    assert.equal(holds(phase, probe, at('/status/200', 404)), true, phase);
    assert.equal(holds(phase, probe, at('/status/200', 200)), false, phase);
    // The other site's Gateway keeps the listener: a refused connection would be another failure.
    assert.equal(holds(phase, probe, refused), false, phase);
  }
});

test('both broken phases: the control Ingress must answer, so an unprocessed Ingress is not a reproduction', () => {
  for (const phase of ['broken', 'broken-missing-ingressclass']) {
    const c = sig.check(phase, 'control');
    assert.equal(typeof (c as { phaseSpecific?: unknown }).phaseSpecific, 'string', phase);
    assert.equal(c.evaluate(at('/status/200', 200)).ok, true, phase);
    assert.equal(c.evaluate(at('/status/200', 404)).ok, false, `${phase}: nothing pushed yet`);
  }
});

test("both fixed phases: the write-up's 200 and 404, each on its own host", () => {
  for (const phase of ['fixed', 'fixed-ingressclass'] as const) {
    const probe = probesOf[phase];
    const headers = phase === 'fixed' ? 'headers' : 'classHeaders';
    assert.equal(sig.isPhaseSpecific(phase, probe), true, phase);
    assert.equal(holds(phase, probe, at('/status/200', 200)), true, phase);
    assert.equal(holds(phase, headers, at('/headers', 404)), true, phase);
    assert.equal(holds(phase, probe, at('/status/200', 404)), false, phase);
  }
  assert.notDeepEqual(scenario.probes.status200, scenario.probes.classStatus200, "fixed-ingressclass is not answered by fixed's host");
});

test('broken-missing-ingressclass: its precondition holds only while no IngressClass istio exists (a kube read), and fails by name when one does', () => {
  const c = sig.check('broken-missing-ingressclass', 'ingressClass');
  assert.equal(c.evaluate({ kind: 'kube', read: 'object', object: 'IngressClass istio', exists: false }).ok, true);
  const left = c.evaluate({ kind: 'kube', read: 'object', object: 'IngressClass istio', exists: true });
  assert.equal(left.ok, false);
  assert.match(left.message, /IngressClass istio not to exist, but it exists/);
  // Not a check the other phases make: fixed-ingressclass creates the class itself.
  assert.equal(phases['fixed-ingressclass']!.expect['ingressClass'], undefined);
});
