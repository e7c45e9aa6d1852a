import { Wait, type GenericContainer, type WaitStrategy } from 'testcontainers';

/**
 * What every builder of a container outside the mesh shares, in the testcontainers style: the
 * image, the one Docker network it joins (`kind` in real runs; no port is published on the host),
 * a name, labels (the casebook's, so `casebook clean` finds it) and a startup timeout. Nothing
 * touches Docker until the subclass's `start()`.
 */
export abstract class ExternalContainerBuilder {
  protected readonly image: string;
  protected network?: string;
  protected name?: string;
  protected labels: Record<string, string> = {};
  protected startupTimeoutMs?: number;

  constructor(image: string, startupTimeoutMs?: number) {
    this.image = image;
    this.startupTimeoutMs = startupTimeoutMs;
  }

  /** A Docker network by name; the container joins only this network. */
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
  withStartupTimeout(ms: number): this {
    this.startupTimeoutMs = ms;
    return this;
  }

  /** The network, or a programming error naming the builder and what it needs. */
  protected requireNetwork(): string {
    if (!this.network) throw new Error(`${this.constructor.name} needs withNetwork before start()`);
    return this.network;
  }

  /** Network, labels, name and startup timeout applied to the container the subclass built. */
  protected common<C extends GenericContainer>(container: C): C {
    let c = container.withNetworkMode(this.requireNetwork()).withLabels(this.labels) as C;
    if (this.startupTimeoutMs !== undefined) c = c.withStartupTimeout(this.startupTimeoutMs) as C;
    if (this.name) c = c.withName(this.name) as C;
    return c;
  }
}

/**
 * Ready when something in the container listens on `port` (IPv4 or IPv6), read from
 * /proc/net/tcp{,6} like testcontainers' own port check, but without publishing the port on the
 * host: `Wait.forListeningPorts()` only checks exposed ports, and these services need to be
 * reachable on the Docker network only. State 0A is LISTEN.
 */
export function waitForListen(port: number): WaitStrategy {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  return Wait.forSuccessfulCommand(`grep -sqiE ':${hex} +[0-9A-F]+:[0-9A-F]+ +0A' /proc/net/tcp /proc/net/tcp6`);
}
