import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hexToBytes, parseMysqlFirstPacket } from './mysql-greeting.ts';

// Captured from Debian bookworm's MariaDB 10.11 (the lab toolbox) with `nc -w 2 <ip> 3306 | od -An -tx1 -v`.
const MARIADB_GREETING = `
 64 00 00 00 0a 35 2e 35 2e 35 2d 31 30 2e 31 31
 2e 31 38 2d 4d 61 72 69 61 44 42 2d 30 2b 64 65
 62 31 32 75 31 00 04 00 00 00 41 64 56 60 60 40
 5d 34 00 fe f7 2d 02 00 ff 81 15 00 00 00 00 00
 00 1d 00 00 00 2b 78 41 77 54 21 43 6d 7c 49 36
 6f 00 6d 79 73 71 6c 5f 6e 61 74 69 76 65 5f 70
 61 73 73 77 6f 72 64 00`;

// Same server, no account matching the client's host: refused before the handshake.
const HOST_NOT_ALLOWED = `
 45 00 00 00 ff 6a 04 48 6f 73 74 20 27 31 37 32
 2e 32 30 2e 30 2e 33 27 20 69 73 20 6e 6f 74 20
 61 6c 6c 6f 77 65 64 20 74 6f 20 63 6f 6e 6e 65
 63 74 20 74 6f 20 74 68 69 73 20 4d 61 72 69 61
 44 42 20 73 65 72 76 65 72`;

test('a real MariaDB greeting gives protocol, server version and auth plugin', () => {
  assert.deepEqual(parseMysqlFirstPacket(hexToBytes(MARIADB_GREETING)), {
    type: 'greeting', protocolVersion: 10, serverVersion: '5.5.5-10.11.18-MariaDB-0+deb12u1', authPlugin: 'mysql_native_password',
  });
});

test('an error packet before the handshake is reported with its code and text', () => {
  assert.deepEqual(parseMysqlFirstPacket(hexToBytes(HOST_NOT_ALLOWED)), {
    type: 'error', code: 1130, message: "Host '172.20.0.3' is not allowed to connect to this MariaDB server",
  });
});

test('nothing, or bytes that are not a handshake, is no greeting', () => {
  assert.deepEqual(parseMysqlFirstPacket(hexToBytes('')), { type: 'none', reason: '0 byte(s) received' });
  const http = parseMysqlFirstPacket(Buffer.from('HTTP/1.1 400 Bad Request\r\n'));
  assert.equal(http.type, 'none');
});
