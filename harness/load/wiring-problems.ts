import type { Check, ObservationKind } from '../model/check.ts';
import { didYouMean } from '../model/did-you-mean.ts';
import type { LoadProblem } from '../model/errors.ts';
import { EVIDENCE_KINDS, SIDECAR_EVIDENCE, type EvidenceKind } from '../model/evidence-kinds.ts';
import type { ProbeSpec } from '../model/probe-spec.ts';
import type { ScenarioDefinition } from '../model/scenario.ts';
import { layout } from './casebook-root.ts';

/**
 * The joints between a phase's checks, its probes and its evidence, found from declared data
 * without the type checker (defineScenario's types hold the names too, but a scenario in plain
 * JavaScript or one cast past tsc reaches only this): a misspelt check, a check given a probe whose
 * observation it cannot judge, an evidence entry the collector would not understand, a
 * `config.expect` or workshop key naming no probe or workload. Nothing is evaluated, so every
 * problem is reported at once.
 */
export function wiringProblems(s: ScenarioDefinition): LoadProblem[] {
  const problems: LoadProblem[] = [];
  const add = (field: string, message: string) => problems.push({ location: `${layout.scenarioModule(s.id)}: ${field}`, message });
  for (const [phaseName, phase] of Object.entries(s.phases)) {
    if (phase === undefined) continue;
    for (const [probeName, c] of Object.entries(phase.expect)) {
      const spec = s.probes[probeName];
      for (const leaf of leaves(c as Check<unknown>)) {
        const field = `phases.${phaseName}.expect.${probeName}`;
        if (leaf.unknownName) {
          const { name, suggestion } = leaf.unknownName;
          add(
            field,
            `check.${name} is not a check${suggestion ? `: did you mean check.${suggestion}?` : ' (the checks are listed in docs/authoring-scenarios.md §5)'}`,
          );
        } else if (spec !== undefined && leaf.judges !== undefined && !leaf.judges.includes(kindOf(spec))) {
          add(field, wrongKindMessage(leaf, probeName, spec));
        }
      }
    }
    for (const [i, entry] of (phase.evidence ?? []).entries()) {
      const message = evidenceProblem(s, Object.keys(phase.expect), entry);
      if (message) add(`phases.${phaseName}.evidence[${i}]`, message);
    }
    for (const key of Object.keys(phase.config?.expect ?? {})) {
      const message = keyProblem(s, key, false);
      if (message) add(`phases.${phaseName}.config.expect.${key}`, message);
    }
  }
  const w = s.workshop;
  if (w) {
    if (w.from !== undefined && w.from !== 'broken' && !w.task?.trim()) {
      add(
        'workshop.task',
        `the workshop starts from '${w.from}', whose manifests do not show the symptom: say what the learner is asked to do in workshop.task`,
      );
    }
    for (const [part, record] of [
      ['outcome', w.outcome],
      ['controls', w.controls ?? {}],
    ] as const) {
      for (const key of Object.keys(record)) {
        const message = keyProblem(s, key, true);
        if (message) add(`workshop.${part}.${key}`, message);
      }
    }
    for (const [i, key] of (w.evidence ?? []).entries()) {
      const message = keyProblem(s, key, true);
      if (message) add(`workshop.evidence[${i}]`, message);
    }
  }
  return problems;
}

/**
 * Why a key of `config.expect` (or, with `workshop`, of the workshop's outcome, controls and
 * evidence, which also take `listeners:<workload>`) names nothing the config level can observe.
 */
function keyProblem(s: ScenarioDefinition, key: string, workshop: boolean): string | undefined {
  if (key in s.probes || key === 'analysis') return undefined;
  const workloads = s.workloads.map((x) => x.name);
  const prefixed = /^(iptables|listeners):(.*)$/.exec(key);
  if (prefixed && (prefixed[1] === 'iptables' || workshop)) {
    if (workloads.includes(prefixed[2]!)) return undefined;
    const near = didYouMean(prefixed[2]!, workloads);
    return `'${key}': workload '${prefixed[2]}' is not declared${near ? `: did you mean '${prefixed[1]}:${near}'?` : ''} (workloads: ${workloads.join(', ')})`;
  }
  const valid = [
    ...Object.keys(s.probes),
    'analysis',
    ...workloads.map((x) => `iptables:${x}`),
    ...(workshop ? workloads.map((x) => `listeners:${x}`) : []),
  ];
  const near = didYouMean(key, valid);
  return (
    `'${key}' is not a probe of this scenario, analysis or iptables:<workload>${workshop ? ' or listeners:<workload>' : ''}` +
    `${near ? `: did you mean '${near}'?` : ''} (probes: ${Object.keys(s.probes).join(', ')})`
  );
}

