import { EVIDENCE_KINDS } from '../model/evidence-kinds.ts';
import type { ExecTarget, ExecTransport } from '../model/exec.ts';
import type { AccessLogEntry } from '../model/observation.ts';
import type { EvidenceRef, ProbeResult } from '../model/results.ts';
import { parseAccessLog } from '../probes/envoy/access-log.ts';
import { clusterTlsTable, formatClusterTls } from '../probes/envoy/cluster-tls.ts';
import { formatListenerTable, listenerTable } from '../probes/envoy/listener-table.ts';
import { writePhaseEvidence, type EvidenceItem } from './phase-evidence.ts';

/** What the phase runner hands over after the checks settled (harness/run/scenario-deps.ts names it EvidenceRequest). */
export type EvidenceCollectionRequest = {
  scenario: { id: string };
  phase: string;
  istio: string;
  probes: ProbeResult[];
  /**
   * The phase's `evidence` entries:
   *   listeners:<workload>[:<port>]   listener table of the workload's sidecar (istioctl's columns)
   *   access-log:<workload>           the sidecar's access-log lines, parsed
   *   cluster-tls:<workload>          each outbound cluster's transport socket (TLS or plain text)
   *   istio-init:<workload>           the istio-init container's log: the iptables rules istio-iptables wrote
   *   served-certificate:<probe>      the certificate(s) the probe's server presented
   *   gateway-config | gateway-log | gateway-secrets   the ingress gateway's listeners and routes, log, certificates
   */
  requested: string[];
  transport: ExecTransport;
  namespaceOf(workload: string): string;
  /** The verdict was not the expected one: also keep each client sidecar's listener table and log. */
  unexpected: boolean;
};

const GATEWAY: ExecTarget = { workload: 'istio-ingressgateway', namespace: 'istio-system', container: 'istio-proxy' };
const LOG_TAIL = 300;

/**
 * Collects what a phase asked for and writes the bundle. A piece that cannot be collected becomes
 * a line in `collection-errors.txt`, not a failure: evidence explains a verdict, it never makes one.
 */
export function createEvidenceCollector(opts: { reportDir: string }) {
  return async function collectEvidence(req: EvidenceCollectionRequest): Promise<EvidenceRef[]> {
    const items: EvidenceItem[] = [];
    const errors: string[] = [];
    const wanted = new Set(req.requested);
    if (req.unexpected) {
      for (const p of req.probes) {
        const from = (p.spec as { from?: string }).from;
        if (from && (p.spec.kind === 'http' || p.spec.kind === 'tcp' || p.spec.kind === 'tls')) {
          wanted.add(`listeners:${from}`);
          wanted.add(`access-log:${from}`);
        }
      }
    }
    const sidecar = (workload: string): ExecTarget => ({ workload, namespace: req.namespaceOf(workload), container: 'istio-proxy' });
    for (const entry of wanted) {
      const [what, arg, port] = entry.split(':');
      try {
        switch (what) {
          case 'listeners':
            items.push(await listenersItem(req.transport, sidecar(arg!), entry, port === undefined ? undefined : Number(port)));
            break;
          case 'access-log':
            items.push(await accessLogItem(req.transport, sidecar(arg!), entry));
            break;
          case 'cluster-tls':
            items.push(await clusterTlsItem(req.transport, sidecar(arg!), entry));
            break;
          case 'istio-init': {
            // No CNI in casebook's mesh profile: the init container programs the pod's iptables and prints them.
            const target: ExecTarget = { workload: arg!, namespace: req.namespaceOf(arg!), container: 'istio-init' };
            items.push({
              name: entry,
              fileName: `istio-init-${arg}.txt`,
              contentType: 'text/plain',
              content: await req.transport.logs(target),
            });
            break;
          }
          case 'served-certificate':
            items.push(servedCertificateItem(req.probes, arg!, entry));
            break;
          case 'gateway-config':
            items.push(await listenersItem(req.transport, GATEWAY, entry));
            items.push(
              await adminItem(
                req.transport,
                GATEWAY,
                'config_dump?resource=dynamic_route_configs',
                `${entry} routes`,
                'gateway-routes.json',
              ),
            );
            break;
          case 'gateway-log':
            items.push({
              name: entry,
              fileName: 'gateway-log.txt',
              contentType: 'text/plain',
              content: await req.transport.logs(GATEWAY, { tailLines: LOG_TAIL }),
            });
            break;
          case 'gateway-secrets':
            // Envoy's /certs lists certificates (subjects, SANs, validity), never keys.
            items.push(await adminItem(req.transport, GATEWAY, 'certs', entry, 'gateway-certs.json'));
            break;
          default:
            errors.push(`${entry}: unknown evidence kind (known: ${EVIDENCE_KINDS.join(', ')})`);
        }
      } catch (e) {
        errors.push(`${entry}: ${(e as Error).message}`);
      }
    }
    if (errors.length > 0)
      items.push({
        name: 'collection errors',
        fileName: 'collection-errors.txt',
        contentType: 'text/plain',
        content: `${errors.join('\n')}\n`,
      });
    return writePhaseEvidence(opts.reportDir, { scenario: req.scenario.id, phase: req.phase, istio: req.istio, probes: req.probes, items });
  };
}

