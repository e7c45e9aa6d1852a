import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { PrerequisiteError } from '../model/errors.ts';
import { execaRunner, type CommandResult, type CommandRunner, type ProgressFn } from '../tools/command-runner.ts';
import { resolveTool } from '../tools/resolve-tool.ts';
import { KIND_NODE_IMAGE, KIND_VERSION } from '../tools/versions.ts';
import type { ClusterHandle, KindClusterOptions } from './cluster-handle.ts';
import { DEFAULT_HOST_PORTS, INGRESS_NODE_PORTS, kindClusterConfig, type HostPorts } from './kind-config.ts';
import { forgetCluster, markCreated } from './cluster-claims.ts';
import { kindArgs, kindContext, kindControlPlane, parseClusterList } from './kind-commands.ts';

/**
 * A kind cluster, create-or-reuse by name. A builder: nothing runs until ensure(), which returns a
 * ClusterHandle. A reused cluster is checked for the port mappings the gateway needs.
 */
export class KindCluster {
  readonly #name: string;
  #runDir = '.';
  #image = KIND_NODE_IMAGE;
  #hostPorts: HostPorts = DEFAULT_HOST_PORTS;
  #kindPath: string | undefined;
  #kindVersion = KIND_VERSION;
  #mirror: string | undefined;
  #cacheDir: string | undefined;
  #waitMs = 300_000;
  #progress: ProgressFn = () => {};
  #runner: CommandRunner = execaRunner;
  #env: NodeJS.ProcessEnv = process.env;
  #claims: { dir: string; runId: string } | undefined;
  #kubeconfigDir: string | undefined;

