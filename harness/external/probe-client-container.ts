import { GenericContainer, type StartedTestContainer } from 'testcontainers';
import { InfrastructureError } from '../model/errors.ts';
import { ExternalContainerBuilder } from './external-container-builder.ts';

export const CLIENT_CA_DIR = '/etc/casebook/ca';

/**
 * A throwaway client on the services' network, for the reachability check: it sees the services
 * the way a pod on the kind network does (by IP, no port publishing). It only sleeps; checks run
 * through `exec`. `sleep` as PID 1 ignores SIGTERM, so it is stopped with a zero timeout.
 */
export class ProbeClientContainer extends ExternalContainerBuilder {
  private caFiles: { name: string; pem: string }[] = [];

  /** CA certificates (public) placed at `${CLIENT_CA_DIR}/<name>.pem`. */
  withCa(name: string, pem: string): this {
    this.caFiles.push({ name, pem });
    return this;
  }

  async start(): Promise<StartedTestContainer> {
    let c = this.common(new GenericContainer(this.image)).withEntrypoint(['sleep']).withCommand(['3600']);
    if (this.caFiles.length > 0) {
      c = c.withCopyContentToContainer(this.caFiles.map((f) => ({ content: f.pem, target: caPathInClient(f.name), mode: 0o644 })));
    }
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
