import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import type { IngressObservation } from '../../model/observation.ts';
import type { IngressProbeSpec } from '../../model/probe-spec.ts';
import type { CertStore } from '../../certs/cert-store.ts';
import { ingressRequest, type IngressResult } from './ingress-request.ts';

/** Where the host reaches the ingress gateway (see resolveIngressAddress). */
export type IngressAddress = { host: string; httpPort: number; httpsPort: number };

export type IngressContext = { address: IngressAddress; certs: CertStore };

/**
 * The ingress probe: the request the write-up makes with
 * `curl -HHost:<host> --resolve <host>:<port>:<ingress> --cacert … --cert … --key … <url>`.
 * A URL naming a host goes to the gateway's http or https port with that host as SNI and Host
 * (without a port, like the docs' -HHost); a URL already naming an IP (a resolved
 * `${ingress.https}` placeholder) is used as is.
 */
export async function observeIngress(spec: IngressProbeSpec, ctx: IngressContext): Promise<IngressObservation> {
  const url = new URL(spec.url);
  const tls = url.protocol === 'https:';
  const literal = isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0;
  const connectTo = literal ? undefined : { host: ctx.address.host, port: tls ? ctx.address.httpsPort : ctx.address.httpPort };
  const host = spec.host ?? (literal ? url.host : url.hostname);
  const client =
    spec.clientCert === undefined
      ? {}
      : {
          cert: ctx.certs.get(spec.clientCert).certPem,
          key: ctx.certs.keyPem(spec.clientCert),
        };
  const result: IngressResult = await ingressRequest({
    url: spec.url,
    connectTo,
    headers: { host },
    ca: spec.ca === undefined ? undefined : ctx.certs.get(spec.ca).certPem,
    ...client,
    timeoutMs: spec.timeoutMs,
  });
  // The raw handshake is kept out of the observation: it is evidence of how the error was
  // classified, already summarised in error.code and error.message.
  const { handshake: _handshake, ...observation } = result;
  return identifyLeaf(observation, spec.identify ?? [], ctx.certs);
}

/** Names the served leaf after the run's certificate with the same SHA-256 fingerprint, if one of `names` has it. */
export function identifyLeaf(o: IngressObservation, names: readonly string[], certs: Pick<CertStore, 'get'>): IngressObservation {
  const served = o.certificate?.fingerprint256;
  if (!o.certificate || served === undefined) return o;
  const known = names.find((n) => new X509Certificate(certs.get(n).certPem).fingerprint256 === served);
  return known === undefined ? o : { ...o, certificate: { ...o.certificate, knownAs: known } };
}
