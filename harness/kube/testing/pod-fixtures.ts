/**
 * Pod objects as the API server returns them (JSON), for tests: a pod with a native sidecar
 * (istio-proxy as an init container with restartPolicy Always, Istio 1.27+ on Kubernetes >= 1.33)
 * and one with the classic sidecar in .spec.containers.
 */
type PodOpts = {
  name: string;
  app: string;
  native?: boolean;
  sidecarReady?: boolean;
  appReady?: boolean;
  phase?: string;
  terminating?: boolean;
  created?: string;
};

export function podJson(o: PodOpts): Record<string, unknown> {
  const native = o.native ?? true;
  const sidecar = { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.30.3' };
  const sidecarStatus = {
    name: 'istio-proxy',
    ready: o.sidecarReady ?? true,
    restartCount: 0,
    image: sidecar.image,
    imageID: '',
    state:
      (o.sidecarReady ?? true)
        ? { running: { startedAt: '2026-11-22T10:00:00Z' } }
        : { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } },
  };
  const initStatus = {
    name: 'istio-init',
    ready: false,
    restartCount: 0,
    image: sidecar.image,
    imageID: '',
    state: { terminated: { exitCode: 0, reason: 'Completed' } },
  };
  const appStatus = {
    name: o.app,
    ready: o.appReady ?? true,
    restartCount: 0,
    image: 'x',
    imageID: '',
    state: { running: { startedAt: '2026-11-22T10:00:00Z' } },
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: o.name,
      namespace: 'demo1',
      labels: { app: o.app },
      creationTimestamp: o.created ?? '2026-11-22T10:00:00Z',
      ...(o.terminating ? { deletionTimestamp: '2026-11-22T10:05:00Z' } : {}),
    },
    spec: native
      ? {
          initContainers: [
            { name: 'istio-init', image: sidecar.image },
            { ...sidecar, restartPolicy: 'Always' },
          ],
          containers: [{ name: o.app, image: 'x' }],
        }
      : { initContainers: [{ name: 'istio-init', image: sidecar.image }], containers: [{ name: o.app, image: 'x' }, sidecar] },
    status: {
      phase: o.phase ?? 'Running',
      initContainerStatuses: native ? [initStatus, sidecarStatus] : [initStatus],
      containerStatuses: native ? [appStatus] : [appStatus, sidecarStatus],
    },
  };
}

export function podList(...pods: Record<string, unknown>[]): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'PodList', metadata: {}, items: pods };
}
