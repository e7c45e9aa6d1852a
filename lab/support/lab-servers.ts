/**
 * Real servers for the lab, started in toolbox containers: nginx (HTTP 200/404/503, TLS, mutual
 * TLS), `openssl s_server` requiring a client certificate in TLS 1.3 (like Envoy: the refusal is
 * a TLS alert, where nginx answers HTTP 400), MariaDB (a real MySQL greeting), a port that
 * accepts and closes at once (a sidecar's wildcard listener whose cluster has no endpoint), a
 * port that accepts and never writes (a server-first protocol stalled by protocol sniffing), and
 * a host that drops our SYNs (connect timeout).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertStore, type CertStore } from '../../harness/certs/cert-store.ts';
import type { Lab } from './lab-docker.ts';

export const SITE_HOST = 'site.lab.test';
export const CA_SUBJECT = 'O=casebook lab,CN=lab root CA';
export const PORTS = {
  http: 80,
  https: 443,
  mutualNginx: 8443,
  mutualAlert: 9443,
  mysql: 3306,
  closer: 3307,
  nothing: 3308,
  mute: 3309,
} as const;

/** A lab CA, an unrelated CA, a server certificate for site.lab.test and a client certificate. */
export async function labCertificates(): Promise<CertStore> {
  const store = await createCertStore();
  await store.ca('lab-ca', { subject: CA_SUBJECT });
  await store.ca('other-ca', { subject: 'O=elsewhere,CN=other root CA' });
  await store.server('site', { ca: 'lab-ca', commonName: SITE_HOST, dnsNames: [SITE_HOST], organization: 'site org' });
  await store.client('client', { ca: 'lab-ca', commonName: 'lab client' });
  return store;
}

/** Copies certificates (and, for the named ones, keys) to /certs/<name>.crt|.key in a container. */
export async function installCerts(lab: Lab, role: string, store: CertStore, names: string[], withKeys: string[] = []): Promise<void> {
  await lab.sh(role, 'mkdir -p /certs && chmod 755 /certs');
  for (const n of names) await lab.copyIn(role, store.get(n).certPath, `/certs/${n}.crt`);
  for (const n of withKeys) await lab.copyIn(role, store.get(n).keyPath, `/certs/${n}.key`);
}

const NGINX_CONF = `
worker_processes 1;
error_log stderr;
pid /run/nginx-lab.pid;
events { worker_connections 64; }
http {
  access_log off;
  ssl_protocols TLSv1.2 TLSv1.3;
  server {
    listen ${PORTS.http};
    location = /ok { default_type text/plain; add_header X-Lab lab-ok; return 200 "hello from nginx\\n"; }
    location = /unavailable { default_type text/plain; return 503 "upstream connect error or disconnect/reset before headers. reset reason: connection termination"; }
    location = /version { default_type text/plain; return 200 "version $arg_v\\n"; }
    location / { default_type text/plain; return 404 "404 page not found\\n"; }
  }
  server {
    listen ${PORTS.https} ssl;
    ssl_certificate /certs/site.crt;
    ssl_certificate_key /certs/site.key;
    location / { default_type text/plain; return 200 "hello over tls\\n"; }
  }
  server {
    listen ${PORTS.mutualNginx} ssl;
    ssl_certificate /certs/site.crt;
    ssl_certificate_key /certs/site.key;
    ssl_client_certificate /certs/lab-ca.crt;
    ssl_verify_client on;
    location / { default_type text/plain; return 200 "hello $ssl_client_s_dn\\n"; }
  }
}
`;

