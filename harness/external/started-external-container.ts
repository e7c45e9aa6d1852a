import type { StartedTestContainer } from 'testcontainers';
import type { LogTail } from './log-tail.ts';

/** What every started external service shares: its container, its network, its recent output. */
export abstract class StartedExternalContainer {
  readonly container: StartedTestContainer;
  readonly network: string;
  private readonly logs: LogTail;

  constructor(container: StartedTestContainer, network: string, logs: LogTail) {
    this.container = container;
    this.network = network;
    this.logs = logs;
  }

  /**
   * The address on ITS network. A container may sit on several (network aliases attach it to
   * `bridge` too), so never "the first IP".
   */
  get ip(): string {
    return this.container.getIpAddress(this.network);
  }

  /** Last lines the service printed, for error messages. */
  recentOutput(): string {
    return this.logs.text();
  }

  /** Stops and removes the container (testcontainers removes on stop by default). */
  async stop(): Promise<void> {
    await this.container.stop({ timeout: 0 });
  }
}

/** The error for a service that did not start, with what it printed before it went away. */
export function startFailure(what: string, err: unknown, logs: LogTail): string {
  const output = logs.text();
  return `${what} did not start: ${(err as Error).message}${output ? `\ncontainer output:\n${output}` : ''}`;
}
