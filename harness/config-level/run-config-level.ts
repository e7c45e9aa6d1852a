import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCertificates } from '../certs/create-certificates.ts';
import { createCertStore } from '../certs/cert-store.ts';
import { secretFor } from '../certs/secrets.ts';
import { formatListenerTable, listenerTable } from '../probes/envoy/listener-table.ts';
import type { KubeObject } from '../kube/manifest-objects.ts';
import type { EvidenceRef, PhaseResult, RunResults } from '../model/results.ts';
import type { Phase, ScenarioDefinition } from '../model/scenario.ts';
import { phaseIntent, verdictFor } from '../model/verdict.ts';
import { createConsoleReporter } from '../report/console-reporter.ts';
import { exitCodeFor } from '../report/exit-code.ts';
import { writeReports } from '../report/write-results.ts';
import { patchedMesh, type MeshPatch } from '../istio/mesh-config.ts';
import { planManifestPaths, planRun, type ScenarioPlan } from '../run/plan.ts';
import { expectationFor } from '../run/version-expectations.ts';
import { newRunId } from '../model/run-options.ts';
import { canonicalJson } from '../istio/operator.ts';
import { KIND_NODE_IMAGE } from '../tools/versions.ts';
import { ensureHelper } from './go-helper.ts';
import { judgeConfig } from './observe.ts';
import { phaseInput, type SimPhaseInput } from './phase-input.ts';
import { buildFor, readReleases, type ConfigBuild } from './releases.ts';
import { runHelper, type SimPhaseOutput } from './run-helper.ts';

export type ConfigRunOptions = {
  root: string;
  scenarios: readonly ScenarioDefinition[];
  istio: readonly string[];
  phases?: readonly string[];
  reportRoot?: string;
  env?: NodeJS.ProcessEnv;
  out: { write(s: string): unknown };
};

export type ConfigLevelOutcome = {
  results: RunResults;
  /** Per requested version and phase id, what the helper computed (explain reads it). */
  outputs: Map<string, Map<string, SimPhaseOutput>>;
  reportDir?: string;
  exitCode: 0 | 1;
};

/** kind's node image names the kubelet version (v1.36.1), which decides native sidecars. */
export function kubeletVersion(nodeImage: string = KIND_NODE_IMAGE): string {
  return /:(v\d+\.\d+\.\d+)/.exec(nodeImage)?.[1] ?? 'v1.36.1';
}

/**
 * `casebook run --level config`: every selected phase judged on what Istio's own code computes
 * for it (istio-sim), per requested version, with the same reports as a runtime run, each verdict
 * marked `config`. No Docker, no cluster: Go and the Go module proxy (first build only).
 */
