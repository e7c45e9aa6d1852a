import { join, resolve } from 'node:path';
import { UsageError } from '../model/errors.ts';
import { newRunId, type RunOptions } from '../model/run-options.ts';
import { casebookRoot } from '../load/casebook-root.ts';
import { DEFAULT_ISTIO_VERSIONS } from '../tools/versions.ts';

/**
 * How `casebook run` describes a run to the Playwright processes it spawns (the runner, its
 * workers, its reporter): environment variables, since that is what Playwright passes through to
 * every process. `npm run test:e2e` starts Playwright directly: then the e2e defaults apply.
 */
export type RunEnv = {
  /** 'run' when started by casebook run; 'e2e' when Playwright was started directly (npm run test:e2e). */
  mode: 'run' | 'e2e';
  runId: string;
  reportDir: string;
  /** Scenario ids; empty means every registered scenario. */
  ids: string[];
  istio: string[];
  cluster: 'kind' | 'existing';
  clusterName: string;
  kubeconfig?: string;
  context?: string;
  keep: boolean;
  phases?: string[];
  mirror?: string;
  manageIstio: boolean;
  /** Namespace scenarios run at most this many at once. */
  concurrency: number;
  /** Each Istio version on its own kind cluster (harness/host/version-clusters.ts), Playwright running one worker per version. */
  parallelVersions: boolean;
};

/** The scenario `npm run test:e2e` runs end to end. */
export const E2E_SCENARIO = 'destinationrule-without-tls-overrides-mesh-mtls';
export const DEFAULT_CLUSTER_NAME = 'casebook';
/**
 * Scenarios at once unless --concurrency says otherwise: the gateway lane and two namespace
 * scenarios beside it. The harness mostly waits on the cluster (execs, watches); what a 2-core runner carries.
 */
export const DEFAULT_CONCURRENCY = 3;

const list = (v: string | undefined): string[] =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
const flag = (v: string | undefined): boolean => v === '1' || v === 'true';

export function runEnvFromOptions(opts: RunOptions, runId: string): RunEnv {
  return {
    mode: 'run',
    runId,
    reportDir: resolve(opts.reportRoot, runId),
    ids: [...opts.ids],
    istio: [...opts.istio],
    cluster: opts.cluster,
    clusterName: opts.clusterName ?? DEFAULT_CLUSTER_NAME,
    ...(opts.kubeconfig ? { kubeconfig: resolve(opts.kubeconfig) } : {}),
    ...(opts.context ? { context: opts.context } : {}),
    keep: opts.keep,
    ...(opts.phases?.length ? { phases: [...opts.phases] } : {}),
    ...(opts.mirror ? { mirror: opts.mirror } : {}),
    manageIstio: opts.manageIstio,
    concurrency: opts.concurrency ?? DEFAULT_CONCURRENCY,
    parallelVersions: opts.parallelVersions === true && opts.cluster === 'kind' && opts.istio.length > 1,
  };
}

export function encodeRunEnv(env: RunEnv): Record<string, string> {
  const out: Record<string, string> = {
    CASEBOOK_MODE: env.mode,
    CASEBOOK_RUN_ID: env.runId,
    CASEBOOK_REPORT_DIR: env.reportDir,
    CASEBOOK_IDS: env.ids.join(','),
    CASEBOOK_ISTIO: env.istio.join(','),
    CASEBOOK_CLUSTER: env.cluster,
    CASEBOOK_CLUSTER_NAME: env.clusterName,
    CASEBOOK_KEEP: env.keep ? '1' : '0',
    CASEBOOK_MANAGE_ISTIO: env.manageIstio ? '1' : '0',
    CASEBOOK_CONCURRENCY: String(env.concurrency),
    CASEBOOK_PARALLEL_VERSIONS: env.parallelVersions ? '1' : '0',
    // For the runner's parent watch (parent-watch.ts); set by whoever encodes, i.e. casebook run.
    CASEBOOK_PARENT_PID: String(process.pid),
  };
  if (env.kubeconfig) out['CASEBOOK_KUBECONFIG'] = env.kubeconfig;
  if (env.context) out['CASEBOOK_CONTEXT'] = env.context;
  if (env.phases) out['CASEBOOK_PHASES'] = env.phases.join(',');
  if (env.mirror) out['CASEBOOK_MIRROR'] = env.mirror;
  return out;
}

/**
 * Reads the run from the environment. Without CASEBOOK_RUN_ID, Playwright was started directly
 * (npm run test:e2e): the first scenario, the default Istio versions, a kind cluster, a fresh
 * report folder under reports/. `defaults.istio` comes from harness/tools/versions.ts.
 */
export function decodeRunEnv(vars: NodeJS.ProcessEnv, defaults: { istio: readonly string[]; root: string; now?: Date }): RunEnv {
  const e2e = !vars['CASEBOOK_RUN_ID'];
  const runId = vars['CASEBOOK_RUN_ID'] || `e2e-${newRunId(defaults.now)}`;
  const cluster = vars['CASEBOOK_CLUSTER'] ?? 'kind';
  if (cluster !== 'kind' && cluster !== 'existing') throw new UsageError(`CASEBOOK_CLUSTER=${cluster}: expected kind or existing`);
  const istio = list(vars['CASEBOOK_ISTIO']);
  const concurrency = Number(vars['CASEBOOK_CONCURRENCY'] ?? String(DEFAULT_CONCURRENCY));
  return {
    mode: e2e ? 'e2e' : vars['CASEBOOK_MODE'] === 'e2e' ? 'e2e' : 'run',
    runId,
    reportDir: vars['CASEBOOK_REPORT_DIR'] || join(defaults.root, 'reports', runId),
    ids: vars['CASEBOOK_IDS'] !== undefined ? list(vars['CASEBOOK_IDS']) : e2e ? [E2E_SCENARIO] : [],
    istio: istio.length > 0 ? istio : [...defaults.istio],
    cluster,
    clusterName: vars['CASEBOOK_CLUSTER_NAME'] || DEFAULT_CLUSTER_NAME,
    ...(vars['CASEBOOK_KUBECONFIG'] ? { kubeconfig: vars['CASEBOOK_KUBECONFIG'] } : {}),
    ...(vars['CASEBOOK_CONTEXT'] ? { context: vars['CASEBOOK_CONTEXT'] } : {}),
    keep: flag(vars['CASEBOOK_KEEP']),
    ...(vars['CASEBOOK_PHASES'] ? { phases: list(vars['CASEBOOK_PHASES']) } : {}),
    ...(vars['CASEBOOK_MIRROR'] ? { mirror: vars['CASEBOOK_MIRROR'] } : {}),
    manageIstio: flag(vars['CASEBOOK_MANAGE_ISTIO']),
    concurrency: Number.isInteger(concurrency) && concurrency > 0 ? concurrency : DEFAULT_CONCURRENCY,
    parallelVersions: flag(vars['CASEBOOK_PARALLEL_VERSIONS']),
  };
}

let current: RunEnv | undefined;

/**
 * The run this process belongs to, decoded from its environment once and then reused: the
 * Playwright config, the spec's run definition, the results reporter and the global teardown all
 * read this one value (Playwright's runner and each worker are separate processes, so each decodes
 * once). The config fixes the e2e defaults and exports them, so every later process decodes the same run.
 */
export function currentRunEnv(): RunEnv {
  current ??= decodeRunEnv(process.env, { istio: DEFAULT_ISTIO_VERSIONS, root: casebookRoot() });
  return current;
}
