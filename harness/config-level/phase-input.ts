import type { KubeObject } from '../kube/manifest-objects.ts';
import type { ProbeSpec } from '../model/probe-spec.ts';
import type { Phase, ScenarioDefinition } from '../model/scenario.ts';
import type { PhasePlan, ScenarioPlan } from '../run/plan.ts';
import { substitute } from '../run/resolve-placeholders.ts';

/**
 * One phase as the Go helper reads it (istio-sim/io.go `Input`): the objects a cluster would hold
 * during the phase, the proxies its probes touch and the calls they make. Built from the same plan
 * `casebook plan` prints, so the config level judges exactly what a runtime run would apply.
 */
export type SimCall = {
  probe: string;
  proxy: string;
  host: string;
  port: number;
  protocol: 'tcp' | 'http' | 'http2';
  tls: 'plaintext' | 'tls' | 'mtls';
  sni?: string;
  path?: string;
  hostHeader?: string;
  bypass?: boolean;
};
export type SimProxy = { name: string; kind: 'sidecar' | 'gateway'; workload?: string; namespace?: string };
export type SimPhaseInput = {
  id: string;
  objects: KubeObject[];
  proxies: SimProxy[];
  calls: SimCall[];
  external: Record<string, string>;
};

/** The ingress gateway as the harness names it in config-level observations. */
export const GATEWAY = 'ingressgateway';

/**
 * Addresses the runtime path learns from the cluster: external containers get addresses on the
 * kind network (172.18.0.0/16, Docker's default for a second bridge), Services their ClusterIPs.
 * At config level they are made up once per phase, consistently: what matters to Istio is that
 * they are real, distinct addresses (an empty ClusterIP would read as 0.0.0.0 and fake a
 * wildcard listener).
 */
export function placeholderValues(s: ScenarioDefinition, objects: readonly KubeObject[]): Map<string, string> {
  const values = new Map<string, string>();
  (s.external ?? []).forEach((e, i) => values.set(ph(`external.${e.name}.ip`), `172.18.0.${100 + i}`));
  let n = 10;
  for (const o of objects) {
    if (o.kind !== 'Service') continue;
    const spec = (o as { spec?: { clusterIP?: string } }).spec ?? {};
    const ip = spec.clusterIP && spec.clusterIP !== 'None' ? spec.clusterIP : `10.96.1.${n++}`;
    values.set(ph(`service.${o.metadata.namespace}/${o.metadata.name}.clusterIP`), ip);
  }
  values.set(ph('ingress.http'), 'istio-ingressgateway.istio-system.svc.cluster.local:80');
  values.set(ph('ingress.https'), 'istio-ingressgateway.istio-system.svc.cluster.local:443');
  return values;
}

const ph = (name: string) => `${'$'}{${name}}`;

/** Services get the ClusterIP the placeholders promised, so a `${service…}` in a manifest and the Service agree. */
function withClusterIps(objects: readonly KubeObject[], values: ReadonlyMap<string, string>): KubeObject[] {
  return objects.map((o) => {
    if (o.kind !== 'Service') return o;
    const spec = { ...((o as { spec?: Record<string, unknown> }).spec ?? {}) };
    if (spec['clusterIP'] === 'None') return o;
    spec['clusterIP'] = values.get(ph(`service.${o.metadata.namespace}/${o.metadata.name}.clusterIP`));
    return { ...o, spec } as KubeObject;
  });
}

