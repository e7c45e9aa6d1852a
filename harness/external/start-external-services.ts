import type { CertStore, StoredCert } from '../certs/cert-store.ts';
import { InfrastructureError, UsageError } from '../model/errors.ts';
import type { HttpObservation, TcpObservation } from '../model/observation.ts';
import type { ExternalServiceRef } from '../model/scenario.ts';
import { chooseCleanupMode, type CleanupDecision } from './cleanup-mode.ts';
import { dockerRuntime, requireNetwork } from './docker-runtime.ts';
import { ensureImages } from './ensure-images.ts';
import { HttpsSiteContainer, type StartedHttpsSite } from './https-site-container.ts';
import { imagesFor, imagesNeeded } from './images.ts';
import { findLabelled, removeResources, type Docker } from './labelled-resources.ts';
import { labelsFor } from './labels.ts';
import { ExternalMysqlContainer, type StartedExternalMysql } from './mysql-container.ts';
import { clientContainerName, serviceContainerName, siteCertName } from './naming.ts';
import { caPathInClient, ProbeClientContainer } from './probe-client-container.ts';
import { createDockerTransport } from './docker-transport.ts';
import { observe as observeProbe } from '../probes/observe.ts';
import { checkReachable, REACHABILITY_CLIENT, type ObserveFn, type Reachability, type ReachabilityTarget } from './reachability.ts';
import { problemsWithRefs } from './validate-refs.ts';

export type ExternalServicesOptions = {
  /** Docker network the services join: `kind` in real runs. */
  network: string;
  /** The run's certificates; sites get a server certificate from `ref.ca` or DEFAULT_EXTERNAL_CA. */
  certs: CertStore;
  runId: string;
  /** Use the lab's Debian toolbox image instead of upstream nginx/mysql/curl. */
  offlineImages: boolean;
  log?: (line: string) => void;
};

export type StartedExternalService = {
  name: string;
  kind: ExternalServiceRef['kind'];
  ip: string;
  port: number;
  containerName: string;
  /** https-site only: the name it serves and the cert store names of its certificate and CA. */
  hostname?: string;
  certName?: string;
  caName?: string;
};

export type ExternalServices = {
  /** IP on the services' network (`${external.<name>.ip}`); UsageError for an undeclared name. */
  ipOf(name: string): string;
  readonly services: readonly StartedExternalService[];
  readonly reachability: readonly Reachability[];
  readonly cleanup: CleanupDecision;
  /** Stops and removes every container of these services; safe to call twice; run it in `finally`. */
  stop(): Promise<void>;
};

/** CA used for sites whose ref names none; created in the store on first use. */
export const DEFAULT_EXTERNAL_CA = 'external-ca';
const DEFAULT_EXTERNAL_CA_SUBJECT = 'O=istio-casebook,CN=casebook external sites CA';
const EXTERNAL_ROLES = new Set(['external-https-site', 'external-mysql', 'probe-client']);

type Running = { ref: ExternalServiceRef; containerName: string; started: StartedHttpsSite | StartedExternalMysql };

/**
 * Starts the services a scenario declares outside the mesh, proves each one answers from a
 * client on the same network, and returns their IPs on that network. On any failure everything
 * already started is removed before the error propagates.
 */
export async function startExternalServices(refs: readonly ExternalServiceRef[], opts: ExternalServicesOptions): Promise<ExternalServices> {
  const problems = problemsWithRefs(refs);
  if (problems.length > 0) throw new UsageError(problems.join('\n'), 'fix the `external` list of the scenario');
  const log = opts.log ?? (() => {});
  if (refs.length === 0) return handle([], [], { mode: 'own', reason: 'no external services' }, async () => {});

  const client = await dockerRuntime();
  const docker = client.container.dockerode;
  await requireNetwork(docker, opts.network);
  const cleanup = await chooseCleanupMode(client, { offline: opts.offlineImages });
  log(`external services: cleanup by ${cleanup.mode} (${cleanup.reason})`);
  await ensureImages(
    client,
    imagesNeeded(
      refs.map((r) => r.kind),
      opts.offlineImages,
    ),
    { offline: opts.offlineImages },
  );

  const running: Running[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= stopAll(docker, opts.runId, running, log));

  try {
    // Certificates first and one at a time: sites may share a CA that must exist once.
    const certs = new Map<string, StoredCert>();
    for (const ref of refs) if (ref.kind === 'https-site') certs.set(ref.name, await siteCertificate(ref, opts.certs));
    const outcomes = await Promise.allSettled(
      refs.map(async (ref) => {
        const containerName = serviceContainerName(opts.runId, ref.name);
        const started = await startOne(ref, containerName, certs.get(ref.name), opts);
        running.push({ ref, containerName, started });
        log(`external ${ref.kind} ${ref.name} is up at ${started.ip} on ${opts.network}`);
      }),
    );
    const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as Error] : []));
    if (failures.length > 0) {
      throw failures.length === 1
        ? failures[0]!
        : new InfrastructureError(
            failures.map((f) => f.message).join('\n'),
            'check the images and the output above; `casebook clean` removes anything left behind',
          );
    }
    const ordered = refs.map((ref) => running.find((r) => r.ref === ref)!);
    const reachability = await proveReachable(ordered, opts);
    return handle(ordered.map(describe), reachability, cleanup, stop);
  } catch (err) {
    await stop().catch((stopErr: Error) => log(`cleanup after a failed start: ${stopErr.message}`));
    throw err;
  }
}

