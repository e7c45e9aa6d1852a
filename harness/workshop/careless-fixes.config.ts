/**
 * `casebook check` for real (Istio's own code; needs Go): for each scenario with workshop data, a
 * plausible careless fix (the symptom gone by breaking something else, or only half done) is
 * rejected, and by the control or outcome that says why. `npm run test:config`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadValidScenarios } from '../cli/load-valid.ts';
import { casebookRoot } from '../load/casebook-root.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { checkFix, type FixJudgement } from './check-fix.ts';
import { readFixInput } from './fix-input.ts';
import { phaseFiles, writeFiles } from './workspace.ts';

const root = casebookRoot();
const scenarios = loadValidScenarios(root);

async function scenario(id: string): Promise<ScenarioDefinition> {
  const s = (await scenarios).find((x) => x.id === id);
  assert.ok(s?.workshop, `${id} has workshop data`);
  return s;
}

async function judge(s: ScenarioDefinition, files: ReadonlyMap<string, string>): Promise<FixJudgement> {
  const dir = mkdtempSync(join(tmpdir(), 'casebook-careless-'));
  try {
    writeFiles(dir, files);
    return await checkFix({ root, scenario: s, input: readFixInput(dir, s.certificates ?? []) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const failedKeys = (j: FixJudgement) =>
  j.items
    .filter((i) => !i.held)
    .map((i) => `${i.role} ${i.key}`)
    .sort();

/** A phase's files, with some replaced (`text` undefined deletes the file). */
function edited(
  s: ScenarioDefinition,
  phase: string,
  changes: Record<string, string | undefined | ((text: string) => string)>,
): Map<string, string> {
  const files = phaseFiles(root, s, phase);
  for (const [name, change] of Object.entries(changes)) {
    if (change === undefined) {
      assert.ok(files.delete(name), `${s.id}/${phase} has ${name}`);
    } else if (typeof change === 'function') {
      const before = files.get(name);
      assert.ok(before !== undefined, `${s.id}/${phase} has ${name}`);
      const after = change(before);
      assert.notEqual(after, before, `the careless edit of ${name} changes it`);
      files.set(name, after);
    } else {
      files.set(name, change);
    }
  }
  return files;
}

async function rejected(
  id: string,
  files: (s: ScenarioDefinition) => Map<string, string>,
  failing: string[],
  because?: RegExp,
): Promise<void> {
  const s = await scenario(id);
  const j = await judge(s, files(s));
  assert.equal(j.accepted, false, `${id}: the careless fix must be rejected`);
  assert.deepEqual(failedKeys(j), [...failing].sort(), `${id}: rejected by ${failing.join(', ')}`);
  if (because)
    assert.match(
      j.items
        .filter((i) => !i.held)
        .map((i) => i.because)
        .join('\n'),
      because,
    );
}

const T = { timeout: 300_000 };

test('inbound-port-not-captured: capturing port 80 but relaxing the namespace to PERMISSIVE is rejected by the STRICT control', T, () =>
  rejected(
    'inbound-port-not-captured',
    (s) =>
      edited(s, 'fixed', {
        'peer-authentication.yaml': (t) => t.replace('mode: STRICT', 'mode: PERMISSIVE'),
      }),
    ['control fromSidecar'],
    /plain-text call to flaskapp must still be refused/,
  ),
);

test('inbound-port-not-captured: removing the annotation from v1 only is rejected: v2 still bypasses its sidecar', T, () =>
  rejected(
    'inbound-port-not-captured',
    (s) =>
      edited(s, 'broken', {
        'flaskapp-uncaptured.yaml': (t) => t.replace('        traffic.sidecar.istio.io/includeInboundPorts: ""\n', ''),
      }),
    ['outcome iptables:flaskapp'],
    /in both Deployments, not just one/,
  ),
);

test(
  "serviceentry-without-addresses-hijacks-https: hiding the entry from istio-demo (Sidecar egress istio-system/*) ends the hijack but is rejected: traefik's listener is gone",
  T,
  () =>
    rejected(
      'serviceentry-without-addresses-hijacks-https',
      (s) =>
        edited(s, 'broken', {
          'sidecar.yaml': (t) => t.replace('"./*"', '"istio-system/*"'),
        }),
      ['control listeners'],
      /how istio-demo's pods reach traefik\.cutom-name/,
    ),
);

test(
  'serviceentry-without-addresses-hijacks-https: the workaround (a MESH_EXTERNAL entry for site A) is rejected: site B is still hijacked',
  T,
  () =>
    rejected('serviceentry-without-addresses-hijacks-https', (s) => phaseFiles(root, s, 'workaround-external-serviceentry'), [
      'outcome siteB',
    ]),
);

