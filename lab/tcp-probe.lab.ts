/**
 * The tcp probe against real servers: MariaDB's greeting, a port that accepts and closes at once
 * (a sidecar's 0.0.0.0:3306 listener whose cluster has no endpoint), a port that accepts and
 * never writes (a server-first protocol stalled by sniffing), a closed port, and a host that
 * never answers; with each client program the probe can use (nc, curl telnet://, telnet).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { check } from '../harness/checks/check.ts';
import { observeTcp } from '../harness/probes/tcp-probe.ts';
import type { TcpTool } from '../harness/probes/tcp-command.ts';
import { createLab, labSkip, type Lab } from './support/lab-docker.ts';
import { PORTS, startBlackhole, startCloser, startMariadb, startMute } from './support/lab-servers.ts';

const skip = await labSkip();
let lab: Lab;
let db: string;
let hole: string;
let expectedServerVersion: string;
const tcp = (host: string, port: number, tool?: TcpTool, readTimeoutMs = 2000) =>
  observeTcp(
    { kind: 'tcp', from: 'client', host, port, readTimeoutMs },
    { transport: lab.transport(), namespaceOf: () => 'lab' },
    tool ? { tool } : {},
  );

before(async () => {
  if (skip) return;
  lab = await createLab('tcp');
  const client = await lab.start('client');
  db = (await lab.start('db')).ip;
  hole = (await lab.start('hole', { capAdd: ['NET_ADMIN'] })).ip;
  ({ expectedServerVersion } = await startMariadb(lab, 'db'));
  await startCloser(lab, 'db');
  await startMute(lab, 'db');
  await startBlackhole(lab, 'hole', client.ip);
});

after(async () => {
  await lab?.dispose();
  if (lab) assert.deepEqual(await lab.leftovers(), { containers: 0, networks: 0 });
});

test('nc is the default tool and reads the MySQL greeting: protocol 10, server version, auth plugin', { skip }, async () => {
  const o = await tcp(db, PORTS.mysql);
  assert.equal(o.tool, 'nc');
  assert.equal(o.outcome, 'connected');
  assert.equal(o.closedByPeer, false);
  assert.deepEqual(o.greeting, { protocolVersion: 10, serverVersion: expectedServerVersion, authPlugin: 'mysql_native_password' });
  // The packet length in the first three bytes matches what arrived (4-byte header + payload).
  const payload = parseInt(o.firstBytesHex.slice(4, 6) + o.firstBytesHex.slice(2, 4) + o.firstBytesHex.slice(0, 2), 16);
  assert.equal(o.bytesReceived, payload + 4);
  assert.equal(o.firstBytesHex.slice(8, 10), '0a', 'protocol version byte');
  assert.equal(check.all(check.connected(), check.greeting('mysql')).evaluate(o).ok, true);
  const r = check.closedWithoutGreeting().evaluate(o);
  assert.equal(r.ok, false);
  assert.match(
    r.message,
    new RegExp(
      `got connected, ${o.bytesReceived} byte\\(s\\) received, MySQL greeting \\(protocol 10, server "${expectedServerVersion.replace(/[.+]/g, '\\$&')}"\\)`,
    ),
  );
});

for (const tool of ['curl', 'telnet'] as const) {
  test(`${tool}: the same greeting, whatever the telnet protocol swallowed`, { skip }, async () => {
    const o = await tcp(db, PORTS.mysql, tool);
    assert.equal(o.tool, tool);
    assert.equal(o.outcome, 'connected');
    assert.equal(o.greeting?.serverVersion, expectedServerVersion);
    assert.equal(o.greeting?.protocolVersion, 10);
  });
}

for (const tool of ['nc', 'curl', 'telnet'] as const) {
  test(`${tool}: accepted then closed without a byte (the wildcard-listener signature)`, { skip }, async () => {
    const o = await tcp(db, PORTS.closer, tool);
    assert.equal(o.outcome, 'closed-by-peer');
    assert.equal(o.closedByPeer, true);
    assert.equal(o.bytesReceived, 0);
    assert.equal(o.greeting, undefined);
    assert.equal(check.all(check.connected(), check.closedWithoutGreeting()).evaluate(o).ok, true);
    assert.equal(check.greeting('mysql').evaluate(o).ok, false);
  });

  test(`${tool}: refused on a closed port`, { skip }, async () => {
    const o = await tcp(db, PORTS.nothing, tool);
    assert.equal(o.outcome, 'refused');
    assert.equal(check.refused().evaluate(o).ok, true);
    assert.equal(check.connected().evaluate(o).ok, false);
  });
}

for (const tool of ['nc', 'curl', 'telnet'] as const) {
  test(`${tool}: accepted, then silent until the deadline: silent(), not timedOut() (the server-first stall)`, { skip }, async () => {
    const started = Date.now();
    const o = await tcp(db, PORTS.mute, tool, 2000);
    assert.equal(o.tool, tool);
    assert.equal(o.outcome, 'connected');
    assert.equal(o.closedByPeer, false);
    assert.equal(o.bytesReceived, 0);
    // Held open until the probe's own deadline ended it, not closed early.
    assert.ok(Date.now() - started >= 1900, `returned after ${Date.now() - started} ms`);
    assert.equal(check.all(check.connected(), check.silent()).evaluate(o).ok, true);
    const t = check.timedOut().evaluate(o);
    assert.equal(t.ok, false);
    assert.match(t.message, /^expected a connect timeout, got connected, 0 byte\(s\) received/);
    assert.equal(check.closedWithoutGreeting().evaluate(o).ok, false);
    assert.equal(check.greeting('mysql').evaluate(o).ok, false);
  });

  test(`${tool}: silent() rejects a greeting and a close`, { skip }, async () => {
    assert.equal(check.silent().evaluate(await tcp(db, PORTS.mysql, tool)).ok, false);
    const closed = check.silent().evaluate(await tcp(db, PORTS.closer, tool));
    assert.equal(closed.ok, false);
    assert.match(closed.message, /got closed-by-peer \(closed by peer\), 0 byte\(s\) received/);
  });
}

test('a host that never answers: timeout after the deadline, not refused', { skip }, async () => {
  const started = Date.now();
  const o = await tcp(hole, PORTS.mysql, 'nc', 2000);
  assert.equal(o.outcome, 'timeout');
  assert.equal(o.bytesReceived, 0);
  assert.ok(Date.now() - started >= 1900);
  assert.equal(check.timedOut().evaluate(o).ok, true);
  assert.equal(check.closedWithoutGreeting().evaluate(o).ok, false);
  assert.equal(check.silent().evaluate(o).ok, false, 'never connected is not connected-then-silent');
  const viaCurl = await tcp(hole, PORTS.mysql, 'curl', 2000);
  assert.equal(viaCurl.outcome, 'timeout');
});