async function startOne(
  ref: ExternalServiceRef,
  containerName: string,
  cert: StoredCert | undefined,
  opts: ExternalServicesOptions,
): Promise<StartedHttpsSite | StartedExternalMysql> {
  const images = imagesFor(opts.offlineImages);
  if (ref.kind === 'mysql') {
    return new ExternalMysqlContainer(images.mysql, opts.offlineImages ? 'toolbox-mariadb' : 'mysql-image')
      .withNetwork(opts.network)
      .withName(containerName)
      .withLabels(labelsFor(opts.runId, 'external-mysql'))
      .start();
  }
  return new HttpsSiteContainer(images.https)
    .withNetwork(opts.network)
    .withName(containerName)
    .withLabels(labelsFor(opts.runId, 'external-https-site'))
    .withHostname(ref.hostname)
    .withBody(ref.body)
    .withCertificate(cert!)
    .start();
}

async function siteCertificate(ref: Extract<ExternalServiceRef, { kind: 'https-site' }>, certs: CertStore): Promise<StoredCert> {
  const name = siteCertName(ref.name);
  if (certs.has(name)) return certs.get(name);
  const ca = ref.ca ?? DEFAULT_EXTERNAL_CA;
  if (ref.ca === undefined && !certs.has(ca)) await certs.ca(ca, { subject: DEFAULT_EXTERNAL_CA_SUBJECT });
  return certs.server(name, { ca, commonName: ref.hostname, dnsNames: [ref.hostname] });
}

async function proveReachable(running: readonly Running[], opts: ExternalServicesOptions): Promise<Reachability[]> {
  let builder = new ProbeClientContainer(imagesFor(opts.offlineImages).client)
    .withNetwork(opts.network)
    .withName(clientContainerName(opts.runId))
    .withLabels(labelsFor(opts.runId, 'probe-client'));
  const cas = new Map<string, string>();
  for (const r of running) {
    if (r.ref.kind === 'https-site')
      cas.set((r.started as StartedHttpsSite).caName, opts.certs.get((r.started as StartedHttpsSite).caName).certPem);
  }
  for (const [name, pem] of cas) builder = builder.withCa(name, pem);
  const clientContainer = await builder.start();
  try {
    // The scenarios' own probes, through `docker exec` into the client (the lab's transport).
    const ctx = {
      transport: createDockerTransport({ containers: { [REACHABILITY_CLIENT]: clientContainer.getName().replace(/^\//, '') } }),
      namespaceOf: () => '',
    };
    const observe: ObserveFn = async (spec) => (await observeProbe(spec, ctx)) as HttpObservation | TcpObservation;
    const results = await Promise.all(running.map((r) => checkReachable(observe, targetOf(r))));
    const failed = results.filter((r) => !r.ok);
    if (failed.length > 0) {
      const details = failed.map((f) => {
        const output = running.find((r) => r.ref.name === f.name)?.started.recentOutput();
        return `${f.message}` + (output ? `\n  service output:\n${indent(output)}` : '');
      });
      throw new InfrastructureError(
        `external service(s) did not answer a client on network ${opts.network}; no phase ran, so nothing was judged:\n${details.join('\n')}`,
        "a failure here is the harness's, not the incident's: check the service image and the output above",
      );
    }
    return results;
  } finally {
    await clientContainer.stop({ timeout: 0 }).catch(() => undefined);
  }
}

function targetOf(r: Running): ReachabilityTarget {
  const s = r.started;
  if (s.kind === 'mysql') return { kind: 'mysql', name: r.ref.name, ip: s.ip, port: s.port };
  return {
    kind: 'https-site',
    name: r.ref.name,
    ip: s.ip,
    port: s.port,
    hostname: s.hostname,
    body: s.body,
    caPath: caPathInClient(s.caName),
  };
}

function describe(r: Running): StartedExternalService {
  const s = r.started;
  const base = { name: r.ref.name, kind: r.ref.kind, ip: s.ip, port: s.port, containerName: r.containerName };
  return s.kind === 'https-site' ? { ...base, hostname: s.hostname, certName: s.certName, caName: s.caName } : base;
}

async function stopAll(docker: Docker, runId: string, running: readonly Running[], log: (line: string) => void): Promise<void> {
  const stops = await Promise.allSettled(running.map((r) => r.started.stop()));
  stops.forEach((s, i) => {
    if (s.status === 'rejected') log(`stopping ${running[i]!.containerName}: ${(s.reason as Error).message}`);
  });
  // Also whatever a failed start left (created but never returned to us): same run, our roles.
  const left = (await findLabelled(docker, runId)).filter((r) => r.type === 'container' && EXTERNAL_ROLES.has(r.role));
  const report = await removeResources(docker, left);
  if (report.failed.length > 0) {
    throw new InfrastructureError(
      `could not remove ${report.failed.map((f) => `${f.resource.name} (${f.error})`).join(', ')}`,
      'run `casebook clean` to remove leftovers of earlier runs',
    );
  }
}

function handle(
  services: StartedExternalService[],
  reachability: Reachability[],
  cleanup: CleanupDecision,
  stop: () => Promise<void>,
): ExternalServices {
  return {
    services,
    reachability,
    cleanup,
    stop,
    ipOf(name) {
      const s = services.find((x) => x.name === name);
      if (!s)
        throw new UsageError(`no external service named "${name}"`, `declared: ${services.map((x) => x.name).join(', ') || '(none)'}`);
      return s.ip;
    },
  };
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
