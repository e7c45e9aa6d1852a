/**
 * External services on a real Docker engine with the lab's Debian image: an HTTPS site that
 * serves its own certificate and body, a MySQL (MariaDB) that greets by IP, two sites side by
 * side, and nothing left behind afterwards, even when a test throws half-way or a service
 * comes up broken.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { StartedTestContainer } from 'testcontainers';
import { createCertStore, type CertStore } from '../harness/certs/cert-store.ts';
import { createDockerTransport } from '../harness/external/docker-transport.ts';
import { HttpsSiteContainer } from '../harness/external/https-site-container.ts';
import { startExternalServices, type ExternalServices } from '../harness/external/start-external-services.ts';
import { labelsFor, labLabelsFor } from '../harness/external/labels.ts';
import { caPathInClient, ProbeClientContainer } from '../harness/external/probe-client-container.ts';
import { dockerRuntime } from '../harness/external/docker-runtime.ts';
import { ensureImages } from '../harness/external/ensure-images.ts';
import { InfrastructureError, PrerequisiteError } from '../harness/model/errors.ts';
import type { HttpProbeSpec, TcpProbeSpec } from '../harness/model/probe-spec.ts';
import { observeHttp } from '../harness/probes/http-probe.ts';
import { observeTcp } from '../harness/probes/tcp-probe.ts';
import { TOOLBOX_IMAGE } from './images/ensure-toolbox.ts';
import { countResources, createLab, inspectIp, labSkip, ownCounts, type Lab, type ResourceCounts } from './support/lab-docker.ts';

const skip = await labSkip();
/** The lab's network stands in for `kind`; the services and the client run on it with the lab's run id. */
let lab: Lab;
let runId: string;
let network: { name: string };
let certs: CertStore;
let before0: ResourceCounts;

before(async () => {
  if (skip) return;
  before0 = await countResources();
  lab = await createLab('ext');
  runId = lab.runId;
  network = { name: lab.network! };
  certs = await createCertStore();
});

after(async () => {
  await lab?.dispose();
  await certs?.dispose();
});

