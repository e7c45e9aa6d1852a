/**
 * argv for the kind CLI, flags as defined in kubernetes-sigs/kind v0.32.0:
 *   pkg/cmd/kind/create/cluster/createcluster.go  --name --config --image --wait (a duration) --kubeconfig
 *   pkg/cmd/kind/get/clusters/clusters.go         one name per line on stdout ("No kind clusters found." goes to stderr)
 *   pkg/cmd/kind/get/kubeconfig/kubeconfig.go     --name; prints the kubeconfig on stdout
 *   pkg/cmd/kind/delete/cluster/deletecluster.go  --name --kubeconfig
 *   pkg/cmd/kind/load/docker-image/docker-image.go <IMAGE>... --name
 * --kubeconfig on create/delete points kind at the run folder's file, so ~/.kube/config and
 * $KUBECONFIG are never touched.
 */
export const kindArgs = {
  getClusters: (): string[] => ['get', 'clusters'],
  create: (o: { name: string; image: string; configPath: string; kubeconfigPath: string; waitMs: number }): string[] => [
    'create',
    'cluster',
    '--name',
    o.name,
    '--image',
    o.image,
    '--config',
    o.configPath,
    '--kubeconfig',
    o.kubeconfigPath,
    '--wait',
    `${Math.ceil(o.waitMs / 1000)}s`,
  ],
  getKubeconfig: (name: string): string[] => ['get', 'kubeconfig', '--name', name],
  delete: (name: string, kubeconfigPath: string): string[] => ['delete', 'cluster', '--name', name, '--kubeconfig', kubeconfigPath],
  loadImages: (name: string, images: readonly string[]): string[] => ['load', 'docker-image', ...images, '--name', name],
};

/** kind names the kubeconfig context `kind-<cluster>` (pkg/cluster/internal/kubeconfig/internal/kubeconfig/helpers.go). */
export function kindContext(name: string): string {
  return `kind-${name}`;
}

/** kind names node containers `<cluster>-control-plane`, on the docker network `kind` unless overridden. */
export function kindControlPlane(name: string): string {
  return `${name}-control-plane`;
}

export function parseClusterList(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}