/** What a probe's observations are, in the terms checks declare (`envoy access-log`). */
export function kindOf(spec: ProbeSpec): ObservationKind {
  return spec.kind === 'envoy' ? `envoy ${spec.what}` : spec.kind === 'kube' ? `kube ${spec.read}` : spec.kind;
}

function* leaves(c: Check<unknown>): Generator<Check<unknown>> {
  if (c.parts) for (const p of c.parts) yield* leaves(p);
  else yield c;
}

function wrongKindMessage(leaf: Check<unknown>, probeName: string, spec: ProbeSpec): string {
  const reads = leaf.judges!.join(' or ');
  const envoy = leaf.judges!.find((k) => k.startsWith('envoy '));
  const workload = 'from' in spec ? spec.from : 'of' in spec ? spec.of : undefined;
  const instead = envoy
    ? `declare probe.envoy({ of: '${workload ?? '<workload>'}', what: '${envoy.slice('envoy '.length)}' }) and check that probe with it`
    : `check a ${reads} probe with it`;
  return `${leaf.name} judges ${reads} observations, but probe '${probeName}' is ${kindOf(spec)}: use a check for ${kindOf(spec)} observations on '${probeName}', or ${instead}`;
}

/** Why the collector could not serve an entry, or undefined when it can. */
function evidenceProblem(s: ScenarioDefinition, checkedProbes: string[], entry: string): string | undefined {
  const [kind = '', arg, port, ...rest] = entry.split(':');
  if (!(EVIDENCE_KINDS as readonly string[]).includes(kind)) {
    const near = didYouMean(kind, EVIDENCE_KINDS);
    return `'${entry}': unknown evidence kind '${kind}'${near ? `: did you mean '${[near, ...entry.split(':').slice(1)].join(':')}'?` : ''} (known: ${EVIDENCE_KINDS.join(', ')})`;
  }
  const k = kind as EvidenceKind;
  if (k.startsWith('gateway-')) return arg === undefined ? undefined : `'${entry}': ${k} takes no argument (write '${k}')`;
  if (arg === undefined || arg === '')
    return `'${entry}': ${k} needs a ${k === 'served-certificate' ? 'probe' : 'workload'} ('${k}:<${k === 'served-certificate' ? 'probe' : 'workload'}>')`;
  if (rest.length > 0 || (port !== undefined && k !== 'listeners'))
    return `'${entry}': too many parts (only listeners takes a port: 'listeners:<workload>:<port>')`;
  if (k === 'listeners' && port !== undefined && !/^\d+$/.test(port)) return `'${entry}': the port must be a number`;
  if (k === 'served-certificate') {
    const spec = s.probes[arg];
    if (!checkedProbes.includes(arg)) {
      const near = didYouMean(arg, checkedProbes);
      return `'${entry}': probe '${arg}' is not checked by this phase${near ? `: did you mean '${k}:${near}'?` : ''} (checked: ${checkedProbes.join(', ') || 'none'})`;
    }
    if (spec && spec.kind !== 'http' && spec.kind !== 'tls' && spec.kind !== 'ingress')
      return `'${entry}': probe '${arg}' is ${spec.kind}; only http, tls and ingress probes see a certificate`;
    return undefined;
  }
  if (SIDECAR_EVIDENCE.includes(k)) {
    const w = s.workloads.find((x) => x.name === arg);
    if (!w) {
      const near = didYouMean(
        arg,
        s.workloads.map((x) => x.name),
      );
      return `'${entry}': workload '${arg}' is not declared${near ? `: did you mean '${[k, near, ...(port ? [port] : [])].join(':')}'?` : ''} (workloads: ${s.workloads.map((x) => x.name).join(', ')})`;
    }
    if (w.injected === false)
      return `'${entry}': workload '${arg}' has no sidecar (injected: false), so there is no ${k === 'istio-init' ? 'istio-init container' : 'Envoy'} to read`;
  }
  return undefined;
}