test(
  'destinationrule-without-tls-overrides-mesh-mtls: leaving the rule without tls and relaxing httpbin to PERMISSIVE is rejected by the mTLS control',
  T,
  () =>
    rejected(
      'destinationrule-without-tls-overrides-mesh-mtls',
      (s) =>
        new Map([
          ...phaseFiles(root, s, 'broken'),
          [
            'peer-authentication.yaml',
            'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: foo}\nspec:\n  mtls: {mode: PERMISSIVE}\n',
          ],
        ]),
      ['control call'],
      /mesh-wide mTLS stays/,
    ),
);

test(
  "destinationrule-without-tls-overrides-mesh-mtls: deleting the rule (the mesh rule gives mTLS again) is rejected: the breaker's rule is kept",
  T,
  () =>
    rejected(
      'destinationrule-without-tls-overrides-mesh-mtls',
      () =>
        new Map([
          [
            'sidecar.yaml',
            'apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: default, namespace: foo}\nspec:\n  egress:\n  - hosts: ["./*", "istio-system/*"]\n',
          ],
        ]),
      ['keeps DestinationRule in foo'],
    ),
);

test(
  "unprefixed-port-sniffing-stalls-server-first-mysql: moving orders-db to MySQL's well-known 3306 (as the control phase does) is rejected: 3307's clients lose it",
  T,
  () =>
    rejected(
      'unprefixed-port-sniffing-stalls-server-first-mysql',
      (s) => edited(s, 'broken', { 'service.yaml': (t) => t.replace('port: 3307', 'port: 3306') }),
      ['outcome listeners3307', 'outcome db3307', 'control db3307'],
      /keep the port and declare its protocol/,
    ),
);

test(
  'unprefixed-port-sniffing-stalls-server-first-mysql: declaring the wrong protocol (http-db) is rejected: 3307 is no plain TCP chain',
  T,
  () =>
    rejected(
      'unprefixed-port-sniffing-stalls-server-first-mysql',
      (s) => edited(s, 'broken', { 'service.yaml': (t) => t.replace('name: db', 'name: http-db') }),
      ['outcome listeners3307', 'outcome db3307', 'control db3307'],
      /one plain TCP chain/,
    ),
);

test(
  'permissive-mtls-stalls-plaintext-server-first-client: DISABLE for all of ledger is rejected (mTLS gone from every port); port-level DISABLE for 3306 is accepted',
  T,
  async () => {
    await rejected(
      'permissive-mtls-stalls-plaintext-server-first-client',
      (s) =>
        edited(s, 'broken', {
          'peer-authentication.yaml': (t) => t.replace('mode: PERMISSIVE', 'mode: DISABLE'),
        }),
      ['control serverInbound'],
      /must keep accepting mTLS/,
    );
    const s = await scenario('permissive-mtls-stalls-plaintext-server-first-client');
    const port = await judge(s, phaseFiles(root, s, 'control-port-mtls-disable'));
    assert.deepEqual(failedKeys(port), []);
  },
);

test(
  'permissive-mtls-stalls-plaintext-server-first-client: STRICT before the client joins the mesh is rejected: the client is refused',
  T,
  () =>
    rejected(
      'permissive-mtls-stalls-plaintext-server-first-client',
      (s) =>
        edited(s, 'broken', {
          'peer-authentication.yaml': (t) => t.replace('mode: PERMISSIVE', 'mode: STRICT'),
        }),
      ['outcome plaintextDb', 'control plaintextDb'],
      /cannot present a certificate/,
    ),
);

test(
  'destinationrule-subset-matches-no-pod: deleting the VirtualService (the call takes the default cluster) is rejected: subset routing is bypassed',
  T,
  () =>
    rejected(
      'destinationrule-subset-matches-no-pod',
      (s) => edited(s, 'broken', { 'virtual-service-stable.yaml': undefined }),
      ['control call', 'keeps VirtualService in catalog'],
      /must still go through a subset's cluster/,
    ),
);

test(
  'ingress-gateway-host-and-path-routing: the right host but every path routed (the matches dropped) is rejected: /headers must stay unpublished',
  T,
  () =>
    rejected(
      'ingress-gateway-host-and-path-routing',
      (s) =>
        edited(s, 'fixed', {
          'virtualservice.yaml': (t) => t.replace(/ {2}- match:[^]*?\n {4}route:/, '  - route:'),
        }),
      ['control headers'],
      /exposes what was never meant to be public/,
    ),
);

test(
  "ingress-kubernetes-ingress-class: the IngressClass recipe (fixed-ingressclass's) on broken's own Ingress is accepted; widening the path to / is rejected",
  T,
  async () => {
    const s = await scenario('ingress-kubernetes-ingress-class');
    const byClass = edited(s, 'broken', { 'ingress.yaml': (t) => t.replace('spec:\n', 'spec:\n  ingressClassName: istio\n') });
    byClass.set('ingressclass.yaml', phaseFiles(root, s, 'fixed-ingressclass').get('ingressclass.yaml')!);
    assert.deepEqual(failedKeys(await judge(s, byClass)), []);
    await rejected(
      'ingress-kubernetes-ingress-class',
      () => edited(s, 'fixed', { 'ingress.yaml': (t) => t.replace('path: /status', 'path: /') }),
      ['control headers'],
      /publishes \/status only/,
    );
  },
);

