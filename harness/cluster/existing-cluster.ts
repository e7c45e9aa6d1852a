import { access } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { PrerequisiteError } from '../model/errors.ts';
import type { ClusterHandle, ExistingClusterOptions } from './cluster-handle.ts';
import { shq } from '../probes/context.ts';

/**
 * A cluster the user already has. Never deleted by us; Istio is installed or uninstalled there
 * only with --manage-istio (ensureIstio enforces it); namespaces and objects we create carry our
 * labels (the kube layer's job).
 */
export async function adoptExistingCluster(opts: ExistingClusterOptions, env: NodeJS.ProcessEnv = process.env): Promise<ClusterHandle> {
  const kubeconfigPath =
    opts.kubeconfig ?? env['KUBECONFIG']?.split(delimiter).find((p) => p.length > 0) ?? join(homedir(), '.kube', 'config');
  try {
    await access(kubeconfigPath);
  } catch {
    throw new PrerequisiteError(`kubeconfig ${kubeconfigPath} does not exist`, 'pass --kubeconfig <file>, or use --cluster kind');
  }
  const kc = new KubeConfig();
  try {
    kc.loadFromFile(kubeconfigPath);
  } catch (err) {
    throw new PrerequisiteError(`cannot read kubeconfig ${kubeconfigPath}: ${(err as Error).message}`, 'pass a valid --kubeconfig <file>', {
      cause: err,
    });
  }
  const context = opts.context ?? kc.getCurrentContext();
  if (!context || !kc.getContextObject(context)) {
    const known =
      kc
        .getContexts()
        .map((c) => c.name)
        .join(', ') || 'none';
    throw new PrerequisiteError(
      `kubeconfig ${kubeconfigPath} has no context ${context ? `"${context}"` : '(no current-context)'}; contexts: ${known}`,
      'pass --context <name>',
    );
  }
  const handle: ClusterHandle = {
    provider: 'existing',
    name: context,
    kubeconfigPath,
    context,
    created: false,
    manageIstio: opts.manageIstio,
    // Scoped to this run: other casebook runs on the same cluster keep their namespaces. Quoted:
    // the path and context come from the user and are pasted into a shell.
    cleanupCommand: `kubectl --kubeconfig ${shq(kubeconfigPath)} --context ${shq(context)} delete namespace -l ${opts.runId ? `casebook.dev/run=${opts.runId}` : 'casebook.dev/managed-by=istio-casebook'}`,
    async delete() {
      // Not ours: an existing cluster is never deleted.
    },
  };
  if (opts.ingress) handle.ingress = opts.ingress;
  return handle;
}
