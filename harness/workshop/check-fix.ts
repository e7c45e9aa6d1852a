import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCertificates } from '../certs/create-certificates.ts';
import { createCertStore } from '../certs/cert-store.ts';
import { secretFor } from '../certs/secrets.ts';
import { ensureHelper } from '../config-level/go-helper.ts';
import { configObservation } from '../config-level/observe.ts';
import { phaseInput } from '../config-level/phase-input.ts';
import { buildFor, readReleases } from '../config-level/releases.ts';
import { kubeletVersion, withMeshPatch } from '../config-level/run-config-level.ts';
import { runHelper, type SimPhaseOutput } from '../config-level/run-helper.ts';
import { showPath } from '../checks/config-checks.ts';
import { formatListenerTable, listenerTable } from '../probes/envoy/listener-table.ts';
import { describeObject, type KubeObject } from '../kube/manifest-objects.ts';
import type { Check } from '../model/check.ts';
import { InfrastructureError, UsageError } from '../model/errors.ts';
import type { Observation } from '../model/observation.ts';
import type { Phase, ScenarioDefinition, SecretRequest, Workshop } from '../model/scenario.ts';
import { planManifestPaths, planRun } from '../run/plan.ts';
import { FixInputError, type FixInput } from './fix-input.ts';

/**
 * `casebook check` at config level: the learner's objects take the place of the starting phase's
 * `apply` (on top of the scenario's workloads and mesh objects; Secrets as the learner wrote them,
 * or the starting phase's), Istio's own code computes what the proxies get, and the scenario's
 * `workshop` outcome and controls judge it. The outcome, not the recipe: any fix that reaches the
 * outcome without breaking a control is accepted.
 */
export type JudgedItem = {
  role: 'outcome' | 'control' | 'keeps';
  key: string;
  held: boolean;
  because: string;
  /** The check's own "expected …, got …". */
  message: string;
  /** The line that shows it: the simulated path, the listener rows, the object list. */
  evidence?: string;
};

export type FixJudgement = {
  scenario: string;
  istio: string;
  computedBy: string;
  accepted: boolean;
  items: JudgedItem[];
  /** What Istio computed (for the workshop's evidence). */
  output: SimPhaseOutput;
  /** Shown, never judged (workshop.evidence). */
  shown: { key: string; text: string }[];
};

export type CheckFixOptions = {
  root: string;
  scenario: ScenarioDefinition;
  input: Pick<FixInput, 'objects' | 'secrets'>;
  istio?: string;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
};

export function workshopOf(s: ScenarioDefinition): Workshop {
  if (!s.workshop) {
    throw new UsageError(
      `${s.id} has no workshop data yet: check cannot say what any fix must reach`,
      'scenarios with it: see `casebook check --help`; add a `workshop` field to the scenario (docs/workshops.md)',
    );
  }
  if (Object.keys(s.workshop.outcome).length === 0) {
    // Nothing in Istio's or Kubernetes' objects decides this fix: say so, never accept (or reject) anything.
    throw new UsageError(
      `${s.id}: check cannot judge a fix of this scenario at config level: ${s.workshop.cannotJudge}`,
      `what config can show: \`casebook explain ${s.id}\`; the fix itself shows on a live cluster (\`casebook run ${s.id}\`)`,
    );
  }
  return s.workshop;
}

export function startPhase(s: ScenarioDefinition): { name: string; phase: Phase } {
  const name = s.workshop?.from ?? 'broken';
  const phase = s.phases[name as keyof typeof s.phases];
  if (!phase)
    throw new UsageError(`${s.id} has no phase ${name} to start the workshop from`, `its phases: ${Object.keys(s.phases).join(', ')}`);
  return { name, phase };
}

/** The newest config-level build, as `casebook explain` picks it. */
export function defaultIstio(root: string): string {
  return readReleases(root).builds.at(-1)!.standsFor.split(' ')[0]!;
}

