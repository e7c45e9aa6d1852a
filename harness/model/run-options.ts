/** What `casebook run` hands to the runner after its pre-flight (validation, Docker reachable). */
export type RunOptions = {
  /** Scenario ids; empty means every registered scenario. */
  ids: string[];
  /** Istio versions, one Playwright project each. */
  istio: string[];
  cluster: 'kind' | 'existing';
  /** --cluster-name: the kind cluster's name (default casebook). */
  clusterName?: string;
  /** For --cluster existing: kubeconfig path and context. */
  kubeconfig?: string;
  context?: string;
  /** Leave cluster, namespaces and containers in place and print the cleanup command. */
  keep: boolean;
  /** Only these phases (others are reported as skipped with that reason). */
  phases?: string[];
  /** Playwright --shard, e.g. "1/3". */
  shard?: string;
  /** Base URL replacing https://github.com for tool downloads (air-gapped CI). */
  mirror?: string;
  /** Allow installing/uninstalling Istio on an existing cluster. */
  manageIstio: boolean;
  /** Folder under which the run's report folder is created (default reports/). */
  reportRoot: string;
  /** Namespace-isolated scenarios run at most this many at once (default 2). */
  concurrency?: number;
  /** Each Istio version on its own kind cluster, all at once (default: one cluster, versions in sequence). */
  parallelVersions?: boolean;
};

/** 130: interrupted (Ctrl-C, SIGTERM, SIGHUP), never read as a verdict. */
export type RunOutcome = { exitCode: 0 | 1 | 2 | 130; reportDir: string };

/** A run's id: its UTC start to the second and four random characters, e.g. 20250101-120000z-a1b2. */
export function newRunId(now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
    .replace('T', '-')
    .toLowerCase();
  return `${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}
