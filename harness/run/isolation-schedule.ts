import type { Isolation } from '../model/scenario.ts';

export type Schedulable = {
  id: string;
  isolation: Isolation;
  /** Same key = same Istio install (mesh profile and overrides). */
  installKey: string;
  /**
   * The scenario changes something every namespace sees although it says `namespace`: a mesh-config
   * patch (its own or a phase's) or mesh-wide objects. It then runs alone, like a mesh scenario.
   */
  meshWide?: boolean;
};

/** Scenarios that may run at the same time (parallel) or one that must run alone. */
export type Batch = { installKey: string; ids: string[]; parallel: boolean };

/**
 * Orders scenarios into batches run one after another (docs/authoring-scenarios.md §6, Isolation):
 * - grouped by Istio install, in first-seen order, so each install is made once;
 * - `namespace` scenarios of one install share a parallel batch (own labelled namespaces), their
 *   phases running beside each other's, at most `concurrency` scenarios at once; one that patches
 *   the mesh config or applies mesh-wide objects runs alone after them (the patch is mesh-wide);
 * - `gateway` scenarios each get their own batch: they share the ingress gateway and istio-system secrets;
 * - `mesh` scenarios each run alone, after the others of their install, since they change the mesh for everyone.
 */
export function scheduleByIsolation(items: readonly Schedulable[]): Batch[] {
  const keys = [...new Set(items.map((i) => i.installKey))];
  return keys.flatMap((installKey) => {
    const group = items.filter((i) => i.installKey === installKey);
    const of = (isolation: Isolation) => group.filter((i) => i.isolation === isolation).map((i) => i.id);
    const namespaced = group.filter((i) => i.isolation === 'namespace' && !i.meshWide).map((i) => i.id);
    const namespacedAlone = group.filter((i) => i.isolation === 'namespace' && i.meshWide).map((i) => i.id);
    return [
      ...(namespaced.length > 0 ? [{ installKey, ids: namespaced, parallel: namespaced.length > 1 }] : []),
      ...namespacedAlone.map((id) => ({ installKey, ids: [id], parallel: false })),
      ...of('gateway').map((id) => ({ installKey, ids: [id], parallel: false })),
      ...of('mesh').map((id) => ({ installKey, ids: [id], parallel: false })),
    ];
  });
}

/** Runs batches in order; inside a parallel batch at most `concurrency` scenarios at once. */
export async function runBatches<R>(
  batches: readonly Batch[],
  run: (id: string, batch: Batch) => Promise<R>,
  opts: { concurrency: number },
): Promise<R[]> {
  const results: R[] = [];
  for (const batch of batches) results.push(...(await runPool(batch, run, batch.parallel ? Math.max(1, opts.concurrency) : 1)));
  return results;
}

async function runPool<R>(batch: Batch, run: (id: string, batch: Batch) => Promise<R>, width: number): Promise<R[]> {
  const results = new Array<R>(batch.ids.length);
  let next = 0;
  const lane = async () => {
    while (next < batch.ids.length) {
      const i = next++;
      results[i] = await run(batch.ids[i]!, batch);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, batch.ids.length) }, lane));
  return results;
}