const ALWAYS: Check<unknown> = { name: 'shown()', evaluate: () => ({ ok: true, message: 'shown' }) };

export async function checkFix(opts: CheckFixOptions): Promise<FixJudgement> {
  const s = opts.scenario;
  const w = workshopOf(s);
  const { name: from, phase } = startPhase(s);
  const istio = opts.istio ?? defaultIstio(opts.root);
  const build = buildFor(istio, readReleases(opts.root));
  const log = opts.log ?? (() => {});
  const binary = await ensureHelper(build, { root: opts.root, env: opts.env, log });

  const manifests = new Map<string, string>();
  for (const path of planManifestPaths([s])) manifests.set(path, await readFile(join(opts.root, path), 'utf8'));
  const plan = planRun({ scenarios: [s], istioVersions: [istio], manifests });
  const vp = plan.versions[0]!;
  const sp = vp.scenarios[0]!;
  const pp = sp.phases.find((p) => p.name === from)!;

  // Every key the workshop observes becomes a config expectation of the starting phase, so the
  // helper computes the proxies and calls it needs (listeners:<workload> is added below).
  const keys = [...Object.keys(w.outcome), ...Object.keys(w.controls ?? {}), ...(w.evidence ?? [])];
  const expect = Object.fromEntries(keys.map((k) => [k, ALWAYS]));
  const asPhase: Phase = { ...phase, config: { expect } };
  const sw = { ...s, phases: { ...s.phases, [from]: asPhase } } as ScenarioDefinition;
  const secrets = await buildSecrets(s, opts.input.secrets ?? phase.secrets ?? []);
  const sim = phaseInput(sw, sp, { ...pp, objects: opts.input.objects }, secrets);
  for (const k of keys) {
    const m = /^listeners:(.+)$/.exec(k);
    if (!m) continue;
    const wl = s.workloads.find((x) => x.name === m[1]);
    if (!wl)
      throw new UsageError(`${s.id}: workshop key ${k} names no workload`, `its workloads: ${s.workloads.map((x) => x.name).join(', ')}`);
    if (!sim.proxies.some((p) => p.name === wl.name)) {
      const d = sp.workloads.find((x) => x.name === wl.name)?.objects.find((o) => o.kind === 'Deployment');
      sim.proxies.push({ name: wl.name, kind: 'sidecar', workload: d?.metadata.name ?? wl.name, namespace: wl.namespace });
    }
  }
  // The starting phase's mesh, as a config-level run computes it: the install plus the scenario's or
  // phase's meshConfig patch (enableAutoMtls: false, REGISTRY_ONLY, …), which no manifest can change.
  const install = vp.installs.find((i) => i.hash === (pp.install ?? sp.install))!;
  const istioOperator = withMeshPatch(install.istioOperator, pp.meshPatch ?? sp.meshPatch);
  const batch = await runHelper(
    binary,
    build,
    { istioOperator, kubeletVersion: kubeletVersion(plan.cluster.nodeImage), phases: [sim] },
    opts.env ? { env: opts.env } : {},
  );
  const out = batch.phases[0];
  if (!out)
    throw new InfrastructureError(
      `the config-level helper returned nothing for ${s.id}`,
      'a harness failure, not a verdict: run again, and report it',
    );

  // Objects Istio's validation refuses are the input's fault, not a verdict.
  const mine = new Set(opts.input.objects.map((o) => `${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`));
  const refused = out.rejected.filter((r) => mine.has(`${r.kind}|${r.namespace}|${r.name}`));
  if (refused.length > 0) {
    throw new FixInputError(
      `Istio's validation rejects ${refused.length === 1 ? 'an object' : `${refused.length} objects`} of your fix (a cluster would refuse to apply it):\n` +
        refused.map((r) => `  ${r.kind} ${r.namespace}/${r.name}: ${r.message}`).join('\n'),
      'correct the object(s) above, then check again',
    );
  }

  const items: JudgedItem[] = [];
  const judge = (role: JudgedItem['role'], key: string, c: Check<any>, because: string) => {
    const obs = observe(s, key, out);
    if ('notJudged' in obs)
      throw new InfrastructureError(
        `${s.id}: workshop key ${key} cannot be observed at config level: ${obs.notJudged}`,
        'a scenario-data mistake: name a probe, analysis, iptables:<w> or listeners:<w>',
      );
    const r = c.evaluate(obs);
    items.push({ role, key, held: r.ok, because, message: r.message, ...evidenceOf(obs) });
  };
  for (const [k, v] of Object.entries(w.outcome)) judge('outcome', k, v.check, v.because);
  for (const [k, v] of Object.entries(w.controls ?? {})) judge('control', k, v.check, v.because);
  const startObjects = pp.objects;
  for (const keep of w.keeps ?? []) {
    const want = startObjects.filter((o) => o.kind === keep.kind && o.metadata.namespace === keep.namespace);
    const missing = want.filter(
      (o) =>
        !opts.input.objects.some(
          (x) => x.kind === o.kind && x.metadata.namespace === o.metadata.namespace && x.metadata.name === o.metadata.name,
        ),
    );
    items.push({
      role: 'keeps',
      key: `${keep.kind} in ${keep.namespace}`,
      held: missing.length === 0,
      because: keep.because,
      message:
        missing.length === 0
          ? `kept: ${want.map(describeObject).join(', ') || 'none to keep'}`
          : `expected your fix to keep ${missing.map(describeObject).join(', ')}, got it deleted`,
      evidence: `your objects: ${opts.input.objects.map(describeObject).join(', ') || 'none'}`,
    });
  }
  const shown = (w.evidence ?? []).map((k) => {
    const obs = observe(s, k, out);
    return { key: k, text: 'notJudged' in obs ? obs.notJudged : (evidenceOf(obs).evidence ?? '') };
  });
  return {
    scenario: s.id,
    istio,
    computedBy: `${build.label} (${build.standsFor})`,
    accepted: items.every((i) => i.held),
    items,
    output: out,
    shown,
  };
}

