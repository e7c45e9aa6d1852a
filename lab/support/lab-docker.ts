/**
 * The lab's Docker world: one network and a few toolbox containers per test file, all labelled
 * by harness/external/labels.ts (managed-by, run, role, owner; `casebook.dev/lab=1`), removed by `dispose()` (call it from `after`,
 * which node:test runs also when a test fails) and on SIGINT/SIGTERM.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { createDockerTransport, type DockerTransport } from '../../harness/external/docker-transport.ts';
import { PrerequisiteError } from '../../harness/model/errors.ts';
import { labelArgs, labLabelsFor, RUN_LABEL } from '../../harness/external/labels.ts';
import { ensureToolboxImage, TOOLBOX_IMAGE } from '../images/ensure-toolbox.ts';

const PREREQS = fileURLToPath(new URL('../../ci/install-lab-prereqs.sh', import.meta.url));

/** Docker answers and the toolbox image exists; installs/starts them on a Debian machine when we are root. */
export async function ensureLabPrerequisites(log: (line: string) => void = (l) => console.error(l)): Promise<void> {
  if ((await execa('docker', ['info'], { reject: false })).exitCode !== 0) {
    if (process.getuid?.() === 0 && existsSync(PREREQS)) {
      log('lab: Docker does not answer; running ci/install-lab-prereqs.sh');
      await execa('bash', [PREREQS], { stdio: 'inherit' });
    }
    const again = await execa('docker', ['info'], { reject: false });
    if (again.exitCode !== 0) {
      throw new PrerequisiteError(`Docker is not reachable: ${(again.stderr || again.shortMessage || '').trim().split('\n')[0]}`,
        'run `sudo bash ci/install-lab-prereqs.sh` (installs docker.io and starts dockerd), then `npm run test:lab`');
    }
  }
  await ensureToolboxImage({ log });
}

export type LabContainer = { role: string; name: string; ip: string };

export type Lab = {
  runId: string;
  network: string;
  /** Starts a toolbox container that sleeps; servers are started in it with `daemon`. */
  start(role: string, opts?: { capAdd?: string[]; command?: string; /** extra `docker run` options (e.g. --read-only) */ runArgs?: string[] }): Promise<LabContainer>;
  container(role: string): LabContainer;
  /** Runs a command in a container and fails loudly when it fails (setup, not observation). */
  sh(role: string, script: string): Promise<string>;
  /** Starts a long-running server process in a container (`docker exec -d`). */
  daemon(role: string, script: string): Promise<void>;
  /** Copies a host file into a container (`docker cp`; works with a remote engine too). */
  copyIn(role: string, hostPath: string, containerPath: string): Promise<void>;
  /** Waits until something listens on the TCP port inside the container. */
  waitForPort(role: string, port: number, timeoutMs?: number): Promise<void>;
  /** The docker exec transport, with each role as a workload; `sidecars` lets roles play `<workload>/istio-proxy`. */
  transport(sidecars?: Record<string, string>): DockerTransport;
  /** How many containers and networks of this run still exist. */
  leftovers(): Promise<{ containers: number; networks: number }>;
  dispose(): Promise<void>;
};

export async function createLab(): Promise<Lab> {
  await ensureLabPrerequisites();
  const runId = `lab-${randomBytes(3).toString('hex')}`;
  const network = `casebook-${runId}`;
  const containers = new Map<string, LabContainer>();
  const removeAllSync = () => {
    try {
      const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=${RUN_LABEL}=${runId}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
      if (ids.length) execFileSync('docker', ['rm', '-f', ...ids], { stdio: 'ignore' });
      execFileSync('docker', ['network', 'rm', network], { stdio: 'ignore' });
    } catch {
      // best effort on the way out
    }
  };
  const onSignal = (signal: NodeJS.Signals) => { removeAllSync(); process.kill(process.pid, signal); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  await execa('docker', ['network', 'create', ...labelArgs(labLabelsFor(runId, 'network')), network]);

  const docker = async (args: string[]) => {
    const r = await execa('docker', args, { reject: false });
    if (r.exitCode !== 0) throw new Error(`docker ${args.slice(0, 2).join(' ')} failed (exit ${r.exitCode}): ${r.stderr.trim()}\n${r.stdout.trim()}`);
    return r.stdout;
  };
  const lab: Lab = {
    runId,
    network,
    async start(role, opts = {}) {
      const name = `casebook-${runId}-${role}`;
      const caps = (opts.capAdd ?? []).flatMap((c) => ['--cap-add', c]);
      const main = opts.command ? ['sh', '-c', opts.command] : ['sleep', 'infinity'];
      await docker(['run', '-d', '--name', name, '--hostname', role, '--network', network, ...labelArgs(labLabelsFor(runId, `lab-${role}`)), ...caps, ...(opts.runArgs ?? []), TOOLBOX_IMAGE, ...main]);
      const ip = (await docker(['inspect', '-f', `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, name])).trim();
      const c = { role, name, ip };
      containers.set(role, c);
      return c;
    },
    container(role) {
      const c = containers.get(role);
      if (!c) throw new Error(`no lab container ${role}`);
      return c;
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
    async waitForPort(role, port, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const r = await execa('docker', ['exec', lab.container(role).name, 'ss', '-Hltn', `sport = :${port}`], { reject: false });
        if (r.exitCode === 0 && r.stdout.trim() !== '') return;
        if (Date.now() > deadline) throw new Error(`nothing listens on ${role}:${port} after ${timeoutMs} ms`);
        await new Promise((res) => setTimeout(res, 200));
      }
    },
    transport(sidecars = {}) {
      const roles = Object.fromEntries([...containers.values()].map((c) => [c.role, c.name]));
      const extra = Object.fromEntries(Object.entries(sidecars).map(([key, role]) => [key, lab.container(role).name]));
      return createDockerTransport({ containers: { ...roles, ...extra } });
    },
    async leftovers() {
      const c = await docker(['ps', '-aq', '--filter', `label=${RUN_LABEL}=${runId}`]);
      const n = await docker(['network', 'ls', '-q', '--filter', `label=${RUN_LABEL}=${runId}`]);
      return { containers: c.split('\n').filter(Boolean).length, networks: n.split('\n').filter(Boolean).length };
    },
    async dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      const ids = (await docker(['ps', '-aq', '--filter', `label=${RUN_LABEL}=${runId}`])).split('\n').filter(Boolean);
      if (ids.length) await docker(['rm', '-f', '-v', ...ids]);
      await execa('docker', ['network', 'rm', network], { reject: false });
      containers.clear();
    },
  };
  return lab;
}