export async function runConfigLevel(opts: ConfigRunOptions): Promise<ConfigLevelOutcome> {
  const started = new Date();
  const runId = newRunId(started);
  const record = readReleases(opts.root);
  const builds = new Map<string, ConfigBuild>(opts.istio.map((v) => [v, buildFor(v, record)]));
  const manifests = new Map<string, string>();
  for (const path of planManifestPaths(opts.scenarios)) manifests.set(path, await readFile(join(opts.root, path), 'utf8'));
  const plan = planRun({ scenarios: opts.scenarios, istioVersions: opts.istio, manifests });
  const log = (l: string) => opts.out.write(`${l}\n`);
  const reporter = createConsoleReporter(opts.out);
  const results: PhaseResult[] = [];
  const outputs = new Map<string, Map<string, SimPhaseOutput>>();
  const reportDir = opts.reportRoot ? join(opts.reportRoot, `${runId}-config`) : undefined;
  const secretsByScenario = scenarioSecrets(opts.scenarios);
  try {
    for (const vp of plan.versions) {
      const build = builds.get(vp.istio)!;
      const binary = await ensureHelper(build, { root: opts.root, env: opts.env, log });
      log(`config level: istio ${vp.istio} judged by Istio's code at ${build.label} (${build.standsFor})`);
      // One helper process per effective mesh: the install plus the scenario's or phase's patch of
      // the `istio` ConfigMap (what the runtime path patches, the helper renders into the install).
      const byInstall = new Map<string, { iop: Record<string, unknown>; phases: SimPhaseInput[] }>();
      const selected: { s: ScenarioDefinition; sp: ScenarioPlan; name: string; phase: Phase }[] = [];
      for (const sp of vp.scenarios) {
        const s = opts.scenarios.find((x) => x.id === sp.id)!;
        for (const pp of sp.phases) {
          const phase = s.phases[pp.name as keyof typeof s.phases] as Phase;
          selected.push({ s, sp, name: pp.name, phase });
          if (opts.phases && !opts.phases.includes(pp.name)) continue;
          if (!phase.config || Object.keys(phase.config.expect).length === 0) continue;
          // A runtime run patches a scenario's or phase's meshConfig/proxyMetadata into the installed
          // mesh (harness/istio/mesh-config.ts); here the patch goes into the batch's IstioOperator,
          // so each distinct patch is its own batch (e.g. enableAutoMtls: false, REGISTRY_ONLY).
          const patch = pp.meshPatch ?? sp.meshPatch;
          const hash = pp.install ?? sp.install;
          const key = `${hash} ${canonicalJson(patch ?? {})}`;
          const secrets = await secretsByScenario.forPhase.get(s.id)!(phase);
          const batch = byInstall.get(key) ?? {
            iop: withMeshPatch(vp.installs.find((i) => i.hash === hash)!.istioOperator, patch),
            phases: [],
          };
          batch.phases.push(phaseInput(s, sp, pp, secrets));
          byInstall.set(key, batch);
        }
      }
      const computed = new Map<string, SimPhaseOutput>();
      for (const { iop: istioOperator, phases } of byInstall.values()) {
        const t0 = Date.now();
        const out = await runHelper(
          binary,
          build,
          { istioOperator, kubeletVersion: kubeletVersion(plan.cluster.nodeImage), phases },
          opts.env ? { env: opts.env } : {},
        );
        const ms = (Date.now() - t0) / Math.max(phases.length, 1);
        for (const p of out.phases) computed.set(p.id, { ...p, timingsMs: { ...p.timingsMs, wallPerPhase: ms } });
      }
      outputs.set(vp.istio, computed);
      for (const { s, name, phase } of selected) {
        const r = await judgePhase(
          s,
          name,
          phase,
          vp.istio,
          build,
          computed.get(`${s.id}/${name}`),
          opts.phases,
          reportDir,
          secretsByScenario.known.get(s.id),
        );
        results.push(r);
        reporter.phaseEnded(r);
      }
    }
  } finally {
    await secretsByScenario.dispose();
  }
  const runResults: RunResults = {
    runId,
    level: 'config',
    configBuilds: Object.fromEntries(
      [...builds].map(([v, b]) => [v, { label: b.label, module: 'istio.io/istio', version: b.version, standsFor: b.standsFor }]),
    ),
    casebookVersion: '0.1.0',
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    cluster: { provider: 'kind', name: "none (config level: Istio's code, no cluster)" },
    istioVersions: [...opts.istio],
    results,
  };
  reporter.runEnded(runResults);
  if (reportDir) await writeReports(reportDir, runResults, { scenarios: opts.scenarios });
  return { results: runResults, outputs, reportDir, exitCode: exitCodeFor(runResults) };
}

/** The IstioOperator with a mesh patch merged in, as istiod would read the patched `istio` ConfigMap. */
export function withMeshPatch(iop: Record<string, unknown>, patch: MeshPatch | undefined): Record<string, unknown> {
  if (!patch || (!patch.meshConfig && !patch.proxyMetadata)) return iop;
  const out = structuredClone(iop);
  const spec = (out['spec'] ??= {}) as Record<string, unknown>;
  spec['meshConfig'] = patchedMesh((spec['meshConfig'] ?? {}) as Record<string, unknown>, patch);
  return out;
}

/**
 * Per scenario, a function giving the Secrets a phase sees: the setup's (kept for every phase)
 * unless the phase replaces one of the same name, then the phase's own. Built from the scenario's
 * certificates; keys stay in 0700 temp folders that `dispose` removes.
 */
function scenarioSecrets(scenarios: readonly ScenarioDefinition[]): {
  forPhase: Map<string, (p: Phase) => Promise<KubeObject[]>>;
  known: Map<string, Map<string, string>>;
  dispose: () => Promise<void>;
} {
  const stores: Awaited<ReturnType<typeof createCertStore>>[] = [];
  const forPhase = new Map<string, (p: Phase) => Promise<KubeObject[]>>();
  // Per scenario, the SHA-256 fingerprint (hex, no colons) of each of its certificates → its name:
  // a served certificate is named after the run's certificate, as an ingress probe's `identify` does.
  const known = new Map<string, Map<string, string>>();
  for (const s of scenarios) {
    let store: Awaited<ReturnType<typeof createCertStore>> | undefined;
    forPhase.set(s.id, async (p) => {
      const own = p.secrets ?? [];
      const kept = (s.setup?.secrets ?? []).filter((r) => !own.some((o) => o.name === r.name && o.namespace === r.namespace));
      const requests = [...kept, ...own];
      if (requests.length === 0) return [];
      if (!store) {
        store = await createCertStore();
        stores.push(store);
        await createCertificates(store, s.certificates ?? []);
        const st = store;
        known.set(
          s.id,
          new Map(
            (s.certificates ?? []).map((c) => [new X509Certificate(st.get(c.name).certPem).fingerprint256.replaceAll(':', ''), c.name]),
          ),
        );
      }
      const st = store;
      return Promise.all(requests.map(async (req) => (await secretFor(req, st)) as unknown as KubeObject));
    });
  }
  return {
    forPhase,
    known,
    dispose: async () => {
      await Promise.all(stores.map((st) => st.dispose()));
    },
  };
}

