import { GenericContainer, type StartedTestContainer } from 'testcontainers';
import { InfrastructureError } from '../model/errors.ts';

export const CLIENT_CA_DIR = '/etc/casebook/ca';

/**
 * A throwaway client on the services' network, for the reachability check: it sees the services
 * the way a pod on the kind network does (by IP, no port publishing). It only sleeps; checks run
 * through `exec`. `sleep` as PID 1 ignores SIGTERM, so it is stopped with a zero timeout.
 */
export class ProbeClientContainer {
  private readonly image: string;
  private network?: string;
  private name?: string;
  private labels: Record<string, string> = {};
  private caFiles: { name: string; pem: string }[] = [];

  constructor(image: string) {
    this.image = image;
  }

  withNetwork(network: string): this {
    this.network = network;
    return this;
  }
  withName(name: string): this {
    this.name = name;
    return this;
  }
  withLabels(labels: Record<string, string>): this {
    this.labels = { ...this.labels, ...labels };
    return this;
  }
  /** CA certificates (public) placed at `${CLIENT_CA_DIR}/<name>.pem`. */
  withCa(name: string, pem: string): this {
    this.caFiles.push({ name, pem });
    return this;
  }

  async start(): Promise<StartedTestContainer> {
    if (!this.network) throw new Error('ProbeClientContainer needs withNetwork before start()');
    let c = new GenericContainer(this.image)
      .withNetworkMode(this.network)
      .withLabels(this.labels)
      .withEntrypoint(['sleep'])
      .withCommand(['3600']);
    if (this.caFiles.length > 0) {
      c = c.withCopyContentToContainer(this.caFiles.map((f) => ({ content: f.pem, target: caPathInClient(f.name), mode: 0o644 })));
    }
    if (this.name) c = c.withName(this.name);
    try {
      return await c.start();
    } catch (err) {
      throw new InfrastructureError(
        `the reachability client (image ${this.image}) did not start: ${(err as Error).message}`,
        'check `docker info` and the image; `casebook clean` removes anything left behind',
        { cause: err },
      );
    }
  }
}

export function caPathInClient(caName: string): string {
  return `${CLIENT_CA_DIR}/${caName}.pem`;
}
