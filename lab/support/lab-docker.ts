/**
 * The lab's one Docker kit: whether the lab can run here (one check, one skip policy), and the
 * containers and networks a lab test file starts. Everything it starts carries the labels of
 * harness/external/labels.ts (managed-by, run, role, owner, `casebook.dev/lab=1`), so
 * `casebook clean` sees a leftover once its test process is gone; `dispose()` removes it all
 * (call it from `after`, which node:test runs also when a test fails), and so does SIGINT/SIGTERM.
 *
 * Toolbox containers sleep; servers are started in them with `daemon`. Ports are published on
 * 127.0.0.1 only. The production containers (harness/external/: HTTPS sites, MySQL, the probe
 * client) are started by their own builders on `lab.network` with `lab.runId` as their run.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { notReachable, pingDocker } from '../../harness/external/docker-ping.ts';
import { createDockerTransport, type DockerTransport } from '../../harness/external/docker-transport.ts';
import { labelArgs, labelFilter, labLabelsFor, RUN_LABEL } from '../../harness/external/labels.ts';
import { poll } from '../../harness/model/poll.ts';
import { ensureToolboxImage, TOOLBOX_IMAGE } from '../images/ensure-toolbox.ts';

/** Set to 1 where the lab must run (CI): a lab test that cannot run then fails instead of skipping. */
export const LAB_REQUIRED_ENV = 'CASEBOOK_LAB_REQUIRED';

/**
 * The skip policy of every lab file: `const skip = await labSkip()` at the top, `{ skip }` on each
 * test, and nothing started in `before` when it is set. Returns why the lab cannot run here
 * (Docker does not answer, or `also`, another missing piece such as a browser), or undefined.
 * With CASEBOOK_LAB_REQUIRED=1 a reason is thrown instead, so the file fails.
 */
export async function labSkip(also?: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const ping = await pingDocker(env);
  const reason = !ping.ok
    ? `${notReachable(ping)}: start Docker (\`sudo bash ci/install-lab-prereqs.sh\` installs and starts it), or point DOCKER_HOST at a running engine`
    : also;
  if (reason && env[LAB_REQUIRED_ENV] === '1') throw new Error(`the lab cannot run (${LAB_REQUIRED_ENV}=1): ${reason}`);
  return reason;
}

export type LabContainer = { role: string; name: string; ip: string };

export type StartOptions = {
  capAdd?: string[];
  /** The container's main process (sh -c); default: sleep. */
  command?: string;
  /** Container ports to publish on 127.0.0.1 (a random host port each; see hostPort). */
  ports?: number[];
  /** Extra `docker run` options (e.g. --read-only). */
  runArgs?: string[];
  /** For tests of `casebook clean` itself: this name and exactly these labels instead of the lab's. */
  name?: string;
  labels?: Record<string, string>;
};

export type ExecResult = { exitCode: number; stdout: string; stderr: string };

export type Lab = {
  runId: string;
  /** The lab's network (undefined with `network: false`: containers join Docker's default bridge). */
  network: string | undefined;
  /** Starts a toolbox container on the lab's network. */
  start(role: string, opts?: StartOptions): Promise<LabContainer>;
  container(role: string): LabContainer;
  /** Runs a command; never throws on a non-zero exit (the exit code is what the test judges). */
  exec(role: string, command: string[], opts?: { timeoutMs?: number }): Promise<ExecResult>;
  /** Runs a shell script and fails loudly when it fails (setup, not observation). */
  sh(role: string, script: string): Promise<string>;
  /** Starts a long-running server process in a container (`docker exec -d`). */
  daemon(role: string, script: string): Promise<void>;
  /** Copies a host file or folder (`dir/.`) into a container (`docker cp`; works with a remote engine too). */
  copyIn(role: string, hostPath: string, containerPath: string): Promise<void>;
  /** The 127.0.0.1 port published for a container port. */
  hostPort(role: string, containerPort: number): Promise<number>;
  /** Waits until something listens on the TCP port inside the container. */
  waitForPort(role: string, port: number, timeoutMs?: number): Promise<void>;
  /** A labelled network besides the lab's own (or with exactly `labels`, for tests of `casebook clean`), removed by dispose. */
  addNetwork(name: string, labels?: Record<string, string>): Promise<string>;
  /** The docker exec transport, with each role as a workload; `sidecars` lets roles play `<workload>/istio-proxy`. */
  transport(sidecars?: Record<string, string>): DockerTransport;
  /** Names of this run's containers that still exist (the lab's and any other labelled with its run). */
  containersLeft(): Promise<string[]>;
  /** How many containers and networks of this run still exist. */
  leftovers(): Promise<{ containers: number; networks: number }>;
  /** Removes every container and network of this run; safe to call twice. */
  dispose(): Promise<void>;
};

