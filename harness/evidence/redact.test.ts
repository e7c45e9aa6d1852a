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

  const secret = JSON.stringify({
    data: { 'tls.crt': Buffer.from(cert).toString('base64'), 'tls.key': Buffer.from(pkcs8).toString('base64') },
  });
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

test('wrapped base64 keys, partial PEM bodies, kubeconfig tokens and passwords, and auth headers and cookies are redacted', () => {
  const wrapped = Buffer.from(pkcs8)
    .toString('base64')
    .replace(/(.{76})/g, '$1\n');
  const wrappedLines = wrapped.split('\n');
  const cases: [string, string[]][] = [
    [`tls.key: ${wrapped}\nnext: kept`, wrappedLines.filter((l) => l.length > 8)],
    [pkcs8.slice(0, 120), [pkcs8.slice(40, 100)]],
    [JSON.stringify({ body: pkcs8.slice(0, 150) }), [keyBody.slice(0, 40)]],
    ['users:\n- user:\n    token: eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl\n    password: hunter2\n', ['eyJhbGci', 'hunter2']],
    [JSON.stringify({ stdout: 'HTTP/1.1 200\nAuthorization: Bearer tok-123-abc\n' }), ['tok-123-abc']],
    ['{"authorization": "Bearer tok-456-def", "Authorization":"Basic dXNlcjpwdw=="}', ['tok-456-def', 'dXNlcjpwdw==']],
    [
      'Cookie: session=s3cr3t-cookie\nSet-Cookie: sid=other-s3cr3t; Path=/\nX-Api-Key: key-789\nAuthorization: token ghp_abcdef',
      ['s3cr3t-cookie', 'other-s3cr3t', 'key-789', 'ghp_abcdef'],
    ],
    [
      'fetch https://alice:pa55word@mirror.example/x and {"client_secret":"cs-1","aws_secret_access_key":"ak-2"}',
      ['pa55word', 'cs-1', 'ak-2'],
    ],
  ];
  for (const [text, secrets] of cases) {
    const out = redactSecrets(text);
    for (const s of secrets) assert.ok(!out.includes(s), `${JSON.stringify(s)} survived in ${JSON.stringify(out)}`);
    assert.equal(containsSecret(out), false, `redacting is idempotent: ${out}`);
  }
  assert.match(redactSecrets(`tls.key: ${wrapped}\nnext: kept`), /\nnext: kept$/, 'text after a wrapped key stays');
  assert.doesNotThrow(() => JSON.parse(redactSecrets(JSON.stringify({ a: `Authorization: Bearer x\n${pkcs8}`, b: 'Cookie: c=1' }))));
});
