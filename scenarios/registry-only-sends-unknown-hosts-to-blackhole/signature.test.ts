/**
 * The phase checks against the observations each policy produces: a handshake cut by
 * BlackHoleCluster (curl 35, access-log line with BlackHoleCluster and UH) under REGISTRY_ONLY,
 * the partner's page through its own cluster or PassthroughCluster otherwise. Each phase must
 * reject the others' observations.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signature, type AccessLogEntry, type EnvoyObservation, type HttpObservation } from '../../harness/index.ts';
import scenario from './scenario.ts';

const cert = {
  subject: 'CN=partner.example.test',
  issuer: 'O=partner, CN=partner root CA',
  sans: ['partner.example.test'],
  validFrom: '',
  validTo: '',
};
const cut: HttpObservation = {
  kind: 'http',
  command: ['curl'],
  responses: [
    {
      status: 0,
      headers: {},
      body: '',
      curlExit: 35,
      curlExitMeaning: 'SSL connect error',
      curlError: 'curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to partner.example.test:443',
    },
  ],
};
const served: HttpObservation = {
  kind: 'http',
  command: ['curl'],
  responses: [
    {
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body: 'partner api: hello from outside the mesh\n',
      curlExit: 0,
      curlExitMeaning: 'ok',
      certificate: cert,
    },
  ],
};
const line = (cluster: string, flags: string[]): AccessLogEntry => ({
  raw: `[2026-11-28T10:00:00.000Z] "- - -" 0 ${flags.join(',') || '-'} - - "-" 517 0 1 - "-" "-" "-" "-" "-" ${cluster} - 172.18.0.9:443 10.244.0.14:51022 partner.example.test -`,
  responseCode: 0,
  responseFlags: flags,
  upstreamCluster: cluster,
});
const log = (...entries: AccessLogEntry[]): EnvoyObservation => ({ kind: 'envoy', what: 'access-log', entries });
const blackholed = log(line('BlackHoleCluster', ['UH']));
const viaEntry = log(line('outbound|443||partner.example.test', []));
const passedThrough = log(line('PassthroughCluster', []));

const { holds } = signature(scenario);

test("broken: the cut handshake and the BlackHoleCluster line; the partner's page and a passthrough line are rejected", () => {
  assert.equal(holds('broken', 'partner', cut), true);
  assert.equal(holds('broken', 'clientLog', blackholed), true);
  assert.equal(holds('broken', 'partner', served), false);
  assert.equal(holds('broken', 'clientLog', passedThrough), false);
  assert.equal(
    holds('broken', 'clientLog', log(line('BlackHoleCluster', []))),
    false,
    'BlackHoleCluster without UH is not the documented signature',
  );
});

test("fixed goes through the ServiceEntry's own cluster; the cut and a passthrough are rejected", () => {
  assert.equal(holds('fixed', 'partner', served), true);
  assert.equal(holds('fixed', 'clientLog', viaEntry), true);
  assert.equal(holds('fixed', 'clientLog', passedThrough), false, 'passthrough would mean the ServiceEntry did not apply');
  assert.equal(holds('fixed', 'partner', cut), false);
  assert.equal(holds('fixed', 'clientLog', blackholed), false);
});

test('fixed keeps the lock-down: another unregistered host is still cut; its page served means egress was opened', () => {
  assert.equal(holds('fixed', 'elsewhere', cut), true);
  assert.equal(holds('fixed', 'elsewhere', served), false);
});

test("control-other-host-entry: still cut, with the staging host's SNI chain present; the partner's page fails it", () => {
  const staging: EnvoyObservation = {
    kind: 'envoy',
    what: 'listeners',
    listeners: [
      {
        address: '0.0.0.0',
        port: 443,
        match: 'SNI: partner-staging.example.test',
        destination: 'Cluster: outbound|443||partner-staging.example.test',
      },
    ],
  };
  assert.equal(holds('control-other-host-entry', 'partner', cut), true);
  assert.equal(holds('control-other-host-entry', 'listeners443', staging), true);
  assert.equal(holds('control-other-host-entry', 'partner', served), false);
  assert.equal(holds('control-other-host-entry', 'listeners443', { kind: 'envoy', what: 'listeners', listeners: [] }), false);
});
