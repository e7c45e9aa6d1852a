import { GenericContainer, type StartedTestContainer } from 'testcontainers';
import type { StoredCert } from '../certs/cert-store.ts';
import { InfrastructureError } from '../model/errors.ts';
import { LogTail } from './log-tail.ts';
import { HTTPS_PORT, nginxConfig, SITE_PATHS } from './nginx-config.ts';
import { StartedExternalContainer, startFailure } from './started-external-container.ts';
import { ExternalContainerBuilder, waitForListen } from './external-container-builder.ts';

/**
 * An HTTPS site outside the mesh: nginx serving a certificate from the run's CA for one host
 * name and a recognisable body on every path. Builder in the testcontainers style: nothing
 * touches Docker until `start()`, which returns a started site.
 */
export class HttpsSiteContainer extends ExternalContainerBuilder {
  private hostname?: string;
  private body?: string;
  private cert?: StoredCert;

  constructor(image: string) {
    super(image, 30_000);
  }

  withHostname(hostname: string): this {
    this.hostname = hostname;
    return this;
  }
  withBody(body: string): this {
    this.body = body;
    return this;
  }
  /** A server certificate from the cert store; its key file is copied with mode 0600. */
  withCertificate(cert: StoredCert): this {
    this.cert = cert;
    return this;
  }
  async start(): Promise<StartedHttpsSite> {
    const { network, hostname, cert } = this;
    if (!network || !hostname || !cert || this.body === undefined) {
      throw new Error('HttpsSiteContainer needs withNetwork, withHostname, withBody and withCertificate before start()');
    }
    const logs = new LogTail();
    const container = this.common(new GenericContainer(this.image))
      .withCopyFilesToContainer([
        { source: cert.certPath, target: SITE_PATHS.cert, mode: 0o644 },
        { source: cert.keyPath, target: SITE_PATHS.key, mode: 0o600 },
      ])
      .withCopyContentToContainer([
        { content: nginxConfig({ hostname, port: HTTPS_PORT }), target: SITE_PATHS.config, mode: 0o644 },
        { content: this.body, target: SITE_PATHS.body, mode: 0o644 },
      ])
      // `-e stderr`: nginx opens its compiled-in error log before reading our config otherwise.
      .withEntrypoint(['nginx'])
      .withCommand(['-e', 'stderr', '-c', SITE_PATHS.config])
      .withWaitStrategy(waitForListen(HTTPS_PORT))
      .withLogConsumer(logs.consume);
    let started: StartedTestContainer;
    try {
      started = await container.start();
    } catch (err) {
      throw new InfrastructureError(
        startFailure(`https site ${hostname} (image ${this.image})`, err, logs),
        'check the image and the output above; `casebook clean` removes anything left behind',
        { cause: err },
      );
    }
    return new StartedHttpsSite(started, network, hostname, this.body, cert, logs);
  }
}

export class StartedHttpsSite extends StartedExternalContainer {
  readonly kind = 'https-site';
  readonly hostname: string;
  readonly body: string;
  readonly port = HTTPS_PORT;
  /** Name of the served certificate and of its CA in the run's cert store. */
  readonly certName: string;
  readonly caName: string;

  constructor(container: StartedTestContainer, network: string, hostname: string, body: string, cert: StoredCert, logs: LogTail) {
    super(container, network, logs);
    this.hostname = hostname;
    this.body = body;
    this.certName = cert.name;
    this.caName = cert.caName;
  }
}
