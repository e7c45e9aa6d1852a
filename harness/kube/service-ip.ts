import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { InfrastructureError } from '../model/errors.ts';
import { describeApiError } from './api-error.ts';

/** The Service's ClusterIP, for `${service.<ns>/<name>.clusterIP}` placeholders. */
export async function serviceClusterIp(kc: KubeConfig, namespace: string, name: string): Promise<string> {
  let ip: string | undefined;
  try {
    ip = (await kc.makeApiClient(CoreV1Api).readNamespacedService({ name, namespace })).spec?.clusterIP;
  } catch (e) {
    throw new InfrastructureError(
      `could not read service ${namespace}/${name}: ${describeApiError(e)}`,
      "is the service part of the scenario's workloads?",
      { cause: e },
    );
  }
  if (ip === undefined || ip === '' || ip === 'None') {
    throw new InfrastructureError(`service ${namespace}/${name} has no ClusterIP (${ip ?? 'unset'}; a headless service?)`);
  }
  return ip;
}
