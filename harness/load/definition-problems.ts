import semver from 'semver';
import { didYouMean } from '../model/did-you-mean.ts';
import type { LoadProblem } from '../model/errors.ts';
import type { ProbeSpec } from '../model/probe-spec.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import type { WriteUp } from '../model/write-up.ts';
import { phaseIntent, verdictFor } from '../model/verdict.ts';
import { isPhaseSpecific } from '../checks/phase-specific.ts';
import { layout } from './casebook-root.ts';
import { placeholderProblems } from './placeholder-problems.ts';
import { wiringProblems } from './wiring-problems.ts';
import { unknownFields } from '../model/define-scenario.ts';

/**
 * Problems visible in the definitions alone (no file system): names, cross-references between
 * probes, phases, workloads, certificates and external services, and namespaces shared between
 * scenarios. Pure, so every rule has a unit test.
 */
export function definitionProblems(scenarios: readonly ScenarioDefinition[]): LoadProblem[] {
  const problems: LoadProblem[] = [];
  const seen = new Map<string, number>();
  for (const s of scenarios) seen.set(s.id, (seen.get(s.id) ?? 0) + 1);
  for (const [id, count] of seen) {
    if (count > 1) problems.push({ location: layout.registry, message: `duplicate scenario id '${id}' (registered ${count} times)` });
  }
  // A duplicated id is reported once above; its copies would only repeat the same locations.
  const unique = uniqueById(scenarios);
  for (const s of unique) problems.push(...oneScenario(s));
  problems.push(...namespaceCollisions(unique));
  return problems;
}