/** Starts the services, gives the test a client container on the same network, stops everything whatever happens. */
async function withServices(
  refs: Parameters<typeof startExternalServices>[0],
  body: (
    s: ExternalServices,
    client: {
      http(spec: Omit<HttpProbeSpec, 'kind' | 'from'>): ReturnType<typeof observeHttp>;
      tcp(spec: Omit<TcpProbeSpec, 'kind' | 'from'>): ReturnType<typeof observeTcp>;
    },
  ) => Promise<void>,
): Promise<void> {
  const services = await startExternalServices(refs, { network: network.name, certs, runId, offlineImages: true });
  let clientContainer: StartedTestContainer | undefined;
  try {
    clientContainer = await new ProbeClientContainer(TOOLBOX_IMAGE)
      .withNetwork(network.name)
      .withName(`casebook-${runId}-lab-client`)
      .withLabels(labLabelsFor(runId, 'probe-client'))
      .withCa('external-ca', certs.get('external-ca').certPem)
      .start();
    const ctx = {
      transport: createDockerTransport({ containers: { client: clientContainer.getName().replace(/^\//, '') } }),
      namespaceOf: () => '',
    };
    await body(services, {
      http: (spec) => observeHttp({ kind: 'http', from: 'client', ...spec }, ctx),
      tcp: (spec) => observeTcp({ kind: 'tcp', from: 'client', ...spec }, ctx),
    });
  } finally {
    await clientContainer?.stop();
    await services.stop();
  }
}

async function assertNothingOfRunLeft(): Promise<void> {
  assert.deepEqual(await lab.containersLeft(), [], 'no container of this run is left');
}

const CA = caPathInClient('external-ca');

test('the https site serves its own certificate and body to a client container by IP with --resolve', { skip }, async () => {
  await withServices([{ name: 'site-a', kind: 'https-site', hostname: 'site-a.test', body: 'hello from site A\n' }], async (s, client) => {
    const site = s.services[0]!;
    // The IP is the one Docker reports on THIS network, and the container is on no other.
    assert.deepEqual(await inspectIp(site.containerName, network.name), { ip: s.ipOf('site-a'), networks: [network.name] });
    assert.equal(s.reachability[0]?.ok, true, s.reachability[0]?.message);
    assert.equal(s.cleanup.mode, 'own', 'the Ryuk image is not available offline: our own cleanup by label');

    const ok = await client.http({ url: 'https://site-a.test/any/path', resolve: [`site-a.test:443:${s.ipOf('site-a')}`], cacert: CA });
    const r = ok.responses[0]!;
    assert.deepEqual([r.curlExit, r.status, r.body], [0, 200, 'hello from site A\n']);
    assert.equal(r.certificate?.subject, 'CN=site-a.test');
    assert.match(r.certificate?.issuer ?? '', /CN=casebook external sites CA/);
    assert.deepEqual(r.certificate?.sans, ['site-a.test']);
    assert.equal(r.remoteIp, s.ipOf('site-a'));

    // Another name at the same address: curl refuses the certificate (what a hijacked client sees).
    const wrongName = await client.http({ url: 'https://site-b.test/', resolve: [`site-b.test:443:${s.ipOf('site-a')}`], cacert: CA });
    assert.equal(wrongName.responses[0]?.curlExit, 60, wrongName.responses[0]?.curlError);

    // The private key went in with mode 0600 and never into the body or logs.
    const mode = await execa('docker', ['exec', site.containerName, 'stat', '-c', '%a %U', '/etc/casebook/tls/tls.key']);
    assert.equal(mode.stdout.trim(), '600 root');
    const logs = await execa('docker', ['logs', site.containerName], { all: true });
    assert.doesNotMatch(logs.all ?? '', /PRIVATE KEY/);
  });
  await assertNothingOfRunLeft();
});

test('the external MySQL greets a client by IP', { skip }, async () => {
  await withServices([{ name: 'mysql', kind: 'mysql' }], async (s, client) => {
    const ip = s.ipOf('mysql');
    assert.equal((await inspectIp(s.services[0]!.containerName, network.name)).ip, ip);
    const o = await client.tcp({ host: ip, port: 3306, readTimeoutMs: 2000 });
    assert.equal(o.outcome, 'connected');
    assert.equal(o.greeting?.protocolVersion, 10);
    assert.match(o.greeting?.serverVersion ?? '', /MariaDB/);
    assert.ok(o.bytesReceived > 50, `a full handshake packet, got ${o.bytesReceived} bytes`);
  });
  await assertNothingOfRunLeft();
});

test('two sites with different names on the same network each serve their own certificate and body', { skip }, async () => {
  await withServices(
    [
      { name: 'site-a', kind: 'https-site', hostname: 'site-a.test', body: 'site A\n' },
      { name: 'site-b', kind: 'https-site', hostname: 'site-b.test', body: 'site B\n' },
    ],
    async (s, client) => {
      const a = s.ipOf('site-a');
      const b = s.ipOf('site-b');
      assert.notEqual(a, b);
      assert.deepEqual(
        s.reachability.map((r) => [r.name, r.ok]),
        [
          ['site-a', true],
          ['site-b', true],
        ],
      );
      for (const [host, ip, body] of [
        ['site-a.test', a, 'site A\n'],
        ['site-b.test', b, 'site B\n'],
      ] as const) {
        const r = (await client.http({ url: `https://${host}/`, resolve: [`${host}:443:${ip}`], cacert: CA })).responses[0]!;
        assert.deepEqual([r.curlExit, r.status, r.body, r.certificate?.subject], [0, 200, body, `CN=${host}`]);
      }
      // Same CA for both: site B's name at site A's address fails on the name, not the issuer.
      const crossed = (await client.http({ url: 'https://site-b.test/', resolve: [`site-b.test:443:${a}`], cacert: CA })).responses[0]!;
      assert.equal(crossed.curlExit, 60);
      assert.equal(crossed.certificate?.subject, 'CN=site-a.test');
    },
  );
  await assertNothingOfRunLeft();
});

test('a test that throws half-way still leaves nothing behind', { skip }, async () => {
  await assert.rejects(
    withServices(
      [
        { name: 'db', kind: 'mysql' },
        { name: 'site-c', kind: 'https-site', hostname: 'site-c.test', body: 'C' },
      ],
      async (s) => {
        assert.equal(s.services.length, 2);
        throw new Error('boom in the middle of a phase');
      },
    ),
    /boom in the middle of a phase/,
  );
  await assertNothingOfRunLeft();
});

test('a site that comes up broken is an infrastructure error before any phase, and is removed', { skip }, async () => {
  // A certificate for another name under the site's certificate name: nginx starts, but serves the wrong name.
  await certs.server('external-site-d', { ca: 'external-ca', commonName: 'elsewhere.test', dnsNames: ['elsewhere.test'] });
  await assert.rejects(
    startExternalServices([{ name: 'site-d', kind: 'https-site', hostname: 'site-d.test', body: 'D' }], {
      network: network.name,
      certs,
      runId,
      offlineImages: true,
    }),
    (err: unknown) => {
      assert.ok(err instanceof InfrastructureError, String(err));
      assert.match(err.message, /external service\(s\) did not answer a client on network casebook-lab-ext-/);
      assert.match(err.message, /https site site-d \(site-d\.test at [\d.]+:443\)/);
      assert.match(err.message, /curlExit\(0\): expected curl exit 0, got curl exit 60/);
      return true;
    },
  );
  await assertNothingOfRunLeft();
});

test("a site whose nginx cannot start fails with nginx's own words, and leaves nothing behind", { skip }, async () => {
  const broken = join(certs.dir, 'not-a-certificate.crt');
  await writeFile(broken, 'this is not PEM\n');
  const good = await certs.server('external-site-e', { ca: 'external-ca', commonName: 'site-e.test', dnsNames: ['site-e.test'] });
  await assert.rejects(
    new HttpsSiteContainer(TOOLBOX_IMAGE)
      .withNetwork(network.name)
      .withName(`casebook-${runId}-ext-site-e`)
      .withLabels(labelsFor(runId, 'external-https-site'))
      .withHostname('site-e.test')
      .withBody('E')
      .withCertificate({ ...good, certPath: broken })
      .withStartupTimeout(5_000)
      .start(),
    (err: unknown) => {
      assert.ok(err instanceof InfrastructureError, String(err));
      assert.match(err.message, /^https site site-e\.test \(image casebook-lab\/toolbox:bookworm-1\) did not start: /);
      assert.match(err.message, /container output:\n.*\[emerg\] .*cannot load certificate "\/etc\/casebook\/tls\/tls\.crt"/s);
      return true;
    },
  );
  await assertNothingOfRunLeft();
});

test('a missing network and a missing image fail with what to do, before any container starts', { skip }, async () => {
  await assert.rejects(
    startExternalServices([{ name: 'db', kind: 'mysql' }], { network: 'kind-that-does-not-exist', certs, runId, offlineImages: true }),
    (err: unknown) => err instanceof PrerequisiteError && /Docker network "kind-that-does-not-exist" does not exist/.test(err.message),
  );
  // The real engine's answers: not present locally; and a pull that cannot succeed (no such repository, or no registry).
  const client = await dockerRuntime();
  const image = `casebook-lab/does-not-exist:${runId}`;
  await assert.rejects(
    ensureImages(client, [image], { offline: true }),
    (err: unknown) =>
      err instanceof PrerequisiteError && err.message.includes(`image ${image} is not present locally (offline images are never pulled)`),
  );
  await assert.rejects(
    ensureImages(client, [image], { offline: false }),
    (err: unknown) =>
      err instanceof PrerequisiteError &&
      err.message.includes(`image ${image} is not present locally and the pull failed: `) &&
      (err.hint ?? '').includes(`docker pull ${image}`),
  );
  await assertNothingOfRunLeft();
});

test('container and network counts are the same as before the tests', { skip }, async (t) => {
  await lab.dispose();
  assert.deepEqual(await lab.leftovers(), { containers: 0, networks: 0 });
  const now = await countResources();
  assert.deepEqual(ownCounts(now), ownCounts(before0));
  // Whole-engine totals, for the record (other processes share this engine).
  t.diagnostic(`counts before ${JSON.stringify(before0)}; after ${JSON.stringify(now)}`);
});
