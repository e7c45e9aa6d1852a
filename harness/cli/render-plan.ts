import type { KubeObject } from '../kube/manifest-objects.ts';
import type { KubeProbeSpec, ProbeSpec } from '../model/probe-spec.ts';
import type { SecretRequest } from '../model/scenario.ts';
import { citation } from '../model/write-up.ts';
import { runsBeside, type Batch } from '../run/isolation-schedule.ts';
import type { RunPlan } from '../run/plan.ts';

/** `a → b` in sequence; `[(g1 → g2) ‖ n1 ‖ n2]` a batch whose lane and pool scenarios run beside each other. */
function batchText(b: Batch): string {
  if (!runsBeside(b)) return b.ids.join(' → ');
  const lane = b.lane.length > 1 ? `(${b.lane.join(' → ')})` : b.lane.join('');
  return `[${[...(lane ? [lane] : []), ...b.pool].join(' ‖ ')}]`;
}

/** The plan as a reader checks it before a run: cluster, installs, then per scenario and phase. */
export function renderPlan(plan: RunPlan): string[] {
  const out: string[] = [];
  const nodes = plan.cluster.config['nodes'] as {
    extraPortMappings?: { hostPort: number; containerPort: number; listenAddress: string }[];
  }[];
  const ports = (nodes[0]?.extraPortMappings ?? []).map((m) => `${m.listenAddress}:${m.hostPort}→${m.containerPort}`).join(', ');
  out.push(`kind cluster ${plan.cluster.name} (${plan.cluster.nodeImage}), ingress ports ${ports}`);
  for (const v of plan.versions) {
    out.push('', `istio ${v.istio}`);
    for (const i of v.installs) {
      out.push(`  install ${i.hash}: profile ${i.profile}, meshConfig ${JSON.stringify(i.meshConfig)}`);
      out.push(`    istioctl ${i.istioctl.join(' ')}`);
    }
    out.push(`  order: ${v.batches.map(batchText).join(' → ')}`);
    for (const s of v.scenarios) {
      out.push('', `  scenario ${s.id} [${s.isolation}] on install ${s.install}`);
      out.push(`    source: ${citation(s.source)}`);
      if (s.meshPatch) out.push(`    mesh config (istio ConfigMap patch, restored after): ${JSON.stringify(s.meshPatch)}`);
      out.push(
        `    namespaces: ${s.namespaces.map((n) => `${n.metadata.name}${n.metadata.labels?.['istio-injection'] === 'enabled' ? ' (injected)' : ''}`).join(', ')}`,
      );
      if (s.setup) {
        const secrets = s.setup.secrets.map(secretText);
        out.push(
          `    setup, before the workloads and kept for every phase: ${[...secrets, names(s.setup.objects)].filter(Boolean).join(', ')}`,
        );
      }
      for (const w of s.workloads) out.push(`    workload ${w.name} → ${w.namespace}: ${names(w.objects)} (${w.manifest})`);
      if (s.meshObjects.length > 0) out.push(`    mesh-wide: ${names(s.meshObjects)}`);
      for (const p of s.phases) {
        const install = p.install ? `, on install ${p.install}` : '';
        out.push(
          `    phase ${p.name} (${p.intent}, expected ${p.expected}${p.expectedBecause ? ` because ${p.expectedBecause}` : ''}${install})`,
        );
        out.push(`      ${p.summary}`);
        if (p.meshPatch) out.push(`      mesh config for this phase (istio ConfigMap patch): ${JSON.stringify(p.meshPatch)}`);
        if (p.secrets.length > 0) out.push(`      secrets (made at run time, data never shown): ${p.secrets.map(secretText).join(', ')}`);
        out.push(`      apply: ${p.objects.length > 0 ? names(p.objects) : 'nothing'}`);
        for (const probe of p.probes) out.push(`      probe ${probe.name}: ${describeSpec(probe.spec)} → ${probe.check}`);
      }
    }
  }
  return out;
}

/** A generated Secret in words: where, which format, from which certificate; the key is only ever <generated>. */
function secretText(r: SecretRequest): string {
  const keyed = r.format === 'cacert' ? '' : ', key <generated>';
  return `Secret ${r.namespace}/${r.name} (${r.format}${r.cert ? `, cert ${r.cert}` : ''}${r.ca ? `, ca ${r.ca}` : ''}${r.cert ? keyed : ''})`;
}

function names(objects: readonly KubeObject[]): string {
  return objects.map((o) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`).join(', ');
}

function describeSpec(spec: ProbeSpec): string {
  switch (spec.kind) {
    case 'http':
      return `http from ${spec.from}${spec.container ? `/${spec.container}` : ''} ${spec.method ?? 'GET'} ${spec.url}${spec.repeat ? ` ×${spec.repeat}${spec.concurrency ? ` (${spec.concurrency} at once)` : ''}` : ''}`;
    case 'tcp':
      return `tcp from ${spec.from} to ${spec.host}:${spec.port}`;
    case 'tls':
      return `tls from ${spec.from} to ${spec.host}:${spec.port}${spec.servername ? ` (SNI ${spec.servername})` : ''}`;
    case 'envoy':
      return `envoy ${spec.what} of ${spec.of}${spec.filter ? ` (${spec.filter})` : ''}`;
    case 'ingress':
      return `ingress ${spec.url}${spec.host ? ` (Host ${spec.host})` : ''}`;
    case 'browser':
      return `browser ${spec.scheme ?? 'http'} ${spec.path}`;
    case 'kube':
      return describeKube(spec);
  }
}

/** A kube probe in words: what it reads from the Kubernetes API. */
export function describeKube(spec: KubeProbeSpec): string {
  const ref = (r: { kind: string; name: string; namespace?: string }) => `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
  return spec.read === 'object'
    ? `kube: does ${ref(spec.object)} exist`
    : `kube: pods ${spec.selector} in ${spec.namespace}${spec.since ? `, and when ${ref(spec.since)} last changed` : ''}`;
}