export async function startNginx(lab: Lab, role: string, store: CertStore): Promise<void> {
  await installCerts(lab, role, store, ['site', 'lab-ca'], ['site']);
  const dir = await mkdtemp(join(tmpdir(), 'casebook-lab-nginx-'));
  try {
    await writeFile(join(dir, 'lab.conf'), NGINX_CONF);
    await lab.copyIn(role, join(dir, 'lab.conf'), '/etc/nginx/lab.conf');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  await lab.daemon(role, "exec nginx -c /etc/nginx/lab.conf -g 'daemon off;' >/tmp/nginx.log 2>&1");
  for (const p of [PORTS.http, PORTS.https, PORTS.mutualNginx]) await lab.waitForPort(role, p);
}

/** TLS 1.3 server that requires a client certificate from lab-ca (`-Verify 1`), like Envoy with require_client_certificate. */
export async function startMutualTlsServer(lab: Lab, role: string, store: CertStore): Promise<void> {
  await installCerts(lab, role, store, ['site', 'lab-ca'], ['site']);
  await lab.daemon(
    role,
    `exec openssl s_server -accept ${PORTS.mutualAlert} -cert /certs/site.crt -key /certs/site.key -CAfile /certs/lab-ca.crt -Verify 1 -tls1_3 -www -quiet >/tmp/s_server.log 2>&1`,
  );
  await lab.waitForPort(role, PORTS.mutualAlert);
}

/** MariaDB from Debian; grant tables skipped so any client host gets the greeting, not an error packet. */
export async function startMariadb(lab: Lab, role: string): Promise<{ expectedServerVersion: string }> {
  await lab.sh(role, 'mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld');
  await lab.daemon(
    role,
    'exec mariadbd --user=mysql --bind-address=0.0.0.0 --port=3306 --skip-grant-tables --skip-name-resolve >/tmp/mariadb.log 2>&1',
  );
  await lab.waitForPort(role, PORTS.mysql, 60_000);
  // The greeting's version, from an independent source: the package version (1:10.11.x-0+deb12uN).
  const pkg = (await lab.sh(role, "dpkg-query -W -f='${Version}' mariadb-server")).trim();
  const m = /^(?:\d+:)?([\d.]+)-(.+)$/.exec(pkg);
  if (!m) throw new Error(`unexpected mariadb-server package version ${pkg}`);
  // MariaDB 10.x prefixes its version with "5.5.5-" for old MySQL clients.
  return { expectedServerVersion: `5.5.5-${m[1]}-MariaDB-${m[2]}` };
}

/** Accepts each connection and closes it at once, without a byte. */
export async function startCloser(lab: Lab, role: string): Promise<void> {
  const py = [
    'import socket',
    's = socket.socket()',
    's.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)',
    `s.bind(("0.0.0.0", ${PORTS.closer}))`,
    's.listen(64)',
    'while True:',
    '    c, _ = s.accept()',
    '    c.close()',
  ].join('\n');
  await lab.daemon(role, `exec python3 -c '${py}' >/tmp/closer.log 2>&1`);
  await lab.waitForPort(role, PORTS.closer);
}

/**
 * Accepts each connection, keeps it open and never writes: what a client sees when a proxy in
 * front of a server-first protocol waits for the client to speak first (a sidecar sniffing the
 * protocol, or an inbound TLS inspector). The sockets are kept in a list so none is closed by
 * garbage collection before the client's deadline.
 */
export async function startMute(lab: Lab, role: string): Promise<void> {
  const py = [
    'import socket',
    's = socket.socket()',
    's.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)',
    `s.bind(("0.0.0.0", ${PORTS.mute}))`,
    's.listen(64)',
    'held = []',
    'while True:',
    '    c, _ = s.accept()',
    '    held.append(c)',
  ].join('\n');
  await lab.daemon(role, `exec python3 -c '${py}' >/tmp/mute.log 2>&1`);
  await lab.waitForPort(role, PORTS.mute);
}

/**
 * A host that never answers the client: its replies to the client are routed into a blackhole,
 * so the client's SYN gets no SYN-ACK and connect() times out (no ICMP, no RST).
 */
export async function startBlackhole(lab: Lab, role: string, clientIp: string): Promise<void> {
  await lab.sh(role, `ip route add blackhole ${clientIp}/32`);
}
