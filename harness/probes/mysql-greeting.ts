import type { MysqlGreeting } from '../model/observation.ts';

/** Authentication plugins a MySQL or MariaDB server names in its greeting. */
const KNOWN_PLUGINS = [
  'caching_sha2_password',
  'mysql_native_password',
  'sha256_password',
  'client_ed25519',
  'auth_gssapi_client',
  'mysql_clear_password',
];

/**
 * Reads the server's first packet as a MySQL Initial Handshake (protocol 10): a 3-byte length,
 * sequence 0, then protocol version, NUL-terminated server version, … and the auth plugin name
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_v10.html).
 * Returns undefined for anything else (an error packet 0xff, TLS, HTTP, nothing).
 */
export function parseMysqlGreeting(bytes: Uint8Array): MysqlGreeting | undefined {
  if (bytes.length < 6) return undefined;
  const length = bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16);
  if (bytes[3] !== 0 || bytes[4] !== 10 || length < 2) return undefined;
  const nul = bytes.indexOf(0, 5);
  if (nul === -1) return undefined;
  const serverVersion = new TextDecoder('latin1').decode(bytes.subarray(5, nul));
  if (!/^[\x20-\x7e]+$/.test(serverVersion)) return undefined;
  const authPlugin = pluginName(bytes, nul);
  return { protocolVersion: 10, serverVersion, authPlugin };
}

/**
 * The plugin name ends the packet. Telnet clients swallow 0xff bytes (telnet IAC) inside the
 * capability flags, which shifts fixed offsets, so look for the NUL-terminated name at the end.
 */
function pluginName(bytes: Uint8Array, afterVersion: number): string | undefined {
  const text = new TextDecoder('latin1').decode(bytes.subarray(afterVersion));
  return KNOWN_PLUGINS.find((p) => text.includes(`${p}\0`) || text.endsWith(p));
}

export function hexToBytes(hex: string): Uint8Array {
  const clean = hex.replace(/[^0-9a-f]/gi, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}
