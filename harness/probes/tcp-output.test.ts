import { test } from 'node:test';
import assert from 'node:assert/strict';
import { probeFixture } from './testing/probe-fixture.ts';
import { hexToBytes, parseMysqlGreeting } from './mysql-greeting.ts';
import { splitTcpOutput, tcpObservation } from './tcp-output.ts';

const observed = (name: string) => {
  const f = probeFixture(name);
  const run = splitTcpOutput(f.stdout);
  assert.ok(run, `${name} parses`);
  return { f, o: tcpObservation(run) };
};

test('nc: the MariaDB greeting, byte for byte', () => {
  const { f, o } = observed('tcp-nc-mysql');
  assert.equal(o.tool, 'nc');
  assert.equal(o.outcome, 'connected');
  assert.equal(o.raw.exitCode, 124, 'timeout ended the open connection at the deadline');
  assert.deepEqual(o.greeting, {
    protocolVersion: 10,
    serverVersion: f.context.expectedServerVersion,
    authPlugin: 'mysql_native_password',
  });
  const bytes = hexToBytes(o.firstBytesHex);
  assert.equal(o.bytesReceived, (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16)) + 4);
});

test('curl telnet:// and telnet drop 0xff bytes, the greeting still parses', () => {
  for (const name of ['tcp-curl-mysql', 'tcp-telnet-mysql']) {
    const { f, o } = observed(name);
    assert.equal(o.outcome, 'connected', name);
    assert.equal(o.greeting?.serverVersion, f.context.expectedServerVersion, name);
    assert.equal(o.greeting?.authPlugin, 'mysql_native_password', name);
    assert.ok(o.bytesReceived < observed('tcp-nc-mysql').o.bytesReceived, `${name}: the telnet protocol ate some bytes`);
  }
  assert.ok(!observed('tcp-telnet-mysql').o.firstBytesHex.startsWith(Buffer.from('Trying').toString('hex')), 'telnet banner stripped');
});

test("closed by peer, refused and timed out, from each tool's own words", () => {
  assert.deepEqual(
    ['tcp-nc-closed', 'tcp-curl-closed', 'tcp-telnet-closed'].map((n) => [observed(n).o.outcome, observed(n).o.bytesReceived]),
    [
      ['closed-by-peer', 0],
      ['closed-by-peer', 0],
      ['closed-by-peer', 0],
    ],
  );
  assert.equal(observed('tcp-nc-refused').o.outcome, 'refused');
  assert.match(observed('tcp-nc-refused').o.raw.stderr, /Connection refused/);
  assert.equal(observed('tcp-telnet-refused').o.outcome, 'refused');
  assert.equal(observed('tcp-nc-timeout').o.outcome, 'timeout');
});

test('a MySQL error packet, TLS or HTTP bytes are not a greeting', () => {
  assert.equal(parseMysqlGreeting(Buffer.from('ff000001ff6a04486f7374', 'hex')), undefined);
  assert.equal(parseMysqlGreeting(Buffer.from('HTTP/1.1 400 Bad Request\r\n')), undefined);
  assert.equal(parseMysqlGreeting(Buffer.from('160301', 'hex')), undefined);
  assert.equal(splitTcpOutput('garbage'), undefined);
});

test('BusyBox timeout (exit 143, 128 + SIGTERM) ends an open connection at the deadline too', () => {
  const f = probeFixture('tcp-nc-mysql');
  const run = splitTcpOutput(f.stdout)!;
  assert.equal(run.exitCode, 124, 'the fixture was captured with coreutils timeout');
  const busybox = tcpObservation({ ...run, exitCode: 143 });
  assert.equal(busybox.outcome, 'connected');
  assert.equal(busybox.closedByPeer, false);
  const silent = tcpObservation({ ...splitTcpOutput(probeFixture('tcp-nc-closed').stdout)!, exitCode: 143 });
  assert.equal(silent.outcome, 'connected', 'open and silent until the deadline is not a close by the peer');
});
