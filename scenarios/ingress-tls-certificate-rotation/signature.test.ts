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
