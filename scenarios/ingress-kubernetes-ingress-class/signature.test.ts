/**
 * The phase checks judged against the write-up's Kubernetes Ingress output
 * (seeds/003_df287000848aec8c.txt): with the class, /status/200 -> 200 and /headers -> 404, both
 * from istio-envoy; an ignored Ingress leaves the gateway's 404.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IngressObservation, Phase } from '../../harness/index.ts';
import scenario from './scenario.ts';

const at = (path: string, status: number): IngressObservation =>
  ({ kind: 'ingress', url: `http://httpbin.example.com${path}`, connectedTo: '127.0.0.1:8080', status, headers: { server: 'istio-envoy' }, body: '' });
const refused: IngressObservation = { kind: 'ingress', url: 'http://httpbin.example.com/status/200', connectedTo: '127.0.0.1:8080',
  error: { kind: 'refused', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' } };

const phases: Partial<Record<string, Phase>> = scenario.phases;
const holds = (phase: string, probe: string, o: IngressObservation) => phases[phase]!.expect[probe]!.evaluate(o).ok;

test('both broken phases: the Ingress is ignored, the gateway answers 404', () => {
  for (const phase of ['broken', 'broken-missing-ingressclass']) {
    assert.equal(holds(phase, 'status200', at('/status/200', 404)), true, phase);
    assert.equal(holds(phase, 'status200', at('/status/200', 200)), false, phase);
    // The other site's Gateway keeps the listener: a refused connection would be another failure.
    assert.equal(holds(phase, 'status200', refused), false, phase);
  }
});

test('both fixed phases: the write-up\'s 200 and 404', () => {
  for (const phase of ['fixed', 'fixed-ingressclass']) {
    assert.equal(holds(phase, 'status200', at('/status/200', 200)), true, phase);
    assert.equal(holds(phase, 'headers', at('/headers', 404)), true, phase);
    assert.equal(holds(phase, 'status200', at('/status/200', 404)), false, phase);
  }
});
