/**
 * The ingress client and `casebook probe` against real TLS servers we did not write: Debian's nginx
 * (SIMPLE and MUTUAL, like the gateway in the Istio secure-ingress tasks) and `openssl s_server`,
 * which, like Envoy, refuses a missing client certificate inside the TLS 1.3 handshake. nginx
 * instead completes the handshake and answers 400 (see classifyResponse).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { execa } from 'execa';
import { createCertStore, EXAMPLE_CA_SUBJECT, type CertStore } from '../harness/certs/cert-store.ts';
import { ingressRequest } from '../harness/probes/ingress/ingress-request.ts';
import { registerProbeCommand } from '../harness/cli/commands/probe.ts';
import { createLab, labSkip, type Lab } from './support/lab-docker.ts';

const skip = await labSkip();
const BIN = new URL('../bin/casebook.mjs', import.meta.url).pathname;

const NGINX_SITE = `
server {
  listen 443 ssl;
  server_name nginx.example.com;
  ssl_certificate /certs/nginx.crt;
  ssl_certificate_key /certs/nginx.key;
  ssl_client_certificate /certs/example-ca.crt;
  ssl_verify_client on;
  location /status/418 { return 418; }
  location / { return 200 "Welcome to nginx over mutual TLS\\n"; }
}
server {
  listen 8443 ssl;
  server_name nginx.example.com;
  ssl_certificate /certs/nginx-chain.crt;
  ssl_certificate_key /certs/nginx.key;
  location / { return 200 "Welcome to nginx!\\n"; }
}
`;

let store: CertStore;
let confDir: string | undefined;
let lab: Lab | undefined;
const port: Record<'mutual' | 'simple' | 'sserver', number> = { mutual: 0, simple: 0, sserver: 0 };

before(async () => {
  if (skip) return;
  store = await createCertStore();
  await store.ca('example-ca', { subject: EXAMPLE_CA_SUBJECT });
  await store.ca('stranger-ca', { subject: 'O=stranger Inc.,CN=stranger.example' });
  const nginx = await store.server('nginx', {
    ca: 'example-ca',
    commonName: 'nginx.example.com',
    organization: 'nginx organization',
    dnsNames: ['nginx.example.com'],
  });
  await store.client('client', { ca: 'example-ca', commonName: 'client.example.com' });
  await store.client('stranger', { ca: 'stranger-ca', commonName: 'client.example.com' });
  confDir = await mkdtemp(join(tmpdir(), 'casebook-lab-nginx-'));
  await writeFile(join(confDir, 'default'), NGINX_SITE);
  await writeFile(join(confDir, 'nginx-chain.crt'), nginx.chainPem);

  lab = await createLab('nginx-mtls');
  await lab.start('nginx', { ports: [443, 8443, 9443] });
  await lab.copyIn('nginx', `${store.dir}/.`, '/certs');
  await lab.copyIn('nginx', join(confDir, 'nginx-chain.crt'), '/certs/nginx-chain.crt');
  await lab.copyIn('nginx', join(confDir, 'default'), '/etc/nginx/sites-enabled/default');
  const started = await lab.exec('nginx', ['nginx']);
  assert.equal(started.exitCode, 0, `nginx did not start: ${started.stderr}`);
  // -Verify 1 demands a client certificate and -verify_return_error rejects an untrusted one,
  // both inside the handshake, as Envoy does for a MUTUAL gateway server.
  await lab.daemon(
    'nginx',
    'exec openssl s_server -quiet -accept 9443 -tls1_3 -www -cert /certs/nginx.crt ' +
      '-key /certs/nginx.key -CAfile /certs/example-ca.crt -Verify 1 -verify_return_error',
  );
  port.mutual = await lab.hostPort('nginx', 443);
  port.simple = await lab.hostPort('nginx', 8443);
  port.sserver = await lab.hostPort('nginx', 9443);
  await lab.waitForPort('nginx', 9443, 15_000);
});

after(async () => {
  await lab?.dispose();
  if (lab) assert.deepEqual(await lab.leftovers(), { containers: 0, networks: 0 });
  if (confDir) await rm(confDir, { recursive: true, force: true });
  await store?.dispose();
});

const ca = () => store.get('example-ca').certPem;
const client = (name: string) => ({ cert: store.get(name).certPem, key: store.keyPem(name) });
const at = (p: number) => ({ host: '127.0.0.1', port: p });

test('nginx SIMPLE TLS: 200, the served chain and TLS 1.3', { skip }, async () => {
  const o = await ingressRequest({ url: 'https://nginx.example.com/', connectTo: at(port.simple), ca: ca() });
  assert.equal(o.error, undefined);
  assert.equal(o.status, 200);
  assert.equal(o.body, 'Welcome to nginx!\n');
  assert.equal(o.tlsVersion, 'TLSv1.3');
  assert.match(o.headers?.['server'] ?? '', /^nginx/);
  assert.deepEqual(
    o.chain?.map((c) => c.subject),
    ['CN=nginx.example.com, O=nginx organization', 'O=example Inc., CN=example.com'],
  );
});

test('nginx SIMPLE TLS checked with a CA nginx does not chain to: unknown-ca', { skip }, async () => {
  const o = await ingressRequest({ url: 'https://nginx.example.com/', connectTo: at(port.simple), ca: store.get('stranger-ca').certPem });
  assert.deepEqual([o.error?.kind, o.error?.code], ['unknown-ca', 'SELF_SIGNED_CERT_IN_CHAIN']);
});

test(
  'nginx MUTUAL: no client certificate -> certificate-required (nginx 400), untrusted -> rejected, signed -> 418',
  { skip },
  async () => {
    const url = 'https://nginx.example.com/status/418';
    const none = await ingressRequest({ url, connectTo: at(port.mutual), ca: ca() });
    assert.equal(none.status, 400);
    assert.deepEqual([none.error?.kind, none.error?.code], ['certificate-required', 'HTTP_400']);
    const stranger = await ingressRequest({ url, connectTo: at(port.mutual), ca: ca(), ...client('stranger') });
    assert.equal(stranger.status, 400);
    assert.deepEqual([stranger.error?.kind, stranger.error?.code], ['other', 'HTTP_400']);
    assert.match(stranger.error?.message ?? '', /The SSL certificate error/);
    const good = await ingressRequest({ url, connectTo: at(port.mutual), ca: ca(), ...client('client') });
    assert.equal(good.error, undefined);
    assert.equal(good.status, 418);
  },
);

test('openssl s_server MUTUAL on TLS 1.3: the alert arrives after the handshake; undici sees a closed socket', { skip }, async () => {
  const url = 'https://nginx.example.com/';
  const none = await ingressRequest({ url, connectTo: at(port.sserver), ca: ca() });
  assert.deepEqual([none.error?.kind, none.error?.code], ['certificate-required', 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED']);
  const stranger = await ingressRequest({ url, connectTo: at(port.sserver), ca: ca(), ...client('stranger') });
  assert.deepEqual([stranger.error?.kind, stranger.error?.code], ['handshake-alert', 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA']);
  const good = await ingressRequest({ url, connectTo: at(port.sserver), ca: ca(), ...client('client') });
  assert.equal(good.error, undefined);
  assert.equal(good.status, 200);
  assert.match(good.body ?? '', /s_server|Ciphers supported/);
});

const shellQuote = (args: string[]) => args.map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(' ');

async function probeInProcess(...args: string[]) {
  const lines: string[] = [];
  let exitCode: number | undefined;
  const program = new Command('casebook').exitOverride();
  registerProbeCommand(program, {
    out: (l) => lines.push(l),
    setExitCode: (c) => {
      exitCode = c;
    },
  });
  await program.parseAsync(['probe', ...args], { from: 'user' });
  return { exitCode, output: lines.join('\n') };
}

const mtlsArgs = () => [
  `https://nginx.example.com:${port.mutual}/status/418`,
  '--resolve',
  `nginx.example.com:${port.mutual}:127.0.0.1`,
  '-H',
  'Host: nginx.example.com',
  '--cacert',
  store.get('example-ca').certPath,
];
const withClient = () => ['--cert', store.get('client').certPath, '--key', store.get('client').keyPath];

test('casebook probe against nginx MUTUAL (in-process command, as main.ts registers it)', { skip }, async () => {
  const without = await probeInProcess(...mtlsArgs());
  console.log(`$ casebook probe ${shellQuote(mtlsArgs())}\n${without.output}\n(exit ${without.exitCode})`);
  assert.equal(without.exitCode, 1);
  assert.match(without.output, /^error: certificate-required \(HTTP_400\): the server requires a client certificate/m);
  const withCert = await probeInProcess(...mtlsArgs(), ...withClient());
  console.log(`$ casebook probe ${shellQuote([...mtlsArgs(), ...withClient()])}\n${withCert.output}\n(exit ${withCert.exitCode})`);
  assert.equal(withCert.exitCode, 0);
  assert.match(withCert.output, /^status: 418$/m);
  assert.match(withCert.output, /^certificate: CN=nginx\.example\.com, O=nginx organization$/m);
});

test('casebook probe as a process (bin/casebook.mjs): exit codes 1 and 0', { skip }, async () => {
  const without = await execa(process.execPath, [BIN, 'probe', ...mtlsArgs()], { reject: false });
  assert.equal(without.exitCode, 1, without.stdout + without.stderr);
  assert.match(without.stdout, /error: certificate-required/);
  const withCert = await execa(process.execPath, [BIN, 'probe', ...mtlsArgs(), ...withClient()], { reject: false });
  assert.equal(withCert.exitCode, 0, withCert.stdout + withCert.stderr);
  assert.match(withCert.stdout, /status: 418/);
  const usage = await execa(process.execPath, [BIN, 'probe', 'not-a-url'], { reject: false });
  assert.equal(usage.exitCode, 2, usage.stdout + usage.stderr);
});
