/**
 * Captures what the real programs print for each probe script (curl, nc, curl telnet://, telnet,
 * openssl s_client in the toolbox image, against the lab's real servers) into
 * harness/probes/fixtures/, so the parsers' unit tests run on real output without Docker.
 *
 *   node lab/support/capture-probe-fixtures.ts
 *
 * Only clients' output is saved: certificates and public keys, never a private key (checked).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { containsSecret } from '../../harness/evidence/redact.ts';
import type { HttpProbeSpec, TcpProbeSpec, TlsProbeSpec } from '../../harness/model/probe-spec.ts';
import { curlScript } from '../../harness/probes/curl-command.ts';
import { sClientScript } from '../../harness/probes/s-client-command.ts';
import { tcpScript, type TcpTool } from '../../harness/probes/tcp-command.ts';
import { createLab } from './lab-docker.ts';
import {
  installCerts,
  labCertificates,
  PORTS,
  SITE_HOST,
  startBlackhole,
  startCloser,
  startMariadb,
  startMutualTlsServer,
  startNginx,
} from './lab-servers.ts';

const OUT = fileURLToPath(new URL('../../harness/probes/fixtures/', import.meta.url));

const lab = await createLab('capture');
const store = await labCertificates();
try {
  const client = await lab.start('client');
  const web = (await lab.start('web')).ip;
  const hole = (await lab.start('hole', { capAdd: ['NET_ADMIN'] })).ip;
  await installCerts(lab, 'client', store, ['lab-ca', 'other-ca']);
  await startNginx(lab, 'web', store);
  await startMutualTlsServer(lab, 'web', store);
  const { expectedServerVersion } = await startMariadb(lab, 'web');
  await startCloser(lab, 'web');
  await startBlackhole(lab, 'hole', client.ip);
  const context = {
    web,
    hole,
    expectedServerVersion,
    curlVersion: (await lab.sh('client', 'curl --version | head -1')).trim(),
    opensslVersion: (await lab.sh('client', 'openssl version')).trim(),
  };

  const t = lab.transport();
  await mkdir(OUT, { recursive: true });
  const save = async (name: string, spec: unknown, script: string) => {
    const r = await t.exec({ workload: 'client' }, ['sh', '-c', script], { timeoutMs: 60_000 });
    const fixture = { capturedAt: new Date().toISOString(), context, spec, exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr };
    const text = `${JSON.stringify(fixture, null, 2)}\n`;
    if (containsSecret(text)) throw new Error(`${name}: the output holds something secret-looking; not saved`);
    await writeFile(join(OUT, `${name}.json`), text);
    console.error(`captured ${name} (exit ${r.exitCode}, ${r.stdout.length} chars)`);
  };
  const http = (spec: Omit<HttpProbeSpec, 'kind' | 'from'>): HttpProbeSpec => ({ kind: 'http', from: 'client', ...spec });
  const resolve = [`${SITE_HOST}:443:${web}`, `other.lab.test:443:${web}`];
  for (const [name, spec] of [
    ['curl-http-200', http({ url: `http://${web}/ok` })],
    ['curl-http-503-repeat', http({ url: `http://${web}/unavailable`, repeat: 3, concurrency: 2 })],
    ['curl-https-verified', http({ url: `https://${SITE_HOST}/`, resolve, cacert: '/certs/lab-ca.crt' })],
    ['curl-https-wrong-ca', http({ url: `https://${SITE_HOST}/`, resolve, cacert: '/certs/other-ca.crt' })],
    ['curl-https-name-mismatch', http({ url: 'https://other.lab.test/', resolve, cacert: '/certs/lab-ca.crt' })],
    ['curl-refused', http({ url: `http://${web}:${PORTS.nothing}/` })],
    ['curl-timeout', http({ url: `http://${hole}/`, timeoutMs: 1000 })],
  ] as const)
    await save(name, spec, curlScript(spec));

  const tcp = (host: string, port: number): TcpProbeSpec => ({ kind: 'tcp', from: 'client', host, port, readTimeoutMs: 1000 });
  for (const [name, spec, tool] of [
    ['tcp-nc-mysql', tcp(web, PORTS.mysql), 'nc'],
    ['tcp-nc-closed', tcp(web, PORTS.closer), 'nc'],
    ['tcp-nc-refused', tcp(web, PORTS.nothing), 'nc'],
    ['tcp-nc-timeout', tcp(hole, PORTS.mysql), 'nc'],
    ['tcp-curl-mysql', tcp(web, PORTS.mysql), 'curl'],
    ['tcp-curl-closed', tcp(web, PORTS.closer), 'curl'],
    ['tcp-telnet-mysql', tcp(web, PORTS.mysql), 'telnet'],
    ['tcp-telnet-closed', tcp(web, PORTS.closer), 'telnet'],
    ['tcp-telnet-refused', tcp(web, PORTS.nothing), 'telnet'],
  ] as const)
    await save(name, { ...spec, tool }, tcpScript(spec, tool as TcpTool));

  const tls = (port: number, extra: Partial<TlsProbeSpec> = {}): TlsProbeSpec => ({
    kind: 'tls',
    from: 'client',
    host: web,
    port,
    ...extra,
  });
  for (const [name, spec] of [
    ['s-client-verified', tls(PORTS.https, { servername: SITE_HOST, cacert: '/certs/lab-ca.crt' })],
    ['s-client-wrong-ca', tls(PORTS.https, { servername: SITE_HOST, cacert: '/certs/other-ca.crt' })],
    ['s-client-name-mismatch', tls(PORTS.https, { servername: 'other.lab.test', cacert: '/certs/lab-ca.crt' })],
    ['s-client-certificate-required', tls(PORTS.mutualAlert, { servername: SITE_HOST, cacert: '/certs/lab-ca.crt' })],
    ['s-client-plaintext', tls(PORTS.http)],
    ['s-client-refused', tls(PORTS.nothing)],
  ] as const)
    await save(name, spec, sClientScript(spec));
} finally {
  await lab.dispose();
  await store.dispose();
}
