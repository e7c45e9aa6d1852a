import { execa } from 'execa';
import { InfrastructureError } from '../model/errors.ts';
import type { ExecResult, ExecTarget, ExecTransport } from '../model/exec.ts';

/**
 * Which container plays which workload: `{ curl: 'casebook-lab-curl-1234' }`; a key
 * `workload/container` (e.g. `httpbin/istio-proxy`) names a second container of the same workload.
 */
export type DockerContainerMap = Readonly<Record<string, string>>;

export type DockerTransportOptions = {
  containers: DockerContainerMap;
  /** The docker CLI to run (default `docker` on PATH). */
  docker?: string;
  /** Deadline for one exec when the caller gives none, in ms. */
  defaultTimeoutMs?: number;
};

/**
 * Lines the docker CLI or the OCI runtime print when the command never ran: the container is
 * missing or stopped, the daemon is down, or the executable is not in the image. A command that
 * ran and failed prints none of these, so its exit code is the observation.
 */
const NOT_RUN = [
  /^Error response from daemon: /m,
  /^Cannot connect to the Docker daemon/m,
  /OCI runtime exec failed/,
  /^Error: No such container/m,
];

export class DockerTransport implements ExecTransport {
  readonly kind = 'docker' as const;
  readonly #containers: DockerContainerMap;
  readonly #docker: string;
  readonly #defaultTimeoutMs: number;

  constructor(opts: DockerTransportOptions) {
    this.#containers = opts.containers;
    this.#docker = opts.docker ?? 'docker';
    this.#defaultTimeoutMs = opts.defaultTimeoutMs ?? 120_000;
  }

  containerFor(target: ExecTarget): string {
    const key = target.container ? `${target.workload}/${target.container}` : target.workload;
    const name = this.#containers[key] ?? (target.container ? undefined : this.#containers[target.workload]);
    if (!name) {
      throw new InfrastructureError(
        `no lab container plays workload "${key}" (known: ${Object.keys(this.#containers).join(', ') || 'none'})`,
        'add it to the DockerTransport container map',
      );
    }
    return name;
  }

  async exec(target: ExecTarget, command: readonly string[], options: { timeoutMs?: number } = {}): Promise<ExecResult> {
    const container = this.containerFor(target);
    const startedAt = new Date();
    const r = await execa(this.#docker, ['exec', container, ...command], {
      reject: false,
      stripFinalNewline: false,
      timeout: options.timeoutMs ?? this.#defaultTimeoutMs,
      encoding: 'utf8',
    });
    const durationMs = Date.now() - startedAt.getTime();
    if (r.timedOut) {
      throw new InfrastructureError(
        `docker exec in ${container} did not finish within ${options.timeoutMs ?? this.#defaultTimeoutMs} ms: ${command.join(' ')}`,
        'give the probe command its own deadline (curl --max-time, timeout) shorter than the transport deadline',
      );
    }
    if (r.exitCode === undefined) {
      throw new InfrastructureError(
        `could not run docker exec in ${container}: ${r.shortMessage}`,
        'check that the docker CLI is installed and the engine answers (`docker info`)',
      );
    }
    if (r.exitCode !== 0 && NOT_RUN.some((re) => re.test(r.stderr) || re.test(r.stdout))) {
      const why = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-1)[0];
      throw new InfrastructureError(
        `docker exec in ${container} did not run ${JSON.stringify(command[0])}: ${why}`,
        `check \`docker ps -a --filter name=${container}\` and that the image has ${command[0]}`,
      );
    }
    return {
      command: [...command],
      exitCode: r.exitCode,
      stdout: r.stdout,
      stderr: r.stderr,
      startedAt: startedAt.toISOString(),
      durationMs,
    };
  }

  async logs(target: ExecTarget, options: { sinceSeconds?: number; tailLines?: number } = {}): Promise<string> {
    const container = this.containerFor(target);
    const args = ['logs'];
    if (options.sinceSeconds !== undefined) args.push('--since', `${options.sinceSeconds}s`);
    if (options.tailLines !== undefined) args.push('--tail', String(options.tailLines));
    // The container's stdout and stderr interleaved, as `kubectl logs` shows them.
    const r = await execa(this.#docker, [...args, container], { reject: false, all: true, timeout: this.#defaultTimeoutMs });
    if (r.exitCode !== 0) {
      throw new InfrastructureError(
        `docker logs ${container} failed: ${(r.stderr || r.shortMessage || '').trim()}`,
        `check \`docker ps -a --filter name=${container}\``,
      );
    }
    return r.all ?? '';
  }
}

export function createDockerTransport(opts: DockerTransportOptions): DockerTransport {
  return new DockerTransport(opts);
}