async function configDump(transport: ExecTransport, target: ExecTarget, path = 'config_dump'): Promise<unknown> {
  const r = await transport.exec(target, ['pilot-agent', 'request', 'GET', path], { timeoutMs: 60_000 });
  if (r.exitCode !== 0) throw new Error(`pilot-agent request GET ${path} exited ${r.exitCode}: ${r.stderr.trim().slice(0, 200)}`);
  return JSON.parse(r.stdout);
}

async function listenersItem(transport: ExecTransport, target: ExecTarget, entry: string, port?: number): Promise<EvidenceItem> {
  const rows = listenerTable(await configDump(transport, target), port === undefined ? {} : { port });
  return {
    name: entry,
    fileName: `listeners-${target.workload}${port === undefined ? '' : `-${port}`}.txt`,
    contentType: 'text/plain',
    content: formatListenerTable(rows),
  };
}

async function accessLogItem(transport: ExecTransport, target: ExecTarget, entry: string): Promise<EvidenceItem> {
  const entries = parseAccessLog(await transport.logs(target, { tailLines: LOG_TAIL }));
  return { name: entry, fileName: `access-log-${target.workload}.txt`, contentType: 'text/plain', content: formatAccessLog(entries) };
}

async function clusterTlsItem(transport: ExecTransport, target: ExecTarget, entry: string): Promise<EvidenceItem> {
  const rows = clusterTlsTable(await configDump(transport, target, 'config_dump?resource=dynamic_active_clusters'));
  return { name: entry, fileName: `cluster-tls-${target.workload}.txt`, contentType: 'text/plain', content: formatClusterTls(rows) };
}

async function adminItem(
  transport: ExecTransport,
  target: ExecTarget,
  path: string,
  name: string,
  fileName: string,
): Promise<EvidenceItem> {
  return { name, fileName, contentType: 'application/json', content: JSON.stringify(await configDump(transport, target, path), null, 2) };
}

function servedCertificateItem(probes: ProbeResult[], probe: string, entry: string): EvidenceItem {
  const p = probes.find((x) => x.probe === probe);
  if (!p) throw new Error(`no probe named ${probe} ran in this phase`);
  const last = [...p.attempts].reverse().find((a) => a.observation !== undefined)?.observation as Record<string, unknown> | undefined;
  const certs =
    last?.['kind'] === 'http'
      ? (last['responses'] as { certificate?: unknown }[]).map((r) => r.certificate)
      : last?.['kind'] === 'tls'
        ? last['chain']
        : last?.['kind'] === 'ingress'
          ? (last['chain'] ?? [last['certificate']])
          : undefined;
  if (certs === undefined) throw new Error(`probe ${probe} has no observation with a certificate`);
  return {
    name: entry,
    fileName: `served-certificate-${probe}.json`,
    contentType: 'application/json',
    content: JSON.stringify(certs, null, 2),
  };
}

/** Access-log evidence: each raw line, then the fields a reader looks for. */
export function formatAccessLog(entries: readonly AccessLogEntry[]): string {
  if (entries.length === 0) return '(no access-log lines)\n';
  return (
    entries
      .map((e) =>
        [
          e.raw,
          `    code ${e.responseCode}  flags ${e.responseFlags.join(',') || '-'}  details ${e.responseCodeDetails ?? '-'}  cluster ${e.upstreamCluster ?? '-'}  authority ${e.authority ?? '-'}`,
        ].join('\n'),
      )
      .join('\n') + '\n'
  );
}
