import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probeFixture } from './testing/probe-fixture.ts';
import { sClientObservation } from './s-client-output.ts';

const observed = (name: string) => {
  const f = probeFixture(name);
  return sClientObservation(f.stdout, f.stderr, f.exitCode);
};

test('OpenSSL 3.0 s_client: verified TLS 1.3 handshake and the chain', () => {
  const o = observed('s-client-verified');
  assert.equal(o.handshake, 'ok');
  assert.equal(o.tlsVersion, 'TLSv1.3');
  assert.equal(o.cipher, 'TLS_AES_256_GCM_SHA384');
  assert.deepEqual(o.verifyResult, { code: 0, text: 'ok' });
  assert.deepEqual(
    o.chain.map((c) => c.subject),
    ['CN=site.lab.test, O=site org'],
  );
  assert.equal(o.alert, undefined);
});

test('verification failures keep the handshake and say why', () => {
  assert.deepEqual(observed('s-client-wrong-ca').verifyResult, { code: 21, text: 'unable to verify the first certificate' });
  assert.deepEqual(observed('s-client-name-mismatch').verifyResult, { code: 62, text: 'hostname mismatch' });
});

test('a required client certificate: the TLS 1.3 alert after the handshake', () => {
  const o = observed('s-client-certificate-required');
  assert.equal(o.alert, 'tlsv13 alert certificate required');
  assert.equal(o.raw.exitCode, 1);
  assert.equal(o.chain.length, 2);
});

test('no handshake: plain text and refused', () => {
  const plain = observed('s-client-plaintext');
  assert.deepEqual(
    [plain.handshake, plain.error, plain.chain.length, plain.verifyResult],
    ['failed', 'the server did not answer with TLS (plain text?)', 0, undefined],
  );
  const refused = observed('s-client-refused');
  assert.deepEqual([refused.handshake, refused.error], ['failed', 'connection refused']);
});
