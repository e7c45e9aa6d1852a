// Terminal output and untrusted input through runCli, the same entry main.ts uses: no cluster, a local HTTP server on 127.0.0.1.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sampleRun } from '../report/testing/sample-run.ts';
import { createConsoleReporter } from '../report/console-reporter.ts';
import { terminalSafe } from '../report/terminal-text.ts';
import { runCli } from './run-cli.ts';

const ESC = '\x1b]0;PWNED-TITLE\x07\x1b[31mRED\x9b2J\rOVER';
let dir: string;
let server: Server;
let port = 0;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'casebook-terminal-'));
  server = createServer((_req, res) => {
    res.writeHead(200).end(`hello ${ESC}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(() => {
  server.closeAllConnections();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    out: (s) => {
      out += s;
    },
    err: (s) => {
      err += s;
    },
    env: { ...process.env },
  });
  return { code, out, err };
}

const raw = (s: string) => /[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(s); // eslint-disable-line no-control-regex

test('terminalSafe shows every control character but newline and tab as \\xNN', () => {
  assert.equal(terminalSafe('a\x1b[31mb\tc\nd\re\x07\x9b'), 'a\\x1b[31mb\tc\nd\\x0de\\x07\\x9b');
});

test('a probe response body with terminal escapes is printed escaped', async () => {
  const r = await cli(['probe', `http://127.0.0.1:${port}/`]);
  assert.equal(r.code, 0, r.err);
  assert.ok(!raw(r.out), JSON.stringify(r.out));
  assert.match(r.out, /body: hello \\x1b\]0;PWNED-TITLE\\x07\\x1b\[31mRED\\x9b2J OVER/, '\\r is whitespace to oneLine');
});

test('compare on results.json files whose runId and scenario carry escapes and newlines prints them escaped', async () => {
  const base = sampleRun();
  const evil = {
    ...sampleRun(),
    runId: `run${ESC}\n# heading`,
    results: sampleRun().results.map((x) => ({ ...x, scenario: `${x.scenario}${ESC}` })),
  };
  writeFileSync(join(dir, 'base.json'), JSON.stringify(base));
  writeFileSync(join(dir, 'evil.json'), JSON.stringify(evil));
  const r = await cli(['compare', join(dir, 'base.json'), join(dir, 'evil.json'), '--allow-removed']);
  assert.ok(r.out.includes('PWNED-TITLE'), r.out);
  assert.ok(!raw(r.out) && !raw(r.err), JSON.stringify(r.out));
});

test("the run's console reporter (Playwright process) goes through the same sanitizer", () => {
  let text = '';
  const reporter = createConsoleReporter({
    write: (s: string) => {
      text += s;
    },
  });
  const run = sampleRun();
  for (const r of run.results) reporter.phaseEnded({ ...r, scenario: `${r.scenario}${ESC}` });
  reporter.runEnded({ ...run, results: run.results.map((r) => ({ ...r, scenario: `${r.scenario}${ESC}` })) });
  assert.ok(text.includes('PWNED-TITLE'), text);
  assert.ok(!raw(text), JSON.stringify(text));
});

test('compare on a FIFO is refused at once (exit 2), it does not hang', async () => {
  const fifo = join(dir, 'results.fifo');
  execFileSync('mkfifo', [fifo]);
  writeFileSync(join(dir, 'ok.json'), JSON.stringify(sampleRun()));
  const r = await cli(['compare', join(dir, 'ok.json'), fifo]);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /results\.fifo is not a regular file/);
});

test('--cacert without a certificate and -m out of bounds are usage errors (exit 2)', async () => {
  writeFileSync(join(dir, 'passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
  const url = `https://127.0.0.1:${port}/`;
  for (const [args, message] of [
    [['--cacert', join(dir, 'passwd')], /--cacert .*passwd holds no certificate/],
    [['--cacert', '/dev/zero'], /--cacert \/dev\/zero: not a regular file/],
    [['-m', '1e-9'], /--max-time 1e-9 is outside 0\.001 \.\. 3600 seconds/],
    [['-m', 'Infinity'], /--max-time Infinity is outside/],
  ] as const) {
    const r = await cli(['probe', url, ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, message);
  }
});

test('a bad --cert/--key is a usage error naming the file (exit 2), not a harness failure', async () => {
  writeFileSync(join(dir, 'cert.pem'), '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n');
  writeFileSync(join(dir, 'key.pem'), 'not a key\n');
  const url = `https://127.0.0.1:${port}/`;
  const r = await cli(['probe', url, '--cert', join(dir, 'cert.pem'), '--key', join(dir, 'key.pem')]);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /--cert .*cert\.pem holds a certificate that cannot be read/);
  assert.doesNotMatch(r.err, /harness failure/);
});
