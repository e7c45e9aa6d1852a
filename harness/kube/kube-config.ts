import { KubeConfig } from '@kubernetes/client-node';
import { existsSync } from 'node:fs';
import { PrerequisiteError } from '../model/errors.ts';

export type KubeConfigSource = {
  /** A kubeconfig file (kind: the one written into the run folder). Default: $KUBECONFIG, then ~/.kube/config. */
  kubeconfig?: string;
  /** A context in that file. Default: its current-context. */
  context?: string;
};

/** Loads a kubeconfig without merging it into anything else; never writes. */
export function loadKubeConfig(source: KubeConfigSource): KubeConfig {
  const kc = new KubeConfig();
  if (source.kubeconfig !== undefined) {
    if (!existsSync(source.kubeconfig)) {
      throw new PrerequisiteError(
        `kubeconfig ${source.kubeconfig} does not exist`,
        'pass --kubeconfig <file> with an existing file, or use --cluster kind',
      );
    }
    kc.loadFromFile(source.kubeconfig);
  } else {
    kc.loadFromDefault();
  }
  if (source.context !== undefined) {
    const known = kc.getContexts().map((c) => c.name);
    if (!known.includes(source.context)) {
      throw new PrerequisiteError(
        `context ${source.context} is not in ${source.kubeconfig ?? 'the default kubeconfig'} (contexts: ${known.join(', ') || 'none'})`,
        'pass --context with one of the contexts listed',
      );
    }
    kc.setCurrentContext(source.context);
  }
  if (kc.getCurrentCluster() === null) {
    throw new PrerequisiteError(
      `no cluster in ${source.kubeconfig ?? 'the default kubeconfig'} for context ${kc.getCurrentContext() || '(none)'}`,
      'pass --kubeconfig and --context naming a reachable cluster, or use --cluster kind',
    );
  }
  return kc;
}
