import type { AccessLogEntry } from '../../model/observation.ts';

/**
 * Parses the sidecar's access log. Istio's default text format (meshConfig.accessLogFile with
 * the default accessLogFormat; istio/istio pilot/pkg/model/telemetry_logging.go
 * EnvoyTextLogFormat, Istio 1.9 and later) is:
 *
 *   [%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE%
 *   %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS%
 *   "%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED% %BYTES_SENT% %DURATION%
 *   %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%"
 *   "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER_RAW%
 *   %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS%
 *   %REQUESTED_SERVER_NAME% %ROUTE_NAME%
 *
 * TCP connections log `"- - -"` as the request and 0 as the code. With accessLogEncoding JSON
 * each line is an object with the same operators as snake_case keys. Other lines (Envoy's own
 * warnings, pilot-agent logs) are skipped.
 */
export type AccessLogDetail = AccessLogEntry & {
  startTime?: string;
  connectionTerminationDetails?: string;
  upstreamTransportFailureReason?: string;
  bytesReceived?: number;
  bytesSent?: number;
  durationMs?: number;
  requestId?: string;
  upstreamHost?: string;
  downstreamLocalAddress?: string;
  downstreamRemoteAddress?: string;
  requestedServerName?: string;
  routeName?: string;
};

const TOKEN = /\[[^\]]*\]|"[^"]*"|\S+/g;
const unquote = (t: string | undefined) => (t === undefined ? undefined : t.replace(/^"(.*)"$/s, '$1'));
const dash = (t: string | undefined) => {
  const v = unquote(t);
  return v === undefined || v === '-' ? undefined : v;
};
const num = (t: string | undefined) => {
  const v = dash(t);
  return v === undefined || !/^\d+$/.test(v) ? undefined : Number(v);
};

export function parseAccessLogLine(line: string): AccessLogDetail | undefined {
  const trimmed = line.trim();
  if (trimmed.startsWith('{')) return parseJsonLine(trimmed);
  if (!/^\[\d{4}-\d\d-\d\dT[^\]]*\] "/.test(trimmed)) return undefined;
  const t = trimmed.match(TOKEN) ?? [];
  const request = unquote(t[1])?.split(' ') ?? [];
  const code = num(t[2]);
  if (code === undefined) return undefined;
  const entry: AccessLogDetail = {
    raw: trimmed,
    responseCode: code,
    responseFlags: flagsOf(t[3]),
    startTime: t[0]!.slice(1, -1),
  };
  const set = <K extends keyof AccessLogDetail>(k: K, v: AccessLogDetail[K] | undefined) => {
    if (v !== undefined) entry[k] = v;
  };
  set('method', request[0] === '-' ? undefined : request[0]);
  set('path', request[1] === '-' ? undefined : request[1]);
  set('protocol', request[2] === '-' ? undefined : request[2]);
  set('responseCodeDetails', dash(t[4]));
  set('connectionTerminationDetails', dash(t[5]));
  set('upstreamTransportFailureReason', dash(t[6]));
  set('bytesReceived', num(t[7]));
  set('bytesSent', num(t[8]));
  set('durationMs', num(t[9]));
  set('requestId', dash(t[13]));
  set('authority', dash(t[14]));
  set('upstreamHost', dash(t[15]));
  set('upstreamCluster', dash(t[16]));
  set('downstreamLocalAddress', dash(t[18]));
  set('downstreamRemoteAddress', dash(t[19]));
  set('requestedServerName', dash(t[20]));
  set('routeName', dash(t[21]));
  return entry;
}

function flagsOf(token: string | undefined): string[] {
  const v = dash(token);
  return v === undefined ? [] : v.split(',').filter(Boolean);
}

function parseJsonLine(line: string): AccessLogDetail | undefined {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!('response_code' in o)) return undefined;
  const s = (k: string) => {
    const v = o[k];
    return v === null || v === undefined || v === '-' ? undefined : String(v);
  };
  const entry: AccessLogDetail = { raw: line, responseCode: Number(o['response_code'] ?? 0), responseFlags: flagsOf(s('response_flags')) };
  const pairs: [keyof AccessLogDetail, string][] = [
    ['method', 'method'],
    ['path', 'path'],
    ['protocol', 'protocol'],
    ['responseCodeDetails', 'response_code_details'],
    ['connectionTerminationDetails', 'connection_termination_details'],
    ['upstreamTransportFailureReason', 'upstream_transport_failure_reason'],
    ['authority', 'authority'],
    ['upstreamHost', 'upstream_host'],
    ['upstreamCluster', 'upstream_cluster'],
    ['requestId', 'request_id'],
    ['requestedServerName', 'requested_server_name'],
    ['routeName', 'route_name'],
    ['downstreamLocalAddress', 'downstream_local_address'],
    ['downstreamRemoteAddress', 'downstream_remote_address'],
    ['startTime', 'start_time'],
  ];
  for (const [to, from] of pairs) {
    const v = s(from);
    if (v !== undefined) (entry as Record<string, unknown>)[to] = v;
  }
  return entry;
}

/** Access-log entries of a container log, oldest first; `filter` keeps lines containing it (authority, path, cluster). */
export function parseAccessLog(log: string, filter?: string): AccessLogDetail[] {
  const out: AccessLogDetail[] = [];
  for (const line of log.split('\n')) {
    const e = parseAccessLogLine(line);
    if (e && (filter === undefined || e.raw.includes(filter))) out.push(e);
  }
  return out;
}
