import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The kubeconfig kubectl would read: --kubeconfig, else $KUBECONFIG's first file, else ~/.kube/config. */
export function kubeconfigPath(explicit: string | undefined, env: NodeJS.ProcessEnv, home = homedir()): { path: string; from: string } {
  if (explicit) return { path: explicit, from: '--kubeconfig' };
  const first = env['KUBECONFIG']?.split(delimiter).find((p) => p !== '');
  if (first) return { path: first, from: '$KUBECONFIG' };
  return { path: join(home, '.kube', 'config'), from: 'default' };
}