function observe(s: ScenarioDefinition, key: string, out: SimPhaseOutput): Observation | { notJudged: string } {
  const m = /^listeners:(.+)$/.exec(key);
  if (!m) return configObservation(s, key, out);
  const p = out.proxies[m[1]!];
  if (!p) return { notJudged: `no proxy computed for ${m[1]}` };
  return { kind: 'envoy', what: 'listeners', listeners: listenerTable(p.configDump) };
}

function evidenceOf(obs: Observation): { evidence?: string } {
  if (obs.kind === 'config-path') return { evidence: `path: ${showPath(obs)}` };
  if (obs.kind === 'envoy' && obs.what === 'listeners') {
    // The virtual listeners (15001 outbound, 15006 inbound) are the same in every proxy: not evidence.
    const rows = obs.listeners.filter((r) => r.port !== 15001 && r.port !== 15006);
    return { evidence: `listeners:\n${formatListenerTable(rows).trimEnd()}` };
  }
  if (obs.kind === 'analysis') {
    return {
      evidence:
        obs.messages.length === 0
          ? 'analysis: no messages'
          : `analysis: ${obs.messages
              .slice(0, 4)
              .map((m) => `${m.code} ${m.resource}`)
              .join(', ')}`,
    };
  }
  return {};
}

async function buildSecrets(s: ScenarioDefinition, reqs: readonly SecretRequest[]): Promise<KubeObject[]> {
  if (reqs.length === 0) return [];
  const store = await createCertStore();
  try {
    await createCertificates(store, s.certificates ?? []);
    return await Promise.all(reqs.map(async (r) => (await secretFor(r, store)) as unknown as KubeObject));
  } finally {
    await store.dispose();
  }
}
