import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { containsSecret, redactSecrets } from './redact.ts';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const sec1 = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
const keyBody = pkcs8.split('\n')[1]!;

test('PEM private keys are removed as text, JSON-escaped and base64 (Secret data)', () => {
  const cert = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----';
  const text = `served:\n${cert}\nkey:\n${pkcs8}\nec:\n${sec1}`;
  const out = redactSecrets(text);
  assert.ok(!out.includes(keyBody), 'the key material is gone');
  assert.ok(out.includes(cert), 'certificates are evidence and stay');
  assert.match(out, /-----BEGIN PRIVATE KEY-----\[REDACTED\]-----END PRIVATE KEY-----/);
  assert.match(out, /-----BEGIN EC PRIVATE KEY-----\[REDACTED\]-----END EC PRIVATE KEY-----/);

  const json = JSON.stringify({ stdout: pkcs8 });
  assert.ok(!redactSecrets(json).includes(keyBody));
  assert.doesNotThrow(() => JSON.parse(redactSecrets(json)));

  const secret = JSON.stringify({ data: { 'tls.crt': Buffer.from(cert).toString('base64'), 'tls.key': Buffer.from(pkcs8).toString('base64') } });
  const redacted = JSON.parse(redactSecrets(secret)) as { data: Record<string, string> };
  assert.equal(redacted.data['tls.key'], '[REDACTED]');
  assert.equal(redacted.data['tls.crt'], Buffer.from(cert).toString('base64'), 'a base64 certificate is kept');
});

test('tokens and kubeconfig credentials are removed', () => {
  const out = redactSecrets('Authorization: Bearer eyJhbGciOi.abc.def\nclient-key-data: "c2VjcmV0"\n{"token":"abc123"}');
  assert.ok(!/eyJhbGciOi|c2VjcmV0|abc123/.test(out), out);
  assert.equal(containsSecret(out), false);
  assert.equal(containsSecret(pkcs8), true);
  assert.equal(redactSecrets('plain curl output, status 503'), 'plain curl output, status 503');
});
