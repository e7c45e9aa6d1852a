/**
 * Probe specifications: plain data, so `casebook plan` can print them and the runner can resolve
 * placeholders before running them. Probes (harness/probes) turn a spec into an observation.
 *
 * Placeholders, resolved by the runner just before a phase runs (strings in specs and manifests):
 *   ${external.<name>.ip}          IP of an external service on the kind network (testcontainers)
 *   ${service.<ns>/<name>.clusterIP} ClusterIP of a Kubernetes Service, read from the cluster
 *   ${ingress.http} / ${ingress.https}  host:port of the ingress gateway as seen from the host
 *   ${ca.<name>.pem-path}          path (host or container) of a CA file made by the run's cert factory
 */
export type ProbeKind = 'http' | 'tcp' | 'tls' | 'envoy' | 'ingress' | 'browser' | 'kube';

/** A workload running a command: the client side of in-mesh probes. */
export type FromWorkload = {
  /** Workload name as declared in the scenario's `workloads`. */
  from: string;
  /** Container to exec into; default the workload's main container. `istio-proxy` bypasses capture (uid 1337). */
  container?: string;
};

/** curl inside a pod. */
export type HttpProbeSpec = FromWorkload & {
  kind: 'http';
  url: string;
  method?: string;
  headers?: Record<string, string>;
  /** curl --resolve host:port:addr entries. */
  resolve?: string[];
  /** Path of a CA file inside the client container (curl --cacert). */
  cacert?: string;
  /** curl -k */
  insecure?: boolean;
  /** curl --max-time, in ms. */
  timeoutMs?: number;
  /** Send this many requests per attempt (e.g. to see both v1 and v2); checks see every response. */
  repeat?: number;
  /** Send `repeat` requests with this many in flight at once (circuit-breaker load). */
  concurrency?: number;
};

/** Connect, read what the server sends first, report how the connection ended. */
export type TcpProbeSpec = FromWorkload & {
  kind: 'tcp';
  host: string;
  port: number;
  /** How long to wait for the first bytes, in ms. */
  readTimeoutMs?: number;
};

/** openssl s_client-like handshake from a pod. */
export type TlsProbeSpec = FromWorkload & {
  kind: 'tls';
  host: string;
  port: number;
  servername?: string;
  cacert?: string;
  cert?: string;
  key?: string;
};

/** Read the state of a workload's sidecar. */
export type EnvoyProbeSpec = {
  kind: 'envoy';
  /** Workload whose istio-proxy is read. */
  of: string;
  what: 'stats' | 'listeners' | 'access-log' | 'clusters';
  /** stats: substring or regex source filter; access-log: only lines for this authority/path; clusters: substring of the cluster name. */
  filter?: string;
  /** listeners: only this port. */
  port?: number;
};

/** HTTP(S) from the host to the ingress gateway (undici), curl --resolve semantics. */
export type IngressProbeSpec = {
  kind: 'ingress';
  /** URL as the user types it, e.g. https://httpbin.example.com/status/418; connects to the ingress address. */
  url: string;
  /** Explicit Host header when it differs from the URL host. */
  host?: string;
  /** Name of a CA made by the run's cert factory (verify the served chain against it). */
  ca?: string;
  /** Name of a client certificate made by the run's cert factory (mutual TLS). */
  clientCert?: string;
  /**
   * Names of certificates made by the run: the served leaf whose SHA-256 fingerprint equals one
   * of theirs is recorded as `certificate.knownAs` (check.certIs), so a check can tell
   * one certificate from another with the same subject and issuer (a rotation).
   */
  identify?: string[];
  timeoutMs?: number;
};

/** A real browser (Playwright + Chromium) opening a page through the ingress. */
export type BrowserProbeSpec = {
  kind: 'browser';
  /** Path on the ingress, e.g. /headers. The browser cannot set Host: it uses the ingress address. */
  path: string;
  scheme?: 'http' | 'https';
};

/**
 * Cluster state through the Kubernetes API: whether an object exists (a precondition such as "no
 * IngressClass istio"), or the pods of a selector with their start times, and when `since`
 * last changed (a gateway that must not restart when its Secret is replaced).
 */
export type KubeProbeSpec =
  | { kind: 'kube'; read: 'object'; object: { apiVersion: string; kind: string; name: string; namespace?: string } }
  | {
      kind: 'kube';
      read: 'pods';
      namespace: string;
      selector: string;
      since?: { apiVersion: string; kind: string; name: string; namespace?: string };
    };

export type ProbeSpec = HttpProbeSpec | TcpProbeSpec | TlsProbeSpec | EnvoyProbeSpec | IngressProbeSpec | BrowserProbeSpec | KubeProbeSpec;
