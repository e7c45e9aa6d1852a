/**
 * Why `ingress-wildcard-host-for-browsers` exists, shown with Debian's nginx standing in for a
 * gateway: a server block for one host only answers requests whose Host names it. curl (our
 * ingress client) can send `Host: httpbin.example.com`; a browser opening the ingress address
 * cannot, and gets the catch-all 404. A wildcard server answers both.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { findChromium } from '../harness/probes/browser/find-chromium.ts';
import { observeBrowser } from '../harness/probes/browser/observe-browser.ts';
import { ingressRequest } from '../harness/probes/ingress/ingress-request.ts';
import { createLab, labSkip, type Lab } from './support/lab-docker.ts';

let noBrowser: string | undefined;
try {
  findChromium({ playwrightPath: chromium.executablePath() });
} catch (e) {
  noBrowser = `no Chromium installed: ${(e as Error).message}`;
}
const skip = await labSkip(noBrowser);

// Port 80: host-specific (the broken phase); port 81: any host (the fixed phase). The catch-all
// answers 404 with an empty body (content-length 0), as Envoy does when no virtual host matches:
// Chromium shows its own error page for an empty 4xx, and the probe must still read the 404.
// (nginx's `return 404 "";` still sends its built-in page: the empty body comes from an empty
// error_page file.)
const SITE = `
server { listen 80 default_server; error_page 404 /empty-404; location = /empty-404 { internal; root /srv/casebook; } location / { return 404; } }
server { listen 80; server_name httpbin.example.com; location /headers { return 200 "{\\"host\\": \\"$host\\"}\\n"; } }
server { listen 81 default_server; server_name _; location /headers { default_type application/json; return 200 "{\\"host\\": \\"$host\\"}\\n"; } }
`;

let dir: string | undefined;
let lab: Lab | undefined;
let hostSpecific = 0;
let anyHost = 0;

before(async () => {
  if (skip) return;
  dir = await mkdtemp(join(tmpdir(), 'casebook-lab-browser-'));
  await writeFile(join(dir, 'default'), SITE);
  lab = await createLab('browser');
  await lab.start('web', { ports: [80, 81] });
  await lab.copyIn('web', join(dir, 'default'), '/etc/nginx/sites-enabled/default');
  const empty = await lab.exec('web', ['sh', '-c', 'mkdir -p /srv/casebook && : > /srv/casebook/empty-404']);
  assert.equal(empty.exitCode, 0, empty.stderr);
  const started = await lab.exec('web', ['nginx']);
  assert.equal(started.exitCode, 0, started.stderr);
  hostSpecific = await lab.hostPort('web', 80);
  anyHost = await lab.hostPort('web', 81);
});

after(async () => {
  await lab?.dispose();
  if (lab) assert.deepEqual(await lab.leftovers(), { containers: 0, networks: 0 });
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('host-specific server: curl-style request with Host gets 200, the browser gets 404', { skip }, async () => {
  const curl = await ingressRequest({ url: 'http://httpbin.example.com/headers', connectTo: { host: '127.0.0.1', port: hostSpecific } });
  assert.equal(curl.status, 200);
  assert.match(curl.body ?? '', /"host": "httpbin.example.com"/);
  const page = await observeBrowser(
    { kind: 'browser', path: '/headers' },
    { address: { host: '127.0.0.1', httpPort: hostSpecific, httpsPort: hostSpecific } },
  );
  assert.equal(page.status, 404);
  // The catch-all really is Envoy-like: a 404 with nothing in it.
  const bare = await ingressRequest({ url: 'http://127.0.0.1/headers', connectTo: { host: '127.0.0.1', port: hostSpecific } });
  assert.equal(bare.status, 404);
  assert.equal(bare.body ?? '', '');
  assert.equal(bare.headers?.['content-length'], '0');
});

test('wildcard server: the browser sees the page, with the ingress address as Host', { skip }, async () => {
  const page = await observeBrowser(
    { kind: 'browser', path: '/headers' },
    { address: { host: '127.0.0.1', httpPort: anyHost, httpsPort: anyHost } },
  );
  assert.equal(page.status, 200);
  assert.equal(JSON.parse(page.text).host, '127.0.0.1');
});
