import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { execa } from 'execa';
import type { CertificateRequest, SecretRequest } from '../model/scenario.ts';
import { readFixInput, secretsYaml } from './fix-input.ts';

const CERTS: CertificateRequest[] = [
  { name: 'example-ca', kind: 'ca', subject: 'CN=example.com' },
  { name: 'httpbin', kind: 'server', ca: 'example-ca', commonName: 'httpbin.example.com', dnsNames: ['httpbin.example.com'] },
];
const MAIN = new URL('../cli/main.ts', import.meta.url).pathname;

function folder(files: Record<string, string>): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'casebook-fix-'));
  for (const [n, t] of Object.entries(files)) writeFileSync(join(dir, n), t);
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

test("a folder's YAML files are read in name order; Secrets come back as the secret requests they were written from", () => {
  const reqs: SecretRequest[] = [
    { name: 'a', namespace: 'istio-system', format: 'tls', cert: 'httpbin', ca: 'example-ca' },
    { name: 'b', namespace: 'istio-system', format: 'generic', cert: 'httpbin' },
    { name: 'b-cacert', namespace: 'istio-system', format: 'cacert', ca: 'example-ca' },
  ];
  const f = folder({
    'b.yaml': secretsYaml(reqs),
    'a.yml': 'apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: default, namespace: demo1}\nspec: {}\n',
    'notes.txt': 'ignored',
  });
  try {
    const input = readFixInput(f.dir, CERTS);
    assert.deepEqual(input.files, ['a.yml', 'b.yaml']);
    assert.deepEqual(
      input.objects.map((o) => o.kind),
      ['Sidecar'],
    );
    assert.deepEqual(input.secrets, reqs);
  } finally {
    f.dispose();
  }
});

test("without any Secret the input carries none (the broken phase's are kept)", () => {
  const f = folder({ 'x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: demo}\n' });
  try {
    assert.equal(readFixInput(f.dir, CERTS).secrets, undefined);
  } finally {
    f.dispose();
  }
});

test('a cluster-scoped object (an IngressClass) needs no namespace; a namespaced one does', () => {
  const f = folder({
    'c.yaml':
      'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: istio}\nspec: {controller: istio.io/ingress-controller}\n',
  });
  try {
    assert.deepEqual(
      readFixInput(f.dir, CERTS).objects.map((o) => o.kind),
      ['IngressClass'],
    );
  } finally {
    f.dispose();
  }
});

test('input errors are FixInputErrors that say what to do: bad YAML, no namespace, key material, unknown certificate, empty folder', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ 'x.yaml': 'apiVersion: v1\nkind: [\n' }, /x\.yaml is not valid Kubernetes YAML/],
    [{ 'x.yaml': 'kind: Sidecar\nmetadata: {name: a, namespace: b}\n' }, /apiVersion is missing/],
    [{ 'x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n' }, /has no metadata\.namespace/],
    [
      {
        'x.yaml':
          'apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: istio-system}\nstringData: {tls.crt: "-----BEGIN", tls.key: k}\n',
      },
      /not a certificate placeholder/,
    ],
    [
      {
        'x.yaml':
          'apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: istio-system}\nstringData: {tls.crt: "${certificate.nope.crt}", tls.key: "${certificate.nope.key}"}\n',
      },
      /names certificate nope, which this scenario does not have/,
    ],
    [{ 'readme.txt': 'x' }, /holds no \.yaml or \.yml file/],
  ];
  for (const [files, re] of cases) {
    const f = folder(files);
    try {
      assert.throws(
        () => readFixInput(f.dir, CERTS),
        (e: Error) => e.name === 'FixInputError' && re.test(e.message),
        re.source,
      );
    } finally {
      f.dispose();
    }
  }
});

test('casebook check exits 2 with the message, not a stack trace: invalid YAML, --level runtime (not built yet), a scenario without workshop data', async () => {
  const f = folder({ 'x.yaml': 'apiVersion: v1\nkind: [\n' });
  try {
    const se = 'serviceentry-in-other-namespace-captures-tcp-port';
    const yaml = await execa('node', [MAIN, 'check', se, f.dir], { reject: false });
    assert.equal(yaml.exitCode, 2);
    assert.match(yaml.stderr, /^error: x\.yaml is not valid Kubernetes YAML/m);
    assert.doesNotMatch(yaml.stderr, /\n\s+at /);
    const runtime = await execa('node', [MAIN, 'check', se, f.dir, '--level', 'runtime'], { reject: false });
    assert.equal(runtime.exitCode, 2);
    assert.match(runtime.stderr, /not built yet/);
    const none = await execa('node', [MAIN, 'check', 'destinationrule-subset-matches-no-pod-not-a-scenario', f.dir], { reject: false });
    assert.equal(none.exitCode, 2);
    // A scenario whose fix no config decides (the client trusting a new CA) says so before reading any input.
    const client = await execa('node', [MAIN, 'check', 'ingress-tls-certificate-rotation', f.dir], { reject: false });
    assert.equal(client.exitCode, 2);
    assert.match(client.stderr, /check cannot judge a fix of this scenario at config level: the fix is on the client side/);
  } finally {
    f.dispose();
  }
});
