/**
 * Labels on every Kubernetes object the harness creates. The harness changes or deletes only
 * namespaces and objects that carry MANAGED_BY: on an existing cluster
 * a namespace named like ours but without this label belongs to someone else.
 */
export const MANAGED_BY = 'casebook.dev/managed-by';
export const MANAGED_BY_VALUE = 'istio-casebook';
export const SCENARIO = 'casebook.dev/scenario';
export const RUN = 'casebook.dev/run';

/** Server-side apply field manager: re-applying a base manifest with it removes fields a phase added. */
export const FIELD_MANAGER = 'istio-casebook';

export function ownedLabels(opts: { scenario?: string; runId?: string }): Record<string, string> {
  const labels: Record<string, string> = { [MANAGED_BY]: MANAGED_BY_VALUE };
  if (opts.scenario !== undefined) labels[SCENARIO] = opts.scenario;
  if (opts.runId !== undefined) labels[RUN] = opts.runId;
  return labels;
}

export function isOwned(labels: Record<string, string> | undefined): boolean {
  return labels?.[MANAGED_BY] === MANAGED_BY_VALUE;
}
