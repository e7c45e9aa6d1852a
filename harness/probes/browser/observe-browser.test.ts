import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from '@playwright/test';
import { createCertStore, EXAMPLE_CA_SUBJECT, type CertStore } from '../../certs/cert-store.ts';
import * as servers from '../ingress/testing/local-servers.ts';
import { findChromium } from './find-chromium.ts';
import { observeBrowser } from './observe-browser.ts';

let noBrowser: string | undefined;
try {
  findChromium({ playwrightPath: chromium.executablePath() });
} catch (e) {
  noBrowser = `no Chromium installed (${(e as Error).message}); install Debian's chromium to run the browser probe tests`;
}

let store: CertStore;
let http: servers.Running;
let https: servers.Running;
before(async () => {
  store = await createCertStore();
  await store.ca('ca', { subject: EXAMPLE_CA_SUBJECT });
  await store.server('gw', { ca: 'ca', commonName: 'gateway.example.com', dnsNames: ['gateway.example.com'] });
  http = await servers.startHttpServer('local gateway');
  https = await servers.startHttpsServer({
    name: 'tls gateway',
    identity: { certPem: store.get('gw').certPem, keyPem: store.keyPem('gw') },
  });
});
after(async () => {
  await Promise.all([http.close(), https.close()]);
  await store.dispose();
});

const address = () => ({ host: '127.0.0.1', httpPort: http.port, httpsPort: https.port });

test('a page through the ingress port: status, title and visible text from real Chromium', { skip: noBrowser }, async () => {
  const o = await observeBrowser({ kind: 'browser', path: '/' }, { address: address() });
  assert.equal(o.error, undefined);
  assert.equal(o.url, `http://127.0.0.1:${http.port}/`);
  assert.equal(o.status, 200);
  assert.equal(o.title, 'local gateway');
  assert.equal(o.text, 'Hello from local gateway');
});

test('the browser sends the ingress address as Host (it cannot choose one); JSON shows as text', { skip: noBrowser }, async () => {
  const o = await observeBrowser({ kind: 'browser', path: 'headers' }, { address: address() });
  assert.equal(o.status, 200);
  const headers = JSON.parse(o.text).headers;
  assert.equal(headers.host, `127.0.0.1:${http.port}`);
  assert.match(headers['user-agent'], /HeadlessChrome|Chrome/);
});

test('a 404 and an https page with a certificate the browser does not trust', { skip: noBrowser }, async () => {
  // An empty 404, like Envoy's for an unmatched host: Chromium fails the navigation, the status stays.
  const missing = await observeBrowser({ kind: 'browser', path: '/status/404' }, { address: address() });
  assert.equal(missing.status, 404);
  assert.match(missing.navigationError ?? '', /net::ERR_HTTP_RESPONSE_CODE_FAILURE/);
  assert.equal(missing.error, undefined);
  const secure = await observeBrowser({ kind: 'browser', path: '/', scheme: 'https' }, { address: address() });
  assert.equal(secure.status, 200);
  assert.equal(secure.title, 'tls gateway');
});

test("refused: status 0 and the browser's own error", { skip: noBrowser }, async () => {
  const port = await servers.refusedPort();
  const o = await observeBrowser({ kind: 'browser', path: '/' }, { address: { host: '127.0.0.1', httpPort: port, httpsPort: port } });
  assert.equal(o.status, 0);
  assert.match(o.error ?? '', /net::ERR_CONNECTION_REFUSED/);
});