export function phaseInput(s: ScenarioDefinition, sp: ScenarioPlan, pp: PhasePlan, secrets: readonly KubeObject[]): SimPhaseInput {
  const raw = [
    // As the runner: setup objects (kept for every phase), workloads, mesh-wide policy, then the phase's own.
    ...sp.namespaces,
    ...(sp.setup?.objects ?? []),
    ...sp.workloads.flatMap((w) => w.objects),
    ...sp.meshObjects,
    ...pp.objects,
    ...secrets,
  ];
  const values = placeholderValues(s, raw);
  const objects = substitute(withClusterIps(raw, values), values);
  const phase = s.phases[pp.name as keyof typeof s.phases] as Phase;
  const keys = Object.keys(phase.config?.expect ?? {});
  const proxies = new Map<string, SimProxy>();
  const calls: SimCall[] = [];
  const workloadNs = (name: string) => s.workloads.find((w) => w.name === name)?.namespace;
  const sidecar = (name: string) => {
    const ns = workloadNs(name);
    const manifest = s.workloads.find((w) => w.name === name)?.manifest ?? name;
    if (ns) proxies.set(name, { name, kind: 'sidecar', workload: deploymentName(sp, name, manifest), namespace: ns });
  };
  for (const key of keys) {
    const iptables = /^iptables:(.+)$/.exec(key);
    if (iptables) {
      // A workload of several Deployments (flaskapp v1 and v2): one pod each, `<workload>@<deployment>`, so a fix must hold for every one.
      const name = iptables[1]!;
      const ns = workloadNs(name);
      const deployments = deploymentsOf(sp, name);
      if (deployments.length <= 1 || !ns) sidecar(name);
      else for (const d of deployments) proxies.set(`${name}@${d}`, { name: `${name}@${d}`, kind: 'sidecar', workload: d, namespace: ns });
      continue;
    }
    const spec = s.probes[key];
    if (!spec) continue;
    const call = callFor(key, substitute(spec, values));
    if (spec.kind === 'envoy') sidecar(spec.of);
    else if (spec.kind === 'ingress' || spec.kind === 'browser') proxies.set(GATEWAY, { name: GATEWAY, kind: 'gateway' });
    else if (spec.kind === 'kube')
      continue; // cluster state (a live API read): nothing to simulate
    else sidecar(spec.from);
    if (call) calls.push(call);
  }
  const external: Record<string, string> = {};
  for (const e of s.external ?? []) {
    if (e.kind === 'https-site') external[e.hostname] = values.get(ph(`external.${e.name}.ip`))!;
  }
  return { id: `${s.id}/${pp.name}`, objects, proxies: [...proxies.values()], calls, external };
}

/** Every Deployment of a workload's manifest (the phase may replace them, by the same names). */
function deploymentsOf(sp: ScenarioPlan, workload: string): string[] {
  const w = sp.workloads.find((x) => x.name === workload);
  return (w?.objects ?? []).filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name);
}

/** The Deployment a workload name stands for (its manifest's Deployment). */
function deploymentName(sp: ScenarioPlan, workload: string, manifest: string): string {
  const w = sp.workloads.find((x) => x.name === workload);
  const d = w?.objects.find((o) => o.kind === 'Deployment');
  return d?.metadata.name ?? manifest;
}

/** The call a probe makes, as Istio's simulation takes it. Envoy probes make none. */
export function callFor(probe: string, spec: ProbeSpec): SimCall | undefined {
  switch (spec.kind) {
    case 'tcp':
      return { probe, proxy: spec.from, host: spec.host, port: spec.port, protocol: 'tcp', tls: 'plaintext', ...bypass(spec.container) };
    case 'tls':
      return {
        probe,
        proxy: spec.from,
        host: spec.host,
        port: spec.port,
        protocol: 'tcp',
        tls: 'tls',
        sni: spec.servername ?? spec.host,
        ...bypass(spec.container),
      };
    case 'http': {
      const u = new URL(spec.url);
      const https = u.protocol === 'https:';
      const port = Number(u.port || (https ? 443 : 80));
      // curl --resolve host:port:addr sends the connection to addr, with the URL's host as Host and SNI.
      const resolved = (spec.resolve ?? []).map((r) => r.split(':')).find(([h, p]) => h === u.hostname && Number(p) === port);
      const hostHeader = spec.headers?.['Host'] ?? spec.headers?.['host'] ?? u.host;
      return {
        probe,
        proxy: spec.from,
        host: resolved?.[2] ?? u.hostname,
        port,
        protocol: 'http',
        tls: https ? 'tls' : 'plaintext',
        ...(https ? { sni: u.hostname } : {}),
        path: u.pathname,
        hostHeader: hostHeader.replace(/:\d+$/, ''),
        ...bypass(spec.container),
      };
    }
    case 'ingress': {
      const u = new URL(spec.url);
      const https = u.protocol === 'https:';
      return {
        probe,
        proxy: GATEWAY,
        host: u.hostname,
        port: Number(u.port || (https ? 443 : 80)),
        protocol: 'http',
        tls: https ? 'tls' : 'plaintext',
        ...(https ? { sni: u.hostname } : {}),
        path: u.pathname,
        hostHeader: spec.host ?? u.hostname,
      };
    }
    case 'browser': {
      const https = spec.scheme === 'https';
      // The browser cannot set Host: it asks for the ingress address itself.
      return {
        probe,
        proxy: GATEWAY,
        host: '127.0.0.1',
        port: https ? 443 : 80,
        protocol: 'http',
        tls: https ? 'tls' : 'plaintext',
        path: spec.path,
        hostHeader: '127.0.0.1',
      };
    }
    case 'envoy':
      return undefined;
  }
}

function bypass(container: string | undefined): { bypass?: boolean } {
  return container === 'istio-proxy' ? { bypass: true } : {};
}
