import type { Isolation } from '../model/scenario.ts';

export type Schedulable = {
  id: string;
  isolation: Isolation;
  /** Same key = same Istio install (mesh profile and overrides). */
  installKey: string;
  /**
   * The scenario changes something every namespace sees although it says `namespace` or `gateway`:
   * a mesh-config patch (its own or a phase's), mesh-wide objects, or (a gateway scenario) objects
   * that reach sidecars. It then runs alone, like a mesh scenario.
   */
  meshWide?: boolean;
};

/**
 * Scenarios that share the cluster for a while. `pool` scenarios run beside each other; `lane`
 * scenarios run one after another, beside the pool. A batch of one scenario runs it alone.
 */
export type Batch = {
  installKey: string;
  /** Every scenario of the batch: the lane's, then the pool's. */
  ids: string[];
  /** Namespace scenarios: each touches only its own namespaces. */
  pool: string[];
  /** Gateway scenarios: they share the ingress gateway and istio-system secrets, so never two at once. */
  lane: string[];
};

/**
 * Orders scenarios into batches run one after another (docs/authoring-scenarios.md §6, Isolation):
 * - grouped by Istio install, in first-seen order, so each install is made once;
 * - per install, one batch for the `namespace` scenarios (own labelled namespaces) and the
 *   `gateway` ones: the gateway scenarios form a lane, one at a time since they share the ingress
 *   gateway, and the namespace scenarios run beside that lane and beside each other. Neither kind
 *   changes what the other's proxies see, so their phases cannot disturb each other's verdicts;
 * - a scenario of either kind that patches the mesh config or changes what every sidecar sees runs
 *   alone after them, and so does each `mesh` scenario, last.
 */
export function scheduleByIsolation(items: readonly Schedulable[]): Batch[] {
  const keys = [...new Set(items.map((i) => i.installKey))];
  return keys.flatMap((installKey) => {
    const group = items.filter((i) => i.installKey === installKey);
    const shared = (isolation: Isolation) => group.filter((i) => i.isolation === isolation && !i.meshWide).map((i) => i.id);
    const lane = shared('gateway');
    const pool = shared('namespace');
    const alone = [...group.filter((i) => i.isolation !== 'mesh' && i.meshWide), ...group.filter((i) => i.isolation === 'mesh')].map(
      (i) => ({ installKey, ids: [i.id], pool: [], lane: [i.id] }),
    );
    return [...(lane.length + pool.length > 0 ? [{ installKey, ids: [...lane, ...pool], pool, lane }] : []), ...alone];
  });
}

/** More than one scenario of the batch may run at a time. */
export function runsBeside(batch: Batch): boolean {
  return batch.pool.length + (batch.lane.length > 0 ? 1 : 0) > 1;
}

/**
 * Runs batches in order. Inside a batch at most `concurrency` scenarios run at once: the lane
 * takes one of those places for its whole length (it is started first: it is the longest), each
 * pool scenario one. `concurrency: 1` runs every scenario one after another. Results come in the
 * order of `ids`.
 */
export async function runBatches<R>(
  batches: readonly Batch[],
  run: (id: string, batch: Batch) => Promise<R>,
  opts: { concurrency: number },
): Promise<R[]> {
  const results: R[] = [];
  for (const batch of batches) {
    const units = [...(batch.lane.length > 0 ? [batch.lane] : []), ...batch.pool.map((id) => [id])];
    const byId = new Map<string, R>();
    await runPool(units, Math.max(1, opts.concurrency), async (unit) => {
      for (const id of unit) byId.set(id, await run(id, batch));
    });
    results.push(...batch.ids.map((id) => byId.get(id)!));
  }
  return results;
}

async function runPool<T>(units: readonly T[], width: number, run: (unit: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < units.length) await run(units[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, units.length) }, worker));
}
