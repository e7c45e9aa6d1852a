import type { TcpProbeSpec } from '../model/probe-spec.ts';
import { shq, TEMP_DIR_LINE } from './context.ts';

export type TcpTool = 'nc' | 'curl' | 'telnet';
export const DEFAULT_TCP_READ_TIMEOUT_MS = 3_000;
/** Bytes of the server's first output kept (as hex); a MySQL greeting is about 100. */
export const MAX_TCP_BYTES = 4096;

/**
 * One `sh -c` script: connect, keep the connection open without sending anything, and record what
 * the server sends until the deadline. The deadline covers connect and read together; `timeout`
 * (or curl --max-time) ends a connection still open at the deadline, which is how we tell
 * "open, server silent or done talking" (killed: exit 124, 143 with BusyBox's timeout, curl 28)
 * from "closed by the peer" (the client exits by itself before the deadline).
 *
 * Tools, in order of preference (each is detected in the image):
 *  - nc: OpenBSD netcat (`-d` do not read stdin, `-v` says when the connection succeeded);
 *  - curl telnet://: in every curl image; `-v` says "Connected to";
 *  - telnet: prints "Connected to" / "Connection closed by foreign host."; needs stdin kept open.
 * curl and telnet speak the telnet protocol and drop 0xff bytes from binary greetings.
 */
export function tcpScript(spec: TcpProbeSpec, force?: TcpTool): string {
  const seconds = Math.max(1, Math.ceil((spec.readTimeoutMs ?? DEFAULT_TCP_READ_TIMEOUT_MS) / 1000));
  const host = shq(spec.host);
  const port = shq(String(spec.port));
  const run: Record<TcpTool, string> = {
    nc: `timeout ${seconds} nc -d -v -w ${seconds + 30} ${host} ${port} >"$d/o" 2>"$d/e"`,
    curl: `curl -sS -v --max-time ${seconds} telnet://${host}:${port} </dev/null >"$d/o" 2>"$d/e"`,
    telnet: `sleep ${seconds + 1} | timeout ${seconds} telnet ${host} ${port} >"$d/o" 2>"$d/e"`,
  };
  const detect: Record<TcpTool, string> = {
    nc: `nc -h 2>&1 | grep -q OpenBSD`,
    curl: `command -v curl >/dev/null 2>&1`,
    telnet: `command -v telnet >/dev/null 2>&1`,
  };
  const order: TcpTool[] = force ? [force] : ['nc', 'curl', 'telnet'];
  const branches = order.map((t, i) => `${i === 0 ? 'if' : 'elif'} ${detect[t]}; then tool=${t}; ${run[t]}; rc=$?`).join('\n');
  return [
    TEMP_DIR_LINE,
    branches,
    `else echo "no client for a TCP probe in this image (wanted: ${order.join(', ')})" >&2; rm -rf "$d"; exit 97; fi`,
    'echo "tool=$tool"',
    'echo "exit=$rc"',
    'echo "bytes=$(wc -c <"$d/o" | tr -d " ")"',
    `echo "hex=$(head -c ${MAX_TCP_BYTES} "$d/o" | od -An -v -tx1 | tr -d ' \\n')"`,
    'echo "stderr:"',
    'cat "$d/e"',
    'rm -rf "$d"',
  ].join('\n');
}
