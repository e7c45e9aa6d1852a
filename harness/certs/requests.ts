import type { CertificateRequest, SecretRequest } from '../model/scenario.ts';

/**
 * Certificates and Secrets by role, as plain data: each helper returns the same
 * CertificateRequest or SecretRequest a scenario could write out, so `casebook plan` prints them
 * unchanged. They take the write-up's own values (host, subject, organisation) as arguments.
 */

/** The write-ups' root CA: `openssl req -x509 … -subj '/O=example Inc./CN=example.com'`. */
export const EXAMPLE_CA_SUBJECT = 'O=example Inc.,CN=example.com';

/** That CA, under the name every scenario gives it (`ca: 'example-ca'` in probes and Secrets). */
export const EXAMPLE_CA = { name: 'example-ca', kind: 'ca', subject: EXAMPLE_CA_SUBJECT } as const satisfies CertificateRequest;

export const cert = {
  /** A root CA with this subject. */
  ca: (name: string, subject: string): CertificateRequest => ({ name, kind: 'ca', subject }),
  /**
   * A server certificate for `host` (its common name, and its one DNS name unless `dnsNames` says
   * otherwise), issued by `ca` (default the example CA).
   */
  server: (name: string, host: string, opts: { ca?: string; organization?: string; dnsNames?: string[] } = {}): CertificateRequest => ({
    name,
    kind: 'server',
    ca: opts.ca ?? EXAMPLE_CA.name,
    commonName: host,
    dnsNames: opts.dnsNames ?? [host],
    ...(opts.organization === undefined ? {} : { organization: opts.organization }),
  }),
  /** A client certificate with this common name, issued by `ca` (default the example CA). */
  client: (name: string, commonName: string, opts: { ca?: string } = {}): CertificateRequest => ({
    name,
    kind: 'client',
    ca: opts.ca ?? EXAMPLE_CA.name,
    commonName,
  }),
};

export const secret = {
  /**
   * A gateway credential: a TLS Secret (tls.crt, tls.key) in istio-system, where the ingress
   * gateway reads `credentialName`; with `ca`, also ca.crt, the CA a MUTUAL server verifies clients with.
   */
  credential: (name: string, certificate: string, opts: { ca?: string } = {}): SecretRequest => ({
    name,
    namespace: 'istio-system',
    format: 'tls',
    cert: certificate,
    ...(opts.ca === undefined ? {} : { ca: opts.ca }),
  }),
  /** A TLS Secret in any namespace (a workload mounts it; or a credential put where the gateway does not look). */
  tls: (name: string, namespace: string, certificate: string): SecretRequest => ({ name, namespace, format: 'tls', cert: certificate }),
  /** An Opaque Secret with key, cert (and cacert with `ca`): the generic credential layout. */
  generic: (name: string, namespace: string, certificate: string, opts: { ca?: string } = {}): SecretRequest => ({
    name,
    namespace,
    format: 'generic',
    cert: certificate,
    ...(opts.ca === undefined ? {} : { ca: opts.ca }),
  }),
  /** The CA alone, as `<credential>-cacert` beside a credential (MUTUAL with a split credential). */
  cacert: (name: string, namespace: string, ca: string): SecretRequest => ({ name, namespace, format: 'cacert', ca }),
};
