/**
 * What probes return and checks judge. JSON-safe data (it is stored in results.json and
 * evidence), never secrets. A failed connection is an observation, not an exception.
 * Probes may add fields; these are the ones checks and reporters rely on.
 */

/** The served certificate, as a reader would compare it with the write-up. */
export type CertSummary = {
  /** RFC 4514-ish one line, e.g. "CN=httpbin.example.com, O=httpbin organization". */
  subject: string;
  issuer: string;
  /** DNS and IP SANs without prefix, e.g. ["httpbin.example.com"]. */
  sans: string[];
  validFrom: string;
  validTo: string;
  serialNumber?: string;
  fingerprint256?: string;
  /** The run's certificate with this fingerprint, among those an ingress probe names in `identify`. */
  knownAs?: string;
};

/** One HTTP exchange made by curl inside a pod. */
export type CurlResponse = {
  /** 0 when no HTTP response arrived (curl's %{http_code} 000). */
  status: number;
  headers: Record<string, string>;
  /** Bounded (the probe truncates long bodies and says so). */
  body: string;
  bodyTruncated?: boolean;
  /** curl's exit code and its documented meaning (e.g. 56 "failure in receiving network data"). */
  curlExit: number;
  curlExitMeaning: string;
  /** curl's own error line (stderr), e.g. "curl: (60) SSL: no alternative certificate subject name matches…" */
  curlError?: string;
  remoteIp?: string;
  remotePort?: number;
  timings?: Record<string, number>;
  certificate?: CertSummary;
};

export type HttpObservation = { kind: 'http'; command: string[]; responses: CurlResponse[] };

export type IngressErrorKind =
  | 'refused'
  | 'timeout'
  | 'reset-before-tls'
  | 'name-mismatch'
  | 'unknown-ca'
  | 'bad-signature'
  | 'certificate-required'
  | 'handshake-alert'
  | 'tls-on-plaintext'
  | 'expired'
  | 'other';

/** One request from the host to the ingress gateway (undici). */
export type IngressObservation = {
  kind: 'ingress';
  url: string;
  connectedTo: string;
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  tlsVersion?: string;
  certificate?: CertSummary;
  chain?: CertSummary[];
  error?: { kind: IngressErrorKind; code: string; message: string };
};

/** A Kubernetes object named by a kube probe. */
export type KubeObjectRef = { apiVersion: string; kind: string; name: string; namespace?: string };

/** A pod's identity and start times, as the API server reports them. */
export type PodState = {
  name: string;
  uid: string;
  startTime?: string;
  /** Containers that run (init containers that completed once are left out); startedAt of the current run. */
  containers: { name: string; restartCount: number; startedAt?: string }[];
};

/** Cluster state read through the Kubernetes API (probe.kube). */
export type KubeObservation =
  | { kind: 'kube'; read: 'object'; object: string; exists: boolean }
  | { kind: 'kube'; read: 'pods'; selector: string; pods: PodState[]; since?: { object: string; changedAt?: string } };

export type BrowserObservation = { kind: 'browser'; url: string; status: number; title: string; text: string };

export type TcpOutcome = 'connected' | 'refused' | 'timeout' | 'closed-by-peer' | 'unreachable';
export type MysqlGreeting = { protocolVersion: number; serverVersion: string; authPlugin?: string };
export type TcpObservation = {
  kind: 'tcp';
  /** Which client program the image offered: nc, telnet, or curl telnet://. */
  tool: 'nc' | 'telnet' | 'curl';
  outcome: TcpOutcome;
  /** The peer closed the connection before our read deadline. */
  closedByPeer: boolean;
  bytesReceived: number;
  /** First bytes as hex (bounded), so binary greetings survive JSON. */
  firstBytesHex: string;
  greeting?: MysqlGreeting;
  raw: { exitCode: number; stderr: string };
};

export type TlsObservation = {
  kind: 'tls';
  handshake: 'ok' | 'failed';
  tlsVersion?: string;
  cipher?: string;
  /** e.g. "tlsv13 alert certificate required" */
  alert?: string;
  verifyResult?: { code: number; text: string };
  chain: CertSummary[];
  raw: { exitCode: number; stderr: string };
};

