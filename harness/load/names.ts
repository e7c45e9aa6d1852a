/** Naming rules shared by the loader and the CLI. */
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function isKebabCase(s: string): boolean {
  return KEBAB.test(s);
}

/** `broken`, `fixed`, `broken-<x>`, `fixed-<x>`, `workaround-<x>`, `control-<x>` (harness/model/verdict.ts). */
export function isPhaseName(s: string): boolean {
  if (s === 'broken' || s === 'fixed') return true;
  const m = /^(broken|fixed|workaround|control)-(.+)$/.exec(s);
  return m !== null && isKebabCase(m[2]!);
}

/**
 * Namespaces a scenario may not claim: the runner deletes a scenario's namespaces afterwards, so
 * they must be namespaces nobody else owns.
 */
export function isReservedNamespace(ns: string): boolean {
  return ns === 'default' || ns === 'istio-system' || ns.startsWith('kube-') || ns === 'local-path-storage';
}