function oneScenario(s: ScenarioDefinition): LoadProblem[] {
  const problems: LoadProblem[] = [];
  const at = (field: string) => `${layout.scenarioModule(s.id)}: ${field}`;
  const add = (field: string, message: string) => problems.push({ location: at(field), message });

  // A misspelt field (a phase's `secretz`) would otherwise be ignored and the phase run without it.
  for (const u of unknownFields(s)) add(u.field, u.message);
  if (!isKebabCase(s.id)) add('id', `id '${s.id}' is not kebab-case (lower-case words joined by '-')`);
  for (const field of ['title', 'symptom', 'cause', 'fix'] as const) {
    if (typeof s[field] !== 'string' || s[field].trim() === '') add(field, `${field} is empty: a scenario tells its story`);
  }
  const source: unknown = s.source;
  if (
    typeof source !== 'object' ||
    source === null ||
    typeof (source as WriteUp).title !== 'string' ||
    (source as WriteUp).title.trim() === ''
  ) {
    add('source', "source needs the write-up's title (and its author, date and url where known): { title, author?, date?, url? }");
  }

  const workloads = new Set<string>();
  for (const [i, w] of s.workloads.entries()) {
    if (workloads.has(w.name)) add(`workloads[${i}]`, `workload '${w.name}' is declared twice`);
    workloads.add(w.name);
    if (isReservedNamespace(w.namespace)) {
      add(
        `workloads[${i}].namespace`,
        `namespace '${w.namespace}' is not the scenario's own (the runner deletes its namespaces afterwards); pick a name unique to this scenario`,
      );
    }
  }
  const certs = new Map((s.certificates ?? []).map((c) => [c.name, c.kind] as const));
  const certRef = (field: string, name: string | undefined, wanted?: 'ca') => {
    if (name === undefined) return;
    const kind = certs.get(name);
    if (kind === undefined) add(field, `unknown certificate '${name}' (declared: ${list(certs.keys())})`);
    else if (wanted && kind !== wanted) add(field, `certificate '${name}' is a ${kind} certificate, not a CA`);
  };
  for (const [i, c] of (s.certificates ?? []).entries()) {
    if (c.kind !== 'ca') certRef(`certificates[${i}].ca`, c.ca, 'ca');
  }
  for (const [i, e] of (s.external ?? []).entries()) {
    if (e.kind === 'https-site') certRef(`external[${i}].ca`, e.ca);
  }
  for (const [i, secret] of (s.setup?.secrets ?? []).entries()) {
    certRef(`setup.secrets[${i}].cert`, secret.cert);
    certRef(`setup.secrets[${i}].ca`, secret.ca);
  }

  for (const [name, spec] of Object.entries(s.probes)) {
    const field = `probes.${name}`;
    const client = clientOf(spec);
    if (client !== undefined && !workloads.has(client.workload)) {
      add(
        `${field}.${client.field}`,
        `probe '${name}' runs ${client.field === 'of' ? 'against' : 'from'} unknown workload '${client.workload}' (declared: ${list(workloads)})`,
      );
    }
    if (spec.kind === 'ingress') {
      certRef(`${field}.ca`, spec.ca, 'ca');
      certRef(`${field}.clientCert`, spec.clientCert);
    }
    problems.push(...placeholderProblems(s, at(field), spec));
  }

  if (s.isolation === 'namespace') {
    for (const [name, spec] of Object.entries(s.probes)) {
      // Namespace scenarios run beside the gateway ones, whose phases change what the ingress gateway serves.
      if (spec.kind === 'ingress' || spec.kind === 'browser') {
        add(
          `probes.${name}`,
          `goes through the ingress gateway, which gateway scenarios change meanwhile: make the scenario isolation 'gateway'`,
        );
      }
    }
  }
  const phaseNames = Object.keys(s.phases);
  if (phaseNames.length === 0) add('phases', 'no phases: a scenario needs at least `broken` or a control');
  for (const [name, phase] of Object.entries(s.phases)) {
    if (phase === undefined) continue;
    const field = `phases.${name}`;
    if (!isPhaseName(name))
      add(field, `invalid phase name '${name}' (use broken, fixed, broken-<x>, fixed-<x>, workaround-<x> or control-<x>)`);
    const checked = Object.keys(phase.expect);
    if (checked.length === 0) add(`${field}.expect`, 'the phase checks nothing');
    else if (!Object.values(phase.expect).some((c) => isPhaseSpecific(c))) {
      add(
        `${field}.expect`,
        `no phase-specific check: every check of '${name}' (${checked.join(', ')}) could also hold on the state the ` +
          "previous phase's revert leaves, or before istiod pushes anything; wrap a check that only this phase's config can " +
          'satisfy in phaseSpecific(check, because), adding a probe for it if none exists (docs/authoring-scenarios.md §5)',
      );
    }
    for (const probe of checked) {
      if (!(probe in s.probes)) {
        const near = didYouMean(probe, Object.keys(s.probes));
        add(
          `${field}.expect.${probe}`,
          `checks probe '${probe}', which does not exist${near ? `: did you mean '${near}'?` : ''} (probes: ${list(Object.keys(s.probes))})`,
        );
      }
    }
    if (phase.mesh && s.isolation !== 'mesh') {
      // A phase-level mesh change reinstalls Istio for everyone on the cluster.
      add(`${field}.mesh`, `changes the mesh config, so the scenario must be isolation 'mesh' (it is '${s.isolation}')`);
    }
    for (const [i, secret] of (phase.secrets ?? []).entries()) {
      certRef(`${field}.secrets[${i}].cert`, secret.cert);
      certRef(`${field}.secrets[${i}].ca`, secret.ca);
    }
  }

  problems.push(...wiringProblems(s));

  for (const [i, v] of (s.versions ?? []).entries()) {
    const field = `versions[${i}]`;
    if (semver.validRange(v.istio) === null) add(`${field}.istio`, `'${v.istio}' is not a semver range (e.g. '<1.3' or '>=1.25')`);
    if (!(v.phase in s.phases)) {
      add(`${field}.phase`, `expectation for phase '${v.phase}', which does not exist (phases: ${list(phaseNames)})`);
      continue;
    }
    const intent = phaseIntent(v.phase);
    const allowed = [verdictFor(intent, true), verdictFor(intent, false), 'skipped'];
    if (!allowed.includes(v.verdict))
      add(`${field}.verdict`, `verdict '${v.verdict}' cannot happen in a ${intent} phase (one of: ${allowed.join(', ')})`);
  }
  return problems;
}

function clientOf(spec: ProbeSpec): { field: 'from' | 'of'; workload: string } | undefined {
  switch (spec.kind) {
    case 'http':
    case 'tcp':
    case 'tls':
      return { field: 'from', workload: spec.from };
    case 'envoy':
      return { field: 'of', workload: spec.of };
    default:
      return undefined; // ingress and browser probes run on the host
  }
}

/** Two scenarios in one namespace would delete each other's objects on teardown. */
function namespaceCollisions(scenarios: readonly ScenarioDefinition[]): LoadProblem[] {
  const owners = new Map<string, Set<string>>();
  for (const s of scenarios) {
    for (const w of s.workloads) {
      const set = owners.get(w.namespace) ?? new Set<string>();
      set.add(s.id);
      owners.set(w.namespace, set);
    }
  }
  return [...owners]
    .filter(([, ids]) => ids.size > 1)
    .map(([ns, ids]) => ({
      location: layout.registry,
      message: `namespace '${ns}' is used by several scenarios (${[...ids].join(', ')}): each scenario owns its namespaces`,
    }));
}

function list(names: Iterable<string>): string {
  const all = [...names];
  return all.length === 0 ? 'none' : all.join(', ');
}

export function uniqueById(scenarios: readonly ScenarioDefinition[]): ScenarioDefinition[] {
  const seen = new Set<string>();
  return scenarios.filter((s) => !seen.has(s.id) && seen.add(s.id));
}

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
