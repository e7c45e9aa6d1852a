import type {
  BrowserProbeSpec,
  EnvoyProbeSpec,
  HttpProbeSpec,
  IngressProbeSpec,
  KubeProbeSpec,
  TcpProbeSpec,
  TlsProbeSpec,
} from './probe-spec.ts';

type Without<T> = Omit<T, 'kind'>;

/** Builders that read like the write-ups: `probe.http({ from: 'curl', url: 'http://httpbin:8000/get' })`. */
export const probe = {
  http: (spec: Without<HttpProbeSpec>): HttpProbeSpec => ({ kind: 'http', ...spec }),
  tcp: (spec: Without<TcpProbeSpec>): TcpProbeSpec => ({ kind: 'tcp', ...spec }),
  tls: (spec: Without<TlsProbeSpec>): TlsProbeSpec => ({ kind: 'tls', ...spec }),
  envoy: (spec: Without<EnvoyProbeSpec>): EnvoyProbeSpec => ({ kind: 'envoy', ...spec }),
  ingress: (spec: Without<IngressProbeSpec>): IngressProbeSpec => ({ kind: 'ingress', ...spec }),
  browser: (spec: Without<BrowserProbeSpec>): BrowserProbeSpec => ({ kind: 'browser', ...spec }),
  /** `probe.kube({ read: 'object', object: { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', name: 'istio' } })` */
  kube: (spec: KubeProbeSpec extends infer K ? (K extends { kind: 'kube' } ? Omit<K, 'kind'> : never) : never): KubeProbeSpec =>
    ({ kind: 'kube', ...spec }) as KubeProbeSpec,
} as const;
