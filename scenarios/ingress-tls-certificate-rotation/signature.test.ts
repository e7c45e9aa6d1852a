/**
 * The phase checks judged against the write-up's rotation (TRAFFIC_MANAGEMENT_HANDS_ON_2 in scenarios/write-ups.ts): the old
 * CA fails with NSS SEC_ERROR_BAD_SIGNATURE (OpenSSL: certificate signature failure), the new CA
 * gets 418 from a certificate whose issuer NAME is unchanged.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ingress, signature, type IngressObservation, type KubeObservation } from '../../harness/index.ts';
import scenario from './scenario.ts';

const base = { kind: 'ingress', url: 'https://httpbin.example.com/status/418', connectedTo: '127.0.0.1:8443' } as const;
// The probe names the served leaf after the run's certificate with its fingerprint (identify).
const servedBy = (knownAs: string): IngressObservation => ({
  ...base,
  status: 418,
  certificate: {
    subject: 'O=httpbin organization, CN=httpbin.example.com',
    issuer: 'CN=example.com, O=example Inc.',
    sans: [],
    validFrom: '',
    validTo: '',
    knownAs,
  },
});
const first = servedBy('httpbin');
const rotated = servedBy('httpbin-rotated');
const badSignature: IngressObservation = {
  ...base,
  error: { kind: 'bad-signature', code: 'CERT_SIGNATURE_FAILURE', message: 'certificate signature failure' },
};
const nameMismatch: IngressObservation = {
  ...base,
  error: { kind: 'name-mismatch', code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: 'altnames' },
};

const sig = signature(scenario);
const { phases } = sig;
const { holds } = sig;

test('before rotation and with the new CA: 418; after rotation with the old CA: a signature failure', () => {
  assert.equal(holds('control-before-rotation', 'oldCa', first), true);
  assert.equal(holds('broken', 'oldCa', badSignature), true);
  assert.equal(holds('broken', 'oldCa', first), false);
  assert.equal(holds('fixed', 'newCa', rotated), true);
  assert.equal(holds('fixed', 'newCa', badSignature), false);
});

test('the fingerprint changes: control needs the first certificate, broken and fixed the rotated one, each rejecting the other', () => {
  assert.equal(holds('control-before-rotation', 'oldCa', rotated), false);
  for (const phase of ['broken', 'fixed']) {
    assert.equal(holds(phase, 'newCa', rotated), true, phase);
    // A 418 from the first certificate (the Secret not replaced yet, or reverted) is not the rotation.
    assert.equal(holds(phase, 'newCa', first), false, phase);
  }
});

test('the Gateway stays and only the Secret changes: setup holds the Gateway, route and first Secret; the phases apply nothing but the same-named Secret', () => {
  assert.deepEqual(scenario.setup.apply, ['common/gateway.yaml', 'common/virtualservice.yaml']);
  assert.deepEqual(
    scenario.setup.secrets.map((r) => `${r.namespace}/${r.name}:${r.cert}`),
    ['istio-system/httpbin-rotation-credential:httpbin'],
  );
  for (const phase of Object.values(phases)) assert.deepEqual(phase!.apply, []);
  for (const phase of ['broken', 'fixed']) {
    assert.deepEqual(
      phases[phase]!.secrets?.map((r) => `${r.namespace}/${r.name}:${r.cert}`),
      ['istio-system/httpbin-rotation-credential:httpbin-rotated'],
    );
  }
});

test('no restart: the gateway pods (and every container) started before the Secret was replaced; a pod or container started after fails', () => {
  const pods = (started: string, restarts = 0): KubeObservation => ({
    kind: 'kube',
    read: 'pods',
    selector: 'istio-system/istio=ingressgateway',
    pods: [
      {
        name: 'istio-ingressgateway-7d4-x',
        uid: 'u1',
        startTime: '2026-11-22T09:00:00.000Z',
        containers: [{ name: 'istio-proxy', restartCount: restarts, startedAt: started }],
      },
    ],
    since: { object: 'Secret istio-system/httpbin-rotation-credential', changedAt: '2026-11-22T10:30:00.000Z' },
  });
  for (const phase of ['broken', 'fixed']) {
    const c = sig.check(phase, 'gatewayPods');
    assert.equal(c.evaluate(pods('2026-11-22T09:00:00.000Z')).ok, true, phase);
    assert.equal(c.evaluate(pods('2026-11-22T10:30:05.000Z', 1)).ok, false, `${phase}: the container restarted after the rotation`);
    assert.equal(
      c.evaluate({ ...pods('2026-11-22T09:00:00.000Z'), since: { object: 'Secret istio-system/httpbin-rotation-credential' } }).ok,
      false,
      `${phase}: the Secret's change time is unknown`,
    );
  }
});

test('a name mismatch is not the rotation failure', () => {
  assert.equal(holds('broken', 'oldCa', nameMismatch), false);
});

// The states a phase must not pass on: nothing routed yet (Envoy's 404), no listener (a reset).
const { answer, notRouted, reset: resetAt } = ingress;
const markedIn = sig.isPhaseSpecific;

test('broken and fixed need the rotated leaf verified by the second CA; control needs the first', () => {
  const teapotOf = (knownAs: string) =>
    answer('https://httpbin.example.com/status/418', 418, {
      certificate: {
        subject: 'CN=httpbin.example.com',
        issuer: 'O=example Inc., CN=example.com',
        sans: [],
        validFrom: '',
        validTo: '',
        knownAs,
      },
    });
  const badSignature: IngressObservation = {
    ...resetAt('https://httpbin.example.com/status/418'),
    error: { kind: 'bad-signature', code: 'CERT_SIGNATURE_FAILURE', message: 'certificate signature failure' },
  };
  for (const [phase, probe] of [
    ['control-before-rotation', 'oldCa'],
    ['broken', 'newCa'],
    ['fixed', 'newCa'],
  ] as const) {
    assert.ok(markedIn(phase, probe), phase);
    assert.equal(holds(phase, probe, teapotOf(phase === 'control-before-rotation' ? 'httpbin' : 'httpbin-rotated')), true, phase);
    assert.equal(holds(phase, probe, notRouted('https://httpbin.example.com/status/418')), false, `${phase}: no route`);
    assert.equal(holds(phase, probe, badSignature), false, `${phase}: the other CA's leaf`);
  }
});
