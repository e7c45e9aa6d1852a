/**
 * The first packet a MySQL/MariaDB server sends: protocol 10 handshake, or an error packet
 * (0xff) when it refuses the client before authentication (e.g. 1130 host not allowed).
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_v10.html
 */
export type MysqlFirstPacket =
  | { type: 'greeting'; protocolVersion: number; serverVersion: string; authPlugin?: string }
  | { type: 'error'; code: number; message: string }
  | { type: 'none'; reason: string };

export function hexToBytes(hex: string): Uint8Array {
  const clean = hex.replace(/[^0-9a-fA-F]/g, '');
  const out = new Uint8Array(Math.floor(clean.length / 2));
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function parseMysqlFirstPacket(bytes: Uint8Array): MysqlFirstPacket {
  if (bytes.length < 5) return { type: 'none', reason: `${bytes.length} byte(s) received` };
  const len = bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16);
  const payload = bytes.subarray(4, 4 + len);
  const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');
  if (payload[0] === 0xff) {
    const code = payload[1]! | (payload[2]! << 8);
    const rest = payload.subarray(3);
    return { type: 'error', code, message: latin1(rest[0] === 0x23 ? rest.subarray(6) : rest) };
  }
  if (payload[0] !== 0x0a) return { type: 'none', reason: `first payload byte 0x${(payload[0] ?? 0).toString(16)} is not protocol 10` };
  const versionEnd = payload.indexOf(0, 1);
  if (versionEnd < 0) return { type: 'none', reason: 'server version is not NUL-terminated' };
  const serverVersion = latin1(payload.subarray(1, versionEnd));
  // thread id (4), auth data 1 (8), filler (1), caps low (2), charset (1), status (2), caps high (2), auth data len (1), reserved (10)
  let p = versionEnd + 1 + 4 + 8 + 1 + 2 + 1 + 2 + 2;
  const authLen = payload[p] ?? 0;
  p += 1 + 10 + Math.max(13, authLen - 8);
  const pluginEnd = payload.indexOf(0, p);
  const authPlugin = p < payload.length ? latin1(payload.subarray(p, pluginEnd < 0 ? payload.length : pluginEnd)) : undefined;
  return { type: 'greeting', protocolVersion: 10, serverVersion, ...(authPlugin ? { authPlugin } : {}) };
}
