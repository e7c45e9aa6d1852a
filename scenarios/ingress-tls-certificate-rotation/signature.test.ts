/**
 * The phase checks judged against the write-up's rotation (seeds/003_df287000848aec8c.txt): the old
 * CA fails with NSS SEC_ERROR_BAD_SIGNATURE (OpenSSL: certificate signature failure), the new CA
 * gets 418 from a certificate whose issuer NAME is unchanged.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IngressObservation, Phase } from '../../harness/index.ts';
import scenario from './scenario.ts';

const base = { kind: 'ingress', url: 'https://httpbin.example.com/status/418', connectedTo: '127.0.0.1:8443' } as const;
const teapot: IngressObservation = { ...base, status: 418,
  certificate: { subject: 'O=httpbin organization, CN=httpbin.example.com', issuer: 'CN=example.com, O=example Inc.', sans: [], validFrom: '', validTo: '' } };
const badSignature: IngressObservation = { ...base, error: { kind: 'bad-signature', code: 'CERT_SIGNATURE_FAILURE', message: 'certificate signature failure' } };
const nameMismatch: IngressObservation = { ...base, error: { kind: 'name-mismatch', code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: 'altnames' } };

const phases: Partial<Record<string, Phase>> = scenario.phases;
const holds = (phase: string, probe: string, o: IngressObservation) => phases[phase]!.expect[probe]!.evaluate(o).ok;

test('before rotation and with the new CA: 418; after rotation with the old CA: a signature failure', () => {
  assert.equal(holds('control-before-rotation', 'oldCa', teapot), true);
  assert.equal(holds('broken', 'oldCa', badSignature), true);
  assert.equal(holds('broken', 'oldCa', teapot), false);
  assert.equal(holds('fixed', 'newCa', teapot), true);
  assert.equal(holds('fixed', 'newCa', badSignature), false);
});

test('a name mismatch is not the rotation failure', () => {
  assert.equal(holds('broken', 'oldCa', nameMismatch), false);
});


// Shared by the phase-specific tests below: an answer from the gateway, and the states a phase
// must not pass on (nothing routed yet: Envoy's 404; no listener: a reset).
const answer = (url: string, status: number, extra: Partial<IngressObservation> = {}): IngressObservation =>
  ({ kind: 'ingress', url, connectedTo: '127.0.0.1:8080', status, headers: { server: 'istio-envoy' }, body: '', ...extra });
const notRouted = (url: string): IngressObservation => answer(url, 404);
const resetAt = (url: string): IngressObservation => ({ kind: 'ingress', url, connectedTo: '127.0.0.1:8443',
  error: { kind: 'reset-before-tls', code: 'ECONNRESET', message: 'socket hang up' } });
const markedIn = (phase: string, probe: string) => typeof (phases[phase]!.expect[probe] as { phaseSpecific?: unknown }).phaseSpecific === 'string';

test('broken and fixed need the rotated leaf verified by the second CA; control needs the first', () => {
  const teapot = answer('https://httpbin.example.com/status/418', 418, { certificate: { subject: 'CN=httpbin.example.com', issuer: 'O=example Inc., CN=example.com', sans: [], validFrom: '', validTo: '' } });
  const badSignature: IngressObservation = { ...resetAt('https://httpbin.example.com/status/418'), error: { kind: 'bad-signature', code: 'CERT_SIGNATURE_FAILURE', message: 'certificate signature failure' } };
  for (const [phase, probe] of [['control-before-rotation', 'oldCa'], ['broken', 'newCa'], ['fixed', 'newCa']] as const) {
    assert.ok(markedIn(phase, probe), phase);
    assert.equal(holds(phase, probe, teapot), true, phase);
    assert.equal(holds(phase, probe, notRouted('https://httpbin.example.com/status/418')), false, `${phase}: no route`);
    assert.equal(holds(phase, probe, badSignature), false, `${phase}: the other CA's leaf`);
  }
});