async function judgePhase(
  s: ScenarioDefinition,
  name: string,
  phase: Phase,
  istio: string,
  build: ConfigBuild,
  out: SimPhaseOutput | undefined,
  selectedPhases: readonly string[] | undefined,
  reportDir: string | undefined,
  known?: ReadonlyMap<string, string>,
): Promise<PhaseResult> {
  const intent = phaseIntent(name);
  const exp = expectationFor(s, name, istio);
  const base = {
    level: 'config' as const,
    scenario: s.id,
    phase: name,
    intent,
    istio,
    expected: exp.expected,
    expectedBecause: exp.because,
    startedAt: new Date().toISOString(),
    durationMs: out?.timingsMs['wallPerPhase'] ?? 0,
    evidence: [] as EvidenceRef[],
    probes: [],
  };
  if (selectedPhases && !selectedPhases.includes(name)) {
    return { ...base, verdict: 'skipped', asExpected: false, skippedReason: `not selected (--phase ${selectedPhases.join(',')})` };
  }
  if (!phase.config || Object.keys(phase.config.expect).length === 0) {
    return {
      ...base,
      verdict: 'not-judged',
      asExpected: false,
      skippedReason: `not judged at config level: ${phase.config?.dataPlaneOnly ?? 'the phase has no config-level expectations'}`,
    };
  }
  if (!out) return { ...base, verdict: 'error', asExpected: false, error: `the config-level helper returned nothing for ${s.id}/${name}` };
  const probes = judgeConfig(s, phase, out, known);
  const infra = probes.find((p) => p.infrastructureError);
  const verdict = infra
    ? 'error'
    : verdictFor(
        intent,
        probes.every((p) => p.held),
      );
  const evidence = reportDir ? await writeEvidence(reportDir, s.id, name, istio, build, out) : [];
  return {
    ...base,
    verdict,
    asExpected: verdict === exp.expected,
    probes,
    evidence,
    ...(infra ? { error: infra.message } : {}),
  };
}

/** What Istio computed for the phase, kept beside the reports: paths, listener tables, analysis, iptables (no keys: SDS secrets are named, not inlined). */
async function writeEvidence(
  reportDir: string,
  scenario: string,
  phase: string,
  istio: string,
  build: ConfigBuild,
  out: SimPhaseOutput,
): Promise<EvidenceRef[]> {
  const rel = join('evidence', scenario, phase, `istio-${istio}`);
  const dir = join(reportDir, rel);
  await mkdir(dir, { recursive: true });
  const refs: EvidenceRef[] = [];
  const summary = {
    computedBy: `istio.io/istio ${build.version} (${build.label})`,
    calls: out.calls,
    analysis: out.analysis,
    rejected: out.rejected,
    problems: out.problems,
    proxies: Object.fromEntries(
      Object.entries(out.proxies).map(([k, p]) => [
        k,
        {
          kind: p.kind,
          podIP: p.podIP,
          injected: p.injected,
          nativeSidecar: p.nativeSidecar,
          iptables: p.iptables,
          sds: p.sds,
          pod: p.pod,
        },
      ]),
    ),
  };
  await writeFile(join(dir, 'config-level.json'), `${JSON.stringify(summary, null, 2)}\n`);
  refs.push({ name: 'config-level', path: join(rel, 'config-level.json'), contentType: 'application/json' });
  for (const [name, p] of Object.entries(out.proxies)) {
    if (!p.configDump) continue;
    await writeFile(join(dir, `listeners-${name}.txt`), `${formatListenerTable(listenerTable(p.configDump))}\n`);
    refs.push({ name: `listeners:${name}`, path: join(rel, `listeners-${name}.txt`), contentType: 'text/plain' });
  }
  return refs;
}
