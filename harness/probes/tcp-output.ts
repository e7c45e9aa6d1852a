import type { TcpObservation, TcpOutcome } from '../model/observation.ts';
import { hexToBytes, parseMysqlGreeting } from './mysql-greeting.ts';
import type { TcpTool } from './tcp-command.ts';

export type RawTcpRun = { tool: TcpTool; exitCode: number; bytes: number; hex: string; stderr: string };

export function splitTcpOutput(stdout: string): RawTcpRun | undefined {
  const field = (k: string) => new RegExp(`^${k}=(.*)$`, 'm').exec(stdout)?.[1];
  const tool = field('tool');
  const cut = stdout.indexOf('\nstderr:\n');
  if (tool !== 'nc' && tool !== 'curl' && tool !== 'telnet') return undefined;
  return {
    tool,
    exitCode: Number(field('exit') ?? -1),
    bytes: Number(field('bytes') ?? 0),
    hex: field('hex') ?? '',
    stderr: cut === -1 ? '' : stdout.slice(cut + '\nstderr:\n'.length),
  };
}

/** telnet prints its own banner on stdout before the server's bytes. */
const TELNET_BANNER = /^(?:Trying [^\n]*\n)*(?:Connected to [^\n]*\n)?(?:Escape character is '\^]'\.\r?\n)?/;

/** How the connection ended, from the client's exit code and its own words. */
export function tcpObservation(run: RawTcpRun): TcpObservation {
  let bytes = hexToBytes(run.hex);
  let stdoutText = '';
  if (run.tool === 'telnet') {
    stdoutText = new TextDecoder('latin1').decode(bytes);
    const banner = TELNET_BANNER.exec(stdoutText)?.[0] ?? '';
    bytes = bytes.subarray(banner.length);
  }
  const text = `${run.stderr}\n${stdoutText}`;
  const connectedSaid = /succeeded!|Connected to /.test(text);
  // coreutils `timeout` exits 124 at the deadline; BusyBox's (Alpine images such as the netshoot
  // client: no coreutils) execs the tool and signals it, so the shell sees 128 + SIGTERM = 143.
  const killedAtDeadline = run.tool === 'curl' ? run.exitCode === 28 : run.exitCode === 124 || run.exitCode === 143;
  let outcome: TcpOutcome;
  if (/Connection refused|Couldn't connect to server/i.test(text) && !connectedSaid) outcome = 'refused';
  else if (/No route to host|Network is unreachable|Host is unreachable/i.test(text) && !connectedSaid) outcome = 'unreachable';
  else if (connectedSaid) outcome = killedAtDeadline ? 'connected' : 'closed-by-peer';
  else outcome = 'timeout';
  const telnetBytes = run.tool === 'telnet' ? bytes.length : run.bytes;
  const greeting = parseMysqlGreeting(bytes);
  return {
    kind: 'tcp',
    tool: run.tool,
    outcome,
    closedByPeer: outcome === 'closed-by-peer',
    bytesReceived: telnetBytes,
    firstBytesHex: Buffer.from(bytes.subarray(0, 512)).toString('hex'),
    greeting,
    raw: { exitCode: run.exitCode, stderr: run.stderr.trim() },
  };
}