const lines = (out: string) => out.split('\n').filter(Boolean);

async function docker(args: string[]): Promise<string> {
  const r = await execa('docker', args, { reject: false });
  if (r.exitCode !== 0)
    throw new Error(`docker ${args.slice(0, 2).join(' ')} failed (exit ${r.exitCode}): ${r.stderr.trim()}\n${r.stdout.trim()}`);
  return r.stdout;
}

/**
 * A lab for one test file: `what` names it in the run id (`lab-<what>-<hex>`) and in the network
 * (`casebook-lab-<what>-<hex>`). Builds the toolbox image when it is missing.
 */
export async function createLab(what: string, opts: { network?: boolean } = {}): Promise<Lab> {
  await ensureToolboxImage();
  const runId = `lab-${what}-${randomBytes(3).toString('hex')}`;
  const network = opts.network === false ? undefined : `casebook-${runId}`;
  const containers = new Map<string, LabContainer>();
  const names = new Set<string>();
  const networks = new Set<string>();
  const ofRun = ['--filter', `label=${RUN_LABEL}=${runId}`];
  const removeAllSync = () => {
    try {
      const ids = lines(execFileSync('docker', ['ps', '-aq', ...ofRun], { encoding: 'utf8' }));
      for (const c of [...ids, ...names]) execFileSync('docker', ['rm', '-f', '-v', c], { stdio: 'ignore' });
    } catch {
      // best effort on the way out
    }
    for (const n of networks) {
      try {
        execFileSync('docker', ['network', 'rm', n], { stdio: 'ignore' });
      } catch {
        /* best effort */
      }
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    removeAllSync();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const lab: Lab = {
    runId,
    network,
    async start(role, o = {}) {
      const name = o.name ?? `casebook-${runId}-${role}`;
      const labels = o.labels ?? labLabelsFor(runId, `lab-${role}`);
      const caps = (o.capAdd ?? []).flatMap((c) => ['--cap-add', c]);
      const publish = (o.ports ?? []).flatMap((p) => ['-p', `127.0.0.1::${p}`]);
      const main = o.command ? ['sh', '-c', o.command] : ['sleep', 'infinity'];
      names.add(name);
      await docker([
        'run',
        '-d',
        '--name',
        name,
        '--hostname',
        role,
        ...(network ? ['--network', network] : []),
        ...labelArgs(labels),
        ...caps,
        ...publish,
        ...(o.runArgs ?? []),
        TOOLBOX_IMAGE,
        ...main,
      ]);
      const ip =
        (await docker(['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}', name])).trim().split(' ')[0] ?? '';
      const c = { role, name, ip };
      containers.set(role, c);
      return c;
    },
    container(role) {
      const c = containers.get(role);
      if (!c) throw new Error(`no lab container ${role}`);
      return c;
    },
    async exec(role, command, o = {}) {
      const r = await execa('docker', ['exec', lab.container(role).name, ...command], { reject: false, timeout: o.timeoutMs ?? 60_000 });
      return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
    },
    async sh(role, script) {
      return docker(['exec', lab.container(role).name, 'sh', '-c', script]);
    },
    async daemon(role, script) {
      await docker(['exec', '-d', lab.container(role).name, 'sh', '-c', script]);
    },
    async copyIn(role, hostPath, containerPath) {
      await docker(['cp', '-q', hostPath, `${lab.container(role).name}:${containerPath}`]);
    },
    async hostPort(role, containerPort) {
      const name = lab.container(role).name;
      const out = await docker(['port', name, `${containerPort}/tcp`]);
      const m = /127\.0\.0\.1:(\d+)/.exec(out);
      if (!m) throw new Error(`container ${name} publishes no host port for ${containerPort}: ${out}`);
      return Number(m[1]);
    },
    async waitForPort(role, port, timeoutMs = 30_000) {
      await poll(
        async () => {
          const r = await lab.exec(role, ['ss', '-Hltn', `sport = :${port}`]);
          return r.exitCode === 0 && r.stdout.trim() !== '';
        },
        {
          what: `a listener on ${role}:${port}`,
          timeoutMs,
          intervalMs: 200,
          onTimeout: () => new Error(`nothing listens on ${role}:${port} after ${timeoutMs} ms`),
        },
      );
    },
    async addNetwork(name, labels) {
      networks.add(name);
      await docker(['network', 'create', ...labelArgs(labels ?? labLabelsFor(runId, 'network')), name]);
      return name;
    },
    transport(sidecars = {}) {
      const roles = Object.fromEntries([...containers.values()].map((c) => [c.role, c.name]));
      const extra = Object.fromEntries(Object.entries(sidecars).map(([key, role]) => [key, lab.container(role).name]));
      return createDockerTransport({ containers: { ...roles, ...extra } });
    },
    async containersLeft() {
      return lines(await docker(['ps', '-a', '--format', '{{.Names}}', ...ofRun]));
    },
    async leftovers() {
      const n = await docker(['network', 'ls', '-q', ...ofRun]);
      return { containers: (await lab.containersLeft()).length, networks: lines(n).length };
    },
    async dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      const ids = lines(await docker(['ps', '-aq', ...ofRun]));
      if (ids.length) await docker(['rm', '-f', '-v', ...ids]);
      for (const c of names) await execa('docker', ['rm', '-f', '-v', c], { reject: false });
      for (const n of [...networks, ...lines(await docker(['network', 'ls', '-q', ...ofRun]))])
        await execa('docker', ['network', 'rm', n], { reject: false });
      containers.clear();
      names.clear();
      networks.clear();
    },
  };
  if (network) await lab.addNetwork(network);
  return lab;
}

/** The engine's counts of what the casebook labels (any run, any state), for before/after comparisons. */
export type ResourceCounts = {
  /** Containers and networks carrying our managed-by label. */
  ourContainers: number;
  ourNetworks: number;
  /** Containers testcontainers created (its own `org.testcontainers` label), labelled by us or not. */
  testcontainersContainers: number;
  /** Everything on the engine, including other processes' containers (context, not asserted on a shared engine). */
  allContainers: number;
  allNetworks: number;
};

export async function countResources(): Promise<ResourceCounts> {
  const ours = labelFilter().flatMap((l) => ['--filter', `label=${l}`]);
  const [oc, on, tc, ac, an] = await Promise.all([
    docker(['ps', '-aq', ...ours]),
    docker(['network', 'ls', '-q', ...ours]),
    docker(['ps', '-aq', '--filter', 'label=org.testcontainers=true']),
    docker(['ps', '-aq']),
    docker(['network', 'ls', '-q']),
  ]);
  const n = (out: string) => lines(out).length;
  return { ourContainers: n(oc), ourNetworks: n(on), testcontainersContainers: n(tc), allContainers: n(ac), allNetworks: n(an) };
}

/** The part of the counts this code is responsible for: must be equal before and after. */
export function ownCounts(c: ResourceCounts): Pick<ResourceCounts, 'ourContainers' | 'ourNetworks' | 'testcontainersContainers'> {
  return { ourContainers: c.ourContainers, ourNetworks: c.ourNetworks, testcontainersContainers: c.testcontainersContainers };
}

/** IP of a container on one network, and every network it is on, read from Docker itself. */
export async function inspectIp(container: string, network: string): Promise<{ ip: string | undefined; networks: string[] }> {
  const nets = JSON.parse(await docker(['inspect', '-f', '{{json .NetworkSettings.Networks}}', container])) as Record<
    string,
    { IPAddress?: string }
  >;
  return { ip: nets[network]?.IPAddress, networks: Object.keys(nets).sort() };
}