/** `istioctl proxy-config listener` row: ADDRESSES PORT MATCH DESTINATION. */
export type ListenerRow = { address: string; port: number; match: string; destination: string };
export type AccessLogEntry = {
  raw: string;
  method?: string;
  path?: string;
  protocol?: string;
  responseCode: number;
  responseFlags: string[];
  responseCodeDetails?: string;
  upstreamCluster?: string;
  authority?: string;
};
export type EnvoyObservation =
  | { kind: 'envoy'; what: 'stats'; stats: Record<string, number> }
  | { kind: 'envoy'; what: 'listeners'; listeners: ListenerRow[] }
  | { kind: 'envoy'; what: 'access-log'; entries: AccessLogEntry[] }
  | { kind: 'envoy'; what: 'clusters'; clusters: ClusterRow[] };

/**
 * One outbound cluster as the sidecar holds it (config_dump): how it reaches the upstream and the
 * circuit breaker a DestinationRule put on it. `transport` is `tls` (transport_socket: an explicit
 * tls mode), `tls (transport_socket_matches)` (auto mTLS chose per endpoint) or plain text.
 */
export type ClusterRow = { cluster: string; transport: string; sni?: string; alpn?: string[]; maxConnections?: number };

/**
 * Config level (Istio's own code at a release commit, no cluster): one proxy's decision for a
 * probe's call. `computedBy` says whose it is: Istio's traffic simulation, or our reading of the
 * generated config (DNS, iptables capture, which endpoint a cluster picks, the TLS it offers).
 */
export type ConfigHop = {
  proxy: string;
  direction: 'outbound' | 'inbound' | 'gateway' | 'dns' | 'outside';
  listener?: string;
  filterChain?: string;
  routeConfig?: string;
  virtualHost?: string;
  route?: string;
  cluster?: string;
  /** The simulation's named error, e.g. "no filter chains matched", or our own (DNS). */
  error?: string;
  clusterInfo?: {
    name: string;
    type: string;
    tls: 'istio-mtls' | 'auto-mtls' | 'tls' | 'none';
    endpoints: string[] | null;
    circuitBreaker?: Record<string, unknown>;
  };
  /** SDS secrets the matched filter chain serves, e.g. "kubernetes://httpbin-credential". */
  servedSecrets?: string[];
  requiresClientCertificate?: boolean;
  computedBy: 'istio-simulation' | 'casebook-inference';
  note?: string;
};
export type ConfigPathObservation = {
  kind: 'config-path';
  /** Where the client's DNS sends the name, host:port. */
  address?: string;
  resolve: string;
  /** iptables hands the connection to the client's sidecar. */
  captured: boolean;
  hops: ConfigHop[];
};
export type AnalyzerMessage = { code: string; level: string; message: string; resource: string };
export type Rejection = { kind: string; namespace: string; name: string; message: string };
/** Istio's analyzers and validation over the phase's objects (what `istioctl analyze` would say). */
export type AnalysisObservation = { kind: 'analysis'; messages: AnalyzerMessage[]; rejected: Rejection[] };
/**
 * The rules istio-init would install for a workload's pod (Istio's iptables builder, dry run). A
 * workload of several Deployments (flaskapp v1 and v2) has one pod each: the first here, the others
 * in `more`, and an iptables check holds only when it holds for every one.
 */
export type IptablesObservation = {
  kind: 'iptables';
  workload: string;
  /** The Deployment of this pod, when the workload has several. */
  deployment?: string;
  injected: boolean;
  nativeSidecar: boolean;
  rules: string[];
  more?: { deployment: string; injected: boolean; nativeSidecar: boolean; rules: string[] }[];
};

export type ConfigObservation = ConfigPathObservation | AnalysisObservation | IptablesObservation;

export type Observation =
  | HttpObservation
  | IngressObservation
  | BrowserObservation
  | TcpObservation
  | TlsObservation
  | EnvoyObservation
  | KubeObservation
  | ConfigObservation;
