import { formatListenerTable, listenerTable } from '../probes/envoy/listener-table.ts';
import type { ProbeSpec } from '../model/probe-spec.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { callFor, GATEWAY } from './phase-input.ts';
import type { SimHop, SimPhaseOutput } from './run-helper.ts';

/**
 * `casebook explain`: per probe, the path its call takes in each phase, one phase under the
 * other so broken and fixed read against each other, then what else decides it (the listener
 * rows, the iptables lines for the ports involved, the analyzers). Every hop says whose it is:
 * Istio's simulation, or our inference from the generated config.
 */
export function explainLines(
  s: ScenarioDefinition,
  istio: string,
  buildLabel: string,
  phases: readonly string[],
  outputs: ReadonlyMap<string, SimPhaseOutput>,
): string[] {
  const lines: string[] = [`${s.id} on istio ${istio}, computed by Istio's code at ${buildLabel}`, `  ${s.title}`, ''];
  const at = (p: string) => outputs.get(`${s.id}/${p}`);
  const probes = Object.entries(s.probes).filter(([name]) => phases.some((p) => at(p)?.calls.some((c) => c.probe === name)));
  for (const [name, spec] of probes) {
    lines.push(`probe ${name}: ${describeProbe(spec)}`);
    for (const p of phases) {
      const call = at(p)?.calls.find((c) => c.probe === name);
      if (!call) continue;
      lines.push(`  ${p}${call.address ? `  (connects to ${call.address}, name answered by ${call.resolve})` : ''}`);
      for (const h of call.hops) lines.push(`    ${hopLine(h)}`);
    }
    lines.push('');
  }
  const ports = [...new Set(probes.map(([, spec]) => portOf(spec)).filter((x): x is number => x !== undefined))];
  const proxies = [...new Set(phases.flatMap((p) => Object.keys(at(p)?.proxies ?? {})))];
  for (const proxy of proxies) {
    lines.push(`listener rows of ${proxy}${ports.length ? ` on port ${ports.join(', ')}` : ''}`);
    for (const p of phases) {
      const dump = at(p)?.proxies[proxy]?.configDump;
      if (!dump) continue;
      // The gateway listens on its pod ports (8080/8443), not the Service ports the probes name.
      const rows = listenerTable(dump).filter((r) => ports.length === 0 || proxy === GATEWAY || ports.includes(r.port));
      lines.push(`  ${p}:${rows.length === 0 ? ' (none)' : ''}`);
      if (rows.length) for (const l of formatListenerTable(rows).split('\n')) lines.push(`    ${l}`);
    }
    lines.push('');
  }
  const iptables = phases.map((p) => [p, Object.entries(at(p)?.proxies ?? {}).filter(([, x]) => x.iptables?.length)] as const);
  if (iptables.some(([, xs]) => xs.length)) {
    lines.push('iptables (istio-init, dry run): inbound capture and what is left alone');
    for (const [p, xs] of iptables) {
      for (const [proxy, x] of xs) {
        const relevant = (x.iptables ?? []).filter((r) => /ISTIO_INBOUND|ISTIO_OUTPUT .*RETURN|--dport/.test(r));
        lines.push(`  ${p} · ${proxy}:`, ...relevant.slice(0, 12).map((r) => `    ${r}`));
      }
    }
    lines.push('');
  }
  lines.push('analyzers and validation (istioctl analyze, offline)');
  for (const p of phases) {
    const o = at(p);
    if (!o) continue;
    const msgs = [
      ...o.rejected.map((r) => `rejected ${r.kind} ${r.namespace}/${r.name}: ${r.message}`),
      ...o.analysis.map((m) => m.message),
    ];
    lines.push(`  ${p}:${msgs.length === 0 ? ' no messages' : ''}`, ...msgs.map((m) => `    ${m}`));
  }
  lines.push(
    '',
    "Config level: Istio's generated config and its traffic simulation (Envoy's matching); it does not tell TLS from mTLS,",
    'ignores source matching, upstream TLS handshakes and listener-filter timeouts. [casebook] hops are our inference.',
  );
  return lines;
}

function hopLine(h: SimHop): string {
  const who = h.computedBy === 'istio-simulation' ? '[istio]' : '[casebook]';
  const where = `${h.direction}${h.proxy ? `@${h.proxy}` : ''}`;
  const parts: string[] = [];
  if (h.listener) parts.push(`listener ${h.listener}`);
  if (h.filterChain) parts.push(`chain ${h.filterChain}`);
  if (h.routeConfig) parts.push(`route config ${h.routeConfig}`);
  if (h.virtualHost) parts.push(`vhost ${h.virtualHost}`);
  if (h.route) parts.push(`route ${h.route}`);
  if (h.cluster) {
    const ci = h.clusterInfo;
    parts.push(
      `cluster ${h.cluster}${ci ? ` (${ci.type}, tls ${ci.tls}, ${(ci.endpoints ?? []).length} endpoint(s)${(ci.endpoints ?? []).length ? ': ' + ci.endpoints!.slice(0, 3).join(', ') : ''})` : ''}`,
    );
  }
  if (h.servedCertificates?.length) {
    parts.push(
      `serves ${h.servedCertificates.map((c) => `${c.name} ${c.found ? `(${c.subject ?? 'found'})` : '(NOT FOUND by istiod)'}`).join(', ')}`,
    );
  } else if (h.servedSecrets?.length) parts.push(`serves ${h.servedSecrets.join(', ')}`);
  if (h.requiresClientCertificate) parts.push('requires a client certificate');
  const body = parts.join(' → ');
  const err = h.error ? `✗ ${h.error}` : '';
  return `${where.padEnd(28)} ${[body, err].filter(Boolean).join(' ')}${h.note ? ` — ${h.note}` : ''} ${who}`.replace(/\s+\[/, ' [');
}

function describeProbe(spec: ProbeSpec): string {
  switch (spec.kind) {
    case 'tcp':
      return `tcp from ${spec.from} to ${spec.host}:${spec.port}`;
    case 'tls':
      return `TLS from ${spec.from} to ${spec.host}:${spec.port}`;
    case 'http':
      return `${spec.method ?? 'GET'} ${spec.url} from ${spec.from}`;
    case 'ingress':
      return `${spec.url} through the ingress gateway${spec.host ? ` (Host ${spec.host})` : ''}`;
    case 'browser':
      return `a browser opening ${spec.path} on the ingress`;
    case 'envoy':
      return `${spec.of}'s ${spec.what}`;
    case 'kube':
      return spec.read === 'object'
        ? `whether ${spec.object.kind} ${spec.object.name} exists`
        : `the pods ${spec.selector} in ${spec.namespace}`;
  }
}

function portOf(spec: ProbeSpec): number | undefined {
  if (spec.kind === 'envoy') return spec.port;
  return callFor('x', spec)?.port;
}