  constructor(name: string) {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
      throw new PrerequisiteError(`"${name}" is not a valid kind cluster name`, 'use lowercase letters, digits and dashes');
    }
    this.#name = name;
  }

  static fromOptions(o: KindClusterOptions): KindCluster {
    const c = new KindCluster(o.name).withRunDir(o.runDir);
    if (o.image) c.withImage(o.image);
    if (o.hostPorts) c.withHostPorts(o.hostPorts);
    if (o.kindPath) c.withKindPath(o.kindPath);
    if (o.kindVersion) c.withKindVersion(o.kindVersion);
    if (o.waitMs !== undefined) c.withWaitMs(o.waitMs);
    if (o.onProgress) c.withProgress(o.onProgress);
    if (o.runner) c.withRunner(o.runner);
    if (o.claims) c.withClaims(o.claims);
    if (o.kubeconfigDir) c.withKubeconfigDir(o.kubeconfigDir);
    return c.withDownloads({ mirror: o.mirror, cacheDir: o.cacheDir });
  }

  withRunDir(dir: string): this {
    this.#runDir = dir;
    return this;
  }
  withImage(image: string): this {
    this.#image = image;
    return this;
  }
  withHostPorts(ports: HostPorts): this {
    this.#hostPorts = ports;
    return this;
  }
  withKindPath(path: string): this {
    this.#kindPath = path;
    return this;
  }
  withKindVersion(version: string): this {
    this.#kindVersion = version;
    return this;
  }
  withDownloads(o: { mirror?: string | undefined; cacheDir?: string | undefined }): this {
    this.#mirror = o.mirror;
    this.#cacheDir = o.cacheDir;
    return this;
  }
  withWaitMs(ms: number): this {
    this.#waitMs = ms;
    return this;
  }
  withProgress(fn: ProgressFn): this {
    this.#progress = fn;
    return this;
  }
  withRunner(runner: CommandRunner): this {
    this.#runner = runner;
    return this;
  }
  withEnv(env: NodeJS.ProcessEnv): this {
    this.#env = env;
    return this;
  }
  /** Where to record that this run created the cluster (see cluster-claims.ts), so only we delete it. */
  withClaims(claims: { dir: string; runId: string }): this {
    this.#claims = claims;
    return this;
  }
  /** Where the kubeconfig (a client key) goes: outside the report folder, which CI uploads. */
  withKubeconfigDir(dir: string): this {
    this.#kubeconfigDir = dir;
    return this;
  }

  async ensure(): Promise<ClusterHandle> {
    const name = this.#name;
    const kind =
      this.#kindPath ??
      (
        await resolveTool('kind', this.#kindVersion, {
          mirror: this.#mirror,
          cacheDir: this.#cacheDir,
          onProgress: this.#progress,
          runner: this.#runner,
          env: this.#env,
        })
      ).path;
    await mkdir(this.#runDir, { recursive: true });
    const kubeconfigDir = this.#kubeconfigDir ?? this.#runDir;
    await mkdir(kubeconfigDir, { recursive: true, mode: 0o700 });
    const kubeconfigPath = join(kubeconfigDir, 'kubeconfig');

    const list = await this.#kind(kind, kindArgs.getClusters(), 'list kind clusters');
    const exists = parseClusterList(list.stdout).includes(name);
    if (exists) {
      this.#progress(`kind cluster ${name} exists: reusing it`);
      await this.#checkPortMappings();
    } else {
      const configPath = join(this.#runDir, 'kind-config.yaml');
      await writeFile(configPath, stringify(kindClusterConfig({ hostPorts: this.#hostPorts })));
      // Marked before creating: an interrupted create still leaves node containers that are ours.
      if (this.#claims) await markCreated(this.#claims.dir, name, this.#claims.runId);
      this.#progress(`creating kind cluster ${name} (${this.#image})`);
      await this.#kind(
        kind,
        kindArgs.create({ name, image: this.#image, configPath, kubeconfigPath, waitMs: this.#waitMs }),
        `create kind cluster ${name}`,
        true,
      );
    }
    // Written from `kind get kubeconfig` in both cases, so the file holds this cluster only (create
    // merges into an existing file); it holds a client key: readable by the user only.
    const kc = await this.#kind(kind, kindArgs.getKubeconfig(name), `read the kubeconfig of kind cluster ${name}`);
    await writeFile(kubeconfigPath, `${kc.stdout}\n`, { mode: 0o600 });
    await chmod(kubeconfigPath, 0o600);
    const runner = this.#runner;
    const progress = this.#progress;
    const claims = this.#claims;
    return {
      provider: 'kind',
      name,
      kubeconfigPath,
      context: kindContext(name),
      created: !exists,
      manageIstio: true,
      ingress: { host: '127.0.0.1', httpPort: this.#hostPorts.http, httpsPort: this.#hostPorts.https, statusPort: this.#hostPorts.status },
      dockerNetwork: this.#env['KIND_EXPERIMENTAL_DOCKER_NETWORK'] || 'kind',
      kindPath: kind,
      cleanupCommand: `kind delete cluster --name ${name}`,
      async delete() {
        progress(`deleting kind cluster ${name}`);
        const r = await runner(kind, kindArgs.delete(name, kubeconfigPath), { onLine: (l) => progress(l) });
        if (r.exitCode !== 0) {
          throw new PrerequisiteError(
            `kind delete cluster --name ${name} failed (exit ${r.exitCode}): ${lastLines(r.stderr)}`,
            `delete it by hand: kind delete cluster --name ${name}`,
          );
        }
        if (claims) await forgetCluster(claims.dir, name);
      },
    };
  }

  async #kind(kind: string, args: string[], what: string, stream = false): Promise<CommandResult> {
    // kind logs progress to stderr (pkg/cmd/logger.go); stream it as progress lines.
    const onLine = stream ? (line: string) => this.#progress(line.trim()) : undefined;
    let result: CommandResult;
    try {
      result = await this.#runner(kind, args, onLine ? { onLine } : {});
    } catch (err) {
      throw new PrerequisiteError(
        `could not run ${kind}: ${(err as Error).message}`,
        'check the kind binary, or remove it from PATH so the harness downloads one',
        { cause: err },
      );
    }
    if (result.exitCode !== 0) {
      throw new PrerequisiteError(
        `could not ${what}: kind exited ${result.exitCode}: ${lastLines(result.stderr)}`,
        'check that Docker is running (docker info) and that the host ports are free, or use --cluster existing',
      );
    }
    return result;
  }

  /** A cluster made by someone else (or with other ports) would silently break ingress probes. */
  async #checkPortMappings(): Promise<void> {
    const provider = this.#env['KIND_EXPERIMENTAL_PROVIDER'];
    if (provider && provider !== 'docker') {
      this.#progress(`kind provider ${provider}: not checking the port mappings of the reused cluster`);
      return;
    }
    const node = kindControlPlane(this.#name);
    const r = await this.#runner('docker', ['inspect', '--format', '{{json .HostConfig.PortBindings}}', node]);
    if (r.exitCode !== 0) {
      throw new PrerequisiteError(
        `kind lists cluster ${this.#name} but docker cannot inspect ${node}: ${lastLines(r.stderr)}`,
        `delete it (kind delete cluster --name ${this.#name}) or choose another cluster name`,
      );
    }
    const raw = JSON.parse(r.stdout || '{}') as Record<string, { HostIp?: string; HostPort?: string }[] | null>;
    // kind publishes "--publish=127.0.0.1:8080:30080/TCP" (pkg/cluster/internal/providers/docker/provision.go);
    // compare keys case-insensitively whatever case the engine reports the protocol in.
    const bindings = Object.fromEntries(Object.entries(raw ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    const missing = (Object.keys(INGRESS_NODE_PORTS) as (keyof HostPorts)[]).filter(
      (k) => !(bindings[`${INGRESS_NODE_PORTS[k]}/tcp`] ?? []).some((b) => b.HostPort === String(this.#hostPorts[k])),
    );
    if (missing.length > 0) {
      throw new PrerequisiteError(
        `kind cluster ${this.#name} exists without the ingress port mappings casebook needs (${missing.map((k) => `${INGRESS_NODE_PORTS[k]}->${this.#hostPorts[k]}`).join(', ')})`,
        `delete it (kind delete cluster --name ${this.#name}) or choose another cluster name`,
      );
    }
  }
}

function lastLines(text: string, n = 5): string {
  return text.trim().split('\n').slice(-n).join('\n');
}
