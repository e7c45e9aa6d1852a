import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { createCertStore, EXAMPLE_CA_SUBJECT, type CertStore } from '../../certs/cert-store.ts';
import { UsageError } from '../../model/errors.ts';
import * as servers from '../../probes/ingress/testing/local-servers.ts';
import { registerProbeCommand } from './probe.ts';

let store: CertStore;
let gateway: servers.Running;
let mutual: servers.Running;

before(async () => {
  store = await createCertStore();
  await store.ca('example-ca', { subject: EXAMPLE_CA_SUBJECT });
  await store.server('httpbin', {
    ca: 'example-ca',
    commonName: 'httpbin.example.com',
    organization: 'httpbin organization',
    dnsNames: ['httpbin.example.com'],
  });
  await store.client('client', { ca: 'example-ca', commonName: 'client.example.com' });
  const identity = { certPem: store.get('httpbin').certPem, keyPem: store.keyPem('httpbin') };
  gateway = await servers.startHttpsServer({ name: 'gateway', identity });
  mutual = await servers.startHttpsServer({ name: 'mutual', identity, clientCa: store.get('example-ca').certPem });
});
after(async () => {
  await Promise.all([gateway.close(), mutual.close()]);
  await store.dispose();
});

/** Runs `casebook probe …` through a commander program, as A's main.ts will. */
async function casebook(...args: string[]): Promise<{ lines: string[]; exitCode: number | undefined }> {
  const lines: string[] = [];
  let exitCode: number | undefined;
  const program = new Command('casebook')
    .exitOverride()
    .configureOutput({ writeErr: (s) => lines.push(s), writeOut: (s) => lines.push(s) });
  registerProbeCommand(program, {
    out: (l) => lines.push(l),
    setExitCode: (c) => {
      exitCode = c;
    },
  });
  await program.parseAsync(['probe', ...args], { from: 'user' });
  return { lines, exitCode };
}

const ca = () => store.get('example-ca').certPath;
const url = (port: number) => `https://httpbin.example.com:${port}/status/418`;
const resolve = (port: number) => `httpbin.example.com:${port}:127.0.0.1`;

test('a response: status and certificate summary, exit 0', async () => {
  const r = await casebook(url(gateway.port), '--resolve', resolve(gateway.port), '-H', 'Host: httpbin.example.com', '--cacert', ca());
  assert.equal(r.exitCode, 0);
  assert.deepEqual(r.lines.slice(0, 4), [
    `GET ${url(gateway.port)} (connected to 127.0.0.1:${gateway.port})`,
    'tls: TLSv1.3',
    'certificate: CN=httpbin.example.com, O=httpbin organization',
    '  issuer: O=example Inc., CN=example.com',
  ]);
  assert.ok(r.lines.includes('status: 418'), r.lines.join('\n'));
});

test('mutual TLS without a client certificate: classified failure, exit 1; with one: 418', async () => {
  const without = await casebook(url(mutual.port), '--resolve', resolve(mutual.port), '--cacert', ca());
  assert.equal(without.exitCode, 1);
  assert.match(
    without.lines.at(-1) ?? '',
    /^error: certificate-required \(ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED\): the server requires a client certificate/,
  );
  const withCert = await casebook(
    url(mutual.port),
    '--resolve',
    resolve(mutual.port),
    '--cacert',
    ca(),
    '--cert',
    store.get('client').certPath,
    '--key',
    store.get('client').keyPath,
  );
  assert.equal(withCert.exitCode, 0);
  assert.ok(withCert.lines.includes('status: 418'));
});

test('--json prints the observation', async () => {
  const r = await casebook(url(gateway.port), '--resolve', resolve(gateway.port), '--json');
  assert.equal(r.exitCode, 1);
  const o = JSON.parse(r.lines.join('\n'));
  assert.equal(o.kind, 'ingress');
  assert.deepEqual(o.error.kind, 'unknown-ca');
  assert.equal(o.certificate.subject, 'CN=httpbin.example.com, O=httpbin organization');
  assert.equal(o.handshake, undefined);
});

test('a --resolve entry for another host:port is not used and says so', async () => {
  const r = await casebook(url(gateway.port), '--resolve', `httpbin.example.com:1:127.0.0.1`, '-m', '2');
  assert.match(r.lines[0] ?? '', /does not match httpbin\.example\.com:\d+, so it is not used/);
  assert.equal(r.exitCode, 1);
});

test('usage errors throw UsageError (exit 2 at the CLI boundary)', async () => {
  const usage = (e: unknown) => e instanceof UsageError;
  await assert.rejects(casebook('not a url'), usage);
  await assert.rejects(casebook('ftp://x/'), usage);
  await assert.rejects(casebook(url(gateway.port), '--resolve', 'nonsense'), usage);
  await assert.rejects(casebook(url(gateway.port), '--cert', store.get('client').certPath), /--cert and --key go together/);
  await assert.rejects(
    casebook(url(gateway.port), '--cacert', '/nonexistent/ca.crt'),
    /cannot read --cacert \/nonexistent\/ca.crt: ENOENT/,
  );
  await assert.rejects(casebook(url(gateway.port), '-H', 'no colon'), usage);
  await assert.rejects(casebook(url(gateway.port), '-m', 'soon'), usage);
  await assert.rejects(casebook(), (e: Error & { code?: string }) => e.code === 'commander.missingArgument');
});
