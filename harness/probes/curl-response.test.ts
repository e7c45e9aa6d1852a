import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check } from '../checks/check.ts';
import { curlScript, splitCurlOutput } from './curl-command.ts';
import { curlResponse, lastHeaderBlock } from './curl-response.ts';
import { probeFixture } from './testing/probe-fixture.ts';
import type { HttpProbeSpec } from '../model/probe-spec.ts';

const parsed = (name: string) => {
  const f = probeFixture(name);
  return { f, responses: splitCurlOutput(f.stdout).map(curlResponse) };
};

test('real curl 7.88 output: 200 with headers, body, remote address, timings', () => {
  const { f, responses } = parsed('curl-http-200');
  assert.equal(responses.length, 1);
  const r = responses[0]!;
  assert.equal(r.status, 200);
  assert.equal(r.body, 'hello from nginx\n');
  assert.equal(r.headers['X-Lab'], 'lab-ok');
  assert.equal(r.headers['Server'], 'nginx/1.22.1');
  assert.equal(r.curlExit, 0);
  assert.equal(r.remoteIp, f.context.web);
  assert.equal(r.remotePort, 80);
  assert.deepEqual(Object.keys(r.timings!).sort(), [
    'appconnectMs',
    'connectMs',
    'namelookupMs',
    'pretransferMs',
    'starttransferMs',
    'totalMs',
  ]);
  assert.ok(r.timings!['totalMs']! >= r.timings!['connectMs']!);
});

test('three repeated requests, two at a time: three 503s in order', () => {
  const { responses } = parsed('curl-http-503-repeat');
  assert.deepEqual(
    responses.map((r) => r.status),
    [503, 503, 503],
  );
  assert.ok(responses.every((r) => r.body.startsWith('upstream connect error or disconnect/reset before headers')));
});

test('https: the served certificate comes from %{certs}', () => {
  const { responses } = parsed('curl-https-verified');
  const c = responses[0]!.certificate!;
  assert.equal(c.subject, 'CN=site.lab.test, O=site org');
  assert.equal(c.issuer, 'O=casebook lab, CN=lab root CA');
  assert.deepEqual(c.sans, ['site.lab.test']);
  assert.match(c.validFrom, /^\d{4}-\d\d-\d\dT/);
  assert.ok(Date.parse(c.validTo) > Date.parse(c.validFrom));
});

test('wrong CA (exit 60, no certificate), name mismatch (exit 60, certificate), refused (7), timeout (28)', () => {
  const wrongCa = parsed('curl-https-wrong-ca').responses[0]!;
  assert.deepEqual([wrongCa.status, wrongCa.curlExit, wrongCa.certificate], [0, 60, undefined]);
  assert.equal(wrongCa.curlError, 'curl: (60) SSL certificate problem: unable to get local issuer certificate');
  const mismatch = parsed('curl-https-name-mismatch').responses[0]!;
  assert.equal(mismatch.curlExit, 60);
  assert.equal(mismatch.certificate?.subject, 'CN=site.lab.test, O=site org');
  assert.match(mismatch.curlError!, /no alternative certificate subject name matches target host name 'other\.lab\.test'/);
  const refused = parsed('curl-refused');
  assert.equal(refused.responses[0]!.curlExit, 7);
  assert.equal(refused.responses[0]!.curlExitMeaning, 'failed to connect to host');
  assert.equal(refused.responses[0]!.remoteIp, undefined, 'no remote address without a connection');
  const timeout = parsed('curl-timeout').responses[0]!;
  assert.equal(timeout.curlExit, 28);
  assert.equal(timeout.curlError, 'curl: (28) Connection timed out after 1001 milliseconds');
  assert.equal(check.curlExit(28).evaluate({ kind: 'http', command: [], responses: [timeout] }).ok, true);
});

test('the script quotes user input for sh and splits sections exactly, newline or not', () => {
  const spec: HttpProbeSpec = { kind: 'http', from: 'c', url: "http://x/it's", headers: { Host: 'a b' }, repeat: 2, concurrency: 2 };
  const script = curlScript(spec);
  assert.match(script, /-H 'Host: a b'/);
  assert.match(script, /'http:\/\/x\/it'\\''s'/);
  const out =
    '\n@@casebook json 1\n{"exitcode":0,"http_code":204}\n@@casebook stderr 1\n\n@@casebook headers 1\nHTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n\n@@casebook body 1 3\nabc\n@@casebook end\n';
  const [run] = splitCurlOutput(out);
  assert.equal(run!.body, 'abc');
  assert.equal(run!.bodyBytes, 3);
  assert.equal(curlResponse(run!).status, 204);
  assert.deepEqual(lastHeaderBlock('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nSet-Cookie: a\r\nSet-Cookie: b\r\n\r\n'), {
    'Set-Cookie': 'a, b',
  });
});

test('spec values that start with a double quote are quoted too: the script, run by a real sh, never executes them', async () => {
  const { mkdtemp, writeFile, chmod, readdir } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { execa } = await import('execa');
  const dir = await mkdtemp(join(tmpdir(), 'casebook-shq-'));
  // A stand-in curl that does nothing: only the shell's own expansion could create the files.
  await writeFile(join(dir, 'curl'), '#!/bin/sh\nexit 0\n');
  await chmod(join(dir, 'curl'), 0o755);
  const pwn = (what: string) => `"$(touch ${join(dir, `PWNED-${what}`)})"`;
  const spec: HttpProbeSpec = {
    kind: 'http',
    from: 'c',
    url: 'http://x/',
    method: pwn('method'),
    headers: { [pwn('header')]: 'x' },
    resolve: [pwn('resolve')],
    cacert: pwn('cacert'),
  };
  await execa('sh', ['-c', curlScript(spec)], { env: { PATH: `${dir}:${process.env['PATH']}` }, reject: false });
  assert.deepEqual(
    (await readdir(dir)).filter((f) => f.startsWith('PWNED')),
    [],
  );
});
