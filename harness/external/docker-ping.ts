import { Agent, request } from 'undici';

/**
 * The one "is Docker up?" check: GET /_ping on the endpoint the docker CLI and testcontainers
 * use. `casebook run` and `doctor` ask it before touching anything; the lab asks it to decide
 * whether its tests can run (lab/support/lab-docker.ts).
 */

export type DockerEndpoint = { label: string; origin: string; socketPath?: string };

/**
 * Where the Docker API is, the way the docker CLI and testcontainers read it: DOCKER_HOST
 * (unix:///path or tcp://host:port), else the default socket /var/run/docker.sock.
 */
export function dockerEndpoint(env: NodeJS.ProcessEnv): DockerEndpoint {
  const host = env['DOCKER_HOST'];
  if (!host) return { label: 'unix:///var/run/docker.sock', origin: 'http://localhost', socketPath: '/var/run/docker.sock' };
  if (host.startsWith('unix://')) return { label: host, origin: 'http://localhost', socketPath: host.slice('unix://'.length) };
  if (host.startsWith('tcp://')) return { label: host, origin: `http://${host.slice('tcp://'.length)}` };
  return { label: host, origin: host };
}

export type DockerPing = { ok: true; endpoint: DockerEndpoint } | { ok: false; endpoint: DockerEndpoint; reason: string };

/** GET /_ping (Docker Engine API), bounded so a dead daemon answers within seconds. */
export async function pingDocker(env: NodeJS.ProcessEnv, timeoutMs = 3000): Promise<DockerPing> {
  const endpoint = dockerEndpoint(env);
  const dispatcher = new Agent({ connect: { socketPath: endpoint.socketPath, timeout: timeoutMs } });
  try {
    const res = await request(`${endpoint.origin}/_ping`, {
      dispatcher,
      signal: AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const body = (await res.body.text()).trim();
    if (res.statusCode === 200 && body === 'OK') return { ok: true, endpoint };
    return { ok: false, endpoint, reason: `the API answered ${res.statusCode} ${JSON.stringify(body.slice(0, 80))}` };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { ok: false, endpoint, reason: err.code ? `${err.code}: ${err.message}` : err.message };
  } finally {
    await dispatcher.close().catch(() => {});
  }
}

/** "Docker is not reachable at <endpoint> (<reason>)": the start of every message about an engine that does not answer. */
export function notReachable(ping: Extract<DockerPing, { ok: false }>): string {
  return `Docker is not reachable at ${ping.endpoint.label} (${ping.reason})`;
}
