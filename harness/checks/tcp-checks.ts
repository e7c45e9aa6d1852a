import type { Check } from '../model/check.ts';
import type { TcpObservation } from '../model/observation.ts';
import { kindCheck, result } from './describe.ts';

/** What happened on the wire, in the words a telnet user would use. */
export function describeTcp(o: TcpObservation): string {
  const greeting = o.greeting
    ? `, MySQL greeting (protocol ${o.greeting.protocolVersion}, server ${JSON.stringify(o.greeting.serverVersion)})`
    : '';
  const err = o.raw.stderr.trim() ? `; ${o.tool}: ${JSON.stringify(o.raw.stderr.trim().split('\n').slice(-2).join(' '))}` : '';
  return `${o.outcome}${o.closedByPeer ? ' (closed by peer)' : ''}, ${o.bytesReceived} byte(s) received${greeting}${err}`;
}

function tcpCheck(name: string, expected: string, judge: (o: TcpObservation) => boolean): Check<TcpObservation> {
  return kindCheck(name, ['tcp'], (o: TcpObservation) => result(judge(o), `expected ${expected}, got ${describeTcp(o)}`));
}

/** The TCP handshake completed (whatever came after: a greeting, silence, or a close). */
export const connected = (): Check<TcpObservation> =>
  tcpCheck('connected()', 'a TCP connection', (o) => o.outcome === 'connected' || o.outcome === 'closed-by-peer');

export const refused = (): Check<TcpObservation> => tcpCheck('refused()', 'connection refused', (o) => o.outcome === 'refused');

export const timedOut = (): Check<TcpObservation> => tcpCheck('timedOut()', 'a connect timeout', (o) => o.outcome === 'timeout');

export const greeting = (protocol: 'mysql'): Check<TcpObservation> =>
  tcpCheck(`greeting(${JSON.stringify(protocol)})`, 'a MySQL server greeting (protocol 10)', (o) => o.greeting?.protocolVersion === 10);

/**
 * Accepted, then closed by the peer before sending a single byte: what a sidecar's wildcard
 * listener does when its cluster has no endpoint (tcp_proxy closes at once, flag UH).
 */
export const closedWithoutGreeting = (): Check<TcpObservation> =>
  tcpCheck(
    'closedWithoutGreeting()',
    'a connection closed by the peer without any byte',
    (o) => o.outcome === 'closed-by-peer' && o.bytesReceived === 0,
  );

/**
 * Connected, then nothing: the connection is still open at the read deadline and not one byte
 * arrived. A server-first protocol (MySQL sends its greeting before the client says anything)
 * stalled by something that waits for the client to speak first, such as protocol sniffing.
 * Not `timedOut()`, which is a connect that never completed.
 */
export const silent = (): Check<TcpObservation> =>
  tcpCheck(
    'silent()',
    'a connection still open at the read deadline with no byte received',
    (o) => o.outcome === 'connected' && o.bytesReceived === 0,
  );
