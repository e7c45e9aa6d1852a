import { hexToBytes, parseMysqlFirstPacket } from './mysql-greeting.ts';

/**
 * Proof that an external service answers before any phase runs, from a client on the same
 * network: otherwise a service that never came up would look exactly like a reproduced
 * incident (no greeting, a failed handshake).
 */
export type ReachabilityTarget =
  | { kind: 'https-site'; name: string; ip: string; port: number; hostname: string; body: string; caPath: string }
  | { kind: 'mysql'; name: string; ip: string; port: number };

export type CommandResult = { exitCode: number; stdout: string; stderr: string };
export type RunInClient = (command: string[]) => Promise<CommandResult>;

export type Reachability = { name: string; ok: boolean; message: string; command: string[]; attempts: number };

const STATUS_MARK = '\n__casebook_http_status=';

export function reachabilityCommand(t: ReachabilityTarget): string[] {
  if (t.kind === 'https-site') {
    // --resolve pins the name to the container IP, as the scenario probes do; -v prints the served certificate.
    return ['curl', '-sS', '-v', '--max-time', '10', '--resolve', `${t.hostname}:${t.port}:${t.ip}`,
      '--cacert', t.caPath, '-w', `${STATUS_MARK}%{http_code}`, `https://${t.hostname}:${t.port}/`];
  }
  // Read what the server sends first; the greeting comes before any client byte.
  return ['sh', '-c', `nc -w 3 ${t.ip} ${t.port} </dev/null | od -An -tx1 -v`];
}

export function judgeReachability(t: ReachabilityTarget, r: CommandResult): { ok: boolean; message: string } {
  return t.kind === 'https-site' ? judgeHttps(t, r) : judgeMysql(t, r);
}

function judgeHttps(t: Extract<ReachabilityTarget, { kind: 'https-site' }>, r: CommandResult): { ok: boolean; message: string } {
  const at = r.stdout.lastIndexOf(STATUS_MARK);
  const body = at >= 0 ? r.stdout.slice(0, at) : r.stdout;
  const status = at >= 0 ? Number(r.stdout.slice(at + STATUS_MARK.length).trim()) : 0;
  const subject = /^\*\s+subject:\s*(.+)$/m.exec(r.stderr)?.[1]?.trim();
  const curlError = /^curl: \(\d+\).*$/m.exec(r.stderr)?.[0];
  const expected = `curl exit 0, status 200, certificate for ${t.hostname} verified by the run's CA, body ${JSON.stringify(clip(t.body))}`;
  const got = `curl exit ${r.exitCode}, status ${status}, subject ${subject ?? '(none)'}, body ${JSON.stringify(clip(body))}` +
    (curlError ? `; ${curlError}` : '');
  // With --cacert and no -k, exit 0 means the chain AND the host name verified.
  const ok = r.exitCode === 0 && status === 200 && body === t.body;
  return { ok, message: `https site ${t.name} (${t.hostname} at ${t.ip}:${t.port}): expected ${expected}, got ${got}` };
}

function judgeMysql(t: Extract<ReachabilityTarget, { kind: 'mysql' }>, r: CommandResult): { ok: boolean; message: string } {
  const packet = parseMysqlFirstPacket(hexToBytes(r.stdout));
  const where = `mysql ${t.name} at ${t.ip}:${t.port}`;
  if (packet.type === 'greeting') {
    return { ok: true, message: `${where}: expected a protocol 10 greeting, got one: server ${packet.serverVersion}${packet.authPlugin ? `, auth ${packet.authPlugin}` : ''}` };
  }
  const got = packet.type === 'error' ? `error packet ${packet.code} "${packet.message}"` : `no greeting (${packet.reason}; nc exit ${r.exitCode}${r.stderr.trim() ? `: ${r.stderr.trim()}` : ''})`;
  return { ok: false, message: `${where}: expected a protocol 10 greeting, got ${got}` };
}

function clip(s: string, n = 80): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

/** Retries briefly: a port can listen a moment before the server answers. */
export async function checkReachable(run: RunInClient, t: ReachabilityTarget,
  opts: { attempts?: number; intervalMs?: number } = {}): Promise<Reachability> {
  const attempts = opts.attempts ?? 5;
  const command = reachabilityCommand(t);
  let last = { ok: false, message: 'not tried' };
  for (let i = 1; i <= attempts; i++) {
    last = judgeReachability(t, await run(command));
    if (last.ok) return { name: t.name, ...last, command, attempts: i };
    if (i < attempts) await new Promise((res) => setTimeout(res, opts.intervalMs ?? 1000));
  }
  return { name: t.name, ...last, command, attempts };
}