test(
  'registry-only-sends-unknown-hosts-to-blackhole: the partner entry with the REGISTRY_ONLY Sidecar deleted, or switched to ALLOW_ANY, is rejected: every other host gets out too',
  T,
  async () => {
    const s = await scenario('registry-only-sends-unknown-hosts-to-blackhole');
    const entry = phaseFiles(root, s, 'fixed').get('serviceentry.yaml')!;
    const withEntry = (files: Map<string, string>) => files.set('serviceentry.yaml', entry);
    await rejected(
      s.id,
      () => withEntry(edited(s, 'broken', { 'sidecar.yaml': undefined })),
      ['control elsewhere'],
      /deleting the REGISTRY_ONLY Sidecar/,
    );
    await rejected(
      s.id,
      () => withEntry(edited(s, 'broken', { 'sidecar.yaml': (t) => t.replace('mode: REGISTRY_ONLY', 'mode: ALLOW_ANY') })),
      ['control elsewhere'],
    );
    assert.deepEqual(failedKeys(await judge(s, withEntry(phaseFiles(root, s, 'broken')))), [], "the write-up's fix is accepted");
  },
);

test(
  "ingress-tls-multiple-hosts: giving the one shared server helloworld's credential is rejected: httpbin.example.com now gets the wrong certificate",
  T,
  () =>
    rejected(
      'ingress-tls-multiple-hosts',
      (s) =>
        edited(s, 'broken', {
          'gateway.yaml': (t) => t.replace('credentialName: httpbin-multi-credential', 'credentialName: helloworld-credential'),
        }),
      ['control teapot'],
      /only moves the name mismatch to httpbin/,
    ),
);

test(
  "ingress-tls-passthrough: adding the tls route but leaving the http route beside it is rejected: port 80 still sends plain HTTP to nginx's TLS port",
  T,
  () =>
    rejected(
      'ingress-tls-passthrough',
      (s) => {
        const tls = phaseFiles(root, s, 'fixed').get('virtualservice.yaml')!;
        return edited(s, 'broken', {
          'virtualservice.yaml': (t) => t.replace('  http:\n', `${tls.slice(tls.indexOf('  tls:\n'))}  http:\n`),
        });
      },
      ['control plainWelcome'],
      /an http route left beside the tls route/,
    ),
);

test(
  'ingress-wildcard-host-for-browsers: naming the browser\'s address (127.0.0.1) instead of httpbin.example.com is rejected: curl with the Host header loses httpbin; "*" on the VirtualService alone is rejected too',
  T,
  async () => {
    await rejected(
      'ingress-wildcard-host-for-browsers',
      (s) =>
        edited(s, 'broken', {
          'gateway-and-virtualservice.yaml': (t) => t.replaceAll('- httpbin.example.com', '- "127.0.0.1"'),
        }),
      ['control withHost'],
      /trades one Host for another/,
    );
    await rejected(
      'ingress-wildcard-host-for-browsers',
      (s) =>
        edited(s, 'broken', {
          'gateway-and-virtualservice.yaml': (t) => t.replace(/(kind: VirtualService[^]*?)- httpbin\.example\.com/, '$1- "*"'),
        }),
      ['outcome page'],
    );
  },
);

test(
  "ingress-mutual-tls (from the SIMPLE gateway): MUTUAL with a credential made from the client's certificate is rejected by the served-certificate control; OPTIONAL_MUTUAL and MUTUAL without a CA miss the outcome",
  T,
  async () => {
    await rejected(
      'ingress-mutual-tls',
      (s) =>
        edited(s, 'broken', {
          'secrets.yaml': (t) =>
            t
              .replace('${certificate.httpbin.crt}', '${certificate.client.crt}')
              .replace('${certificate.httpbin.key}', '${certificate.client.key}'),
        }),
      ['control noClientCert'],
      /still serve httpbin's own certificate/,
    );
    await rejected(
      'ingress-mutual-tls',
      (s) => edited(s, 'broken', { 'mutual-gateway.yaml': (t) => t.replace('mode: MUTUAL', 'mode: OPTIONAL_MUTUAL') }),
      ['outcome noClientCert', 'outcome withClientCert'],
    );
    await rejected(
      'ingress-mutual-tls',
      (s) => edited(s, 'control-simple-tls', { 'gateway.yaml': (t) => t.replace('mode: SIMPLE', 'mode: MUTUAL') }),
      ['outcome withClientCert'],
      /which istiod must find with the credential/,
    );
  },
);
