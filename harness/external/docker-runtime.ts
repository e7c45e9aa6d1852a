import { getContainerRuntimeClient, type ContainerRuntimeClient } from 'testcontainers';
import { PrerequisiteError } from '../model/errors.ts';
import type { Docker } from './labelled-resources.ts';

/** testcontainers' runtime client (DOCKER_HOST, ~/.testcontainers.properties, /var/run/docker.sock). */
export async function dockerRuntime(): Promise<ContainerRuntimeClient> {
  try {
    return await getContainerRuntimeClient();
  } catch (err) {
    throw new PrerequisiteError(
      `Docker is not reachable: ${(err as Error).message.split('\n')[0]}`,
      'start Docker (e.g. `sudo systemctl start docker`, or `dockerd &`), or set DOCKER_HOST, then retry',
      { cause: err },
    );
  }
}

/** Fails with a next step when the network the services must join does not exist. */
export async function requireNetwork(docker: Docker, network: string): Promise<void> {
  try {
    await docker.getNetwork(network).inspect();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    throw new PrerequisiteError(
      `Docker network "${network}" does not exist, so external services have nowhere to run`,
      network === 'kind'
        ? 'create the kind cluster first (`casebook setup`), which creates the `kind` network'
        : `create it (\`docker network create ${network}\`) or pass the right network name`,
    );
  }
}
