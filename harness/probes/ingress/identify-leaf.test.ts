import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import { createCertStore } from '../../certs/cert-store.ts';
import { createCertificates } from '../../certs/create-certificates.ts';
import { certIs } from '../../checks/cert-checks.ts';
import type { IngressObservation } from '../../model/observation.ts';
import { identifyLeaf } from './observe-ingress.ts';

test("identify: a served leaf is named after the run's certificate with its SHA-256 fingerprint; two same-subject leaves of two same-subject CAs are told apart", async () => {
  const store = await createCertStore();
  try {
    const subject = 'O=example Inc.,CN=example.com';
    const leaf = (name: string, ca: string) => ({
      name,
      kind: 'server' as const,
      ca,
      commonName: 'httpbin.example.com',
      dnsNames: ['httpbin.example.com'],
    });
    await createCertificates(store, [
      { name: 'ca-1', kind: 'ca', subject },
      { name: 'ca-2', kind: 'ca', subject },
      leaf('first', 'ca-1'),
      leaf('rotated', 'ca-2'),
    ]);
    const served = (name: string): IngressObservation => ({
      kind: 'ingress',
      url: 'https://httpbin.example.com/status/418',
      connectedTo: '127.0.0.1:8443',
      status: 418,
      certificate: {
        subject: 'CN=httpbin.example.com',
        issuer: 'O=example Inc., CN=example.com',
        sans: ['httpbin.example.com'],
        validFrom: '',
        validTo: '',
        fingerprint256: new X509Certificate(store.get(name).certPem).fingerprint256,
      },
    });
    const rotated = identifyLeaf(served('rotated'), ['first', 'rotated'], store);
    assert.equal(rotated.certificate?.knownAs, 'rotated');
    assert.equal(certIs('rotated').evaluate(rotated).ok, true);
    assert.equal(certIs('first').evaluate(rotated).ok, false);
    const first = identifyLeaf(served('first'), ['first', 'rotated'], store);
    assert.equal(certIs('rotated').evaluate(first).ok, false);
    assert.match(certIs('rotated').evaluate(first).message, /expected the run's certificate rotated, got the run's first/);
    // A leaf none of the names has (a stale one from another scenario): not identified, and certIs says so.
    const stranger = identifyLeaf(
      { ...served('first'), certificate: { ...served('first').certificate!, fingerprint256: 'AA:BB' } },
      ['rotated'],
      store,
    );
    assert.equal(stranger.certificate?.knownAs, undefined);
    assert.match(certIs('rotated').evaluate(stranger).message, /does not identify \(fingerprint AA:BB/);
  } finally {
    await store.dispose();
  }
});
