import { listenerTable } from '../probes/envoy/listener-table.ts';
import type { Check } from '../model/check.ts';
import type { Observation } from '../model/observation.ts';
import type { ProbeResult } from '../model/results.ts';
import type { Phase, ScenarioDefinition } from '../model/scenario.ts';
import type { SimPhaseOutput } from './run-helper.ts';

/**
 * Turns what Istio's code computed for a phase into the observations its config checks judge:
 * a probe's simulated path, the generated listener table of a workload's sidecar (read by the
 * same parser as a live config dump), the analyzers' messages, istio-init's rules.
 */
export function configObservation(
  s: ScenarioDefinition,
  key: string,
  out: SimPhaseOutput,
  known?: ReadonlyMap<string, string>,
): Observation | { notJudged: string } {
  if (key === 'analysis') return { kind: 'analysis', messages: out.analysis, rejected: out.rejected };
  const ipt = /^iptables:(.+)$/.exec(key);
  if (ipt) {
    const w = ipt[1]!;
    // One pod per Deployment when the workload has several, requested as `<workload>@<deployment>` (phase-input.ts).
    const pods = Object.entries(out.proxies)
      .filter(([name]) => name.startsWith(`${w}@`))
      .map(([name, q]) => ({
        deployment: name.slice(w.length + 1),
        injected: q.injected,
        nativeSidecar: q.nativeSidecar,
        rules: q.iptables ?? [],
      }));
    const [first, ...more] = pods;
    if (first) return { kind: 'iptables', workload: w, ...first, more };
    const p = out.proxies[w];
    if (!p) return { notJudged: `no proxy computed for workload ${w}` };
    return { kind: 'iptables', workload: w, injected: p.injected, nativeSidecar: p.nativeSidecar, rules: p.iptables ?? [] };
  }
  const spec = s.probes[key];
  if (!spec) return { notJudged: `no probe named ${key}` };
  if (spec.kind === 'envoy') {
    const p = out.proxies[spec.of];
    if (!p) return { notJudged: `no proxy computed for ${spec.of}` };
    if (spec.what === 'listeners') {
      return {
        kind: 'envoy',
        what: 'listeners',
        listeners: listenerTable(p.configDump, spec.port === undefined ? {} : { port: spec.port }),
      };
    }
    return { notJudged: `envoy ${spec.what} are counted by a running Envoy; config level has none` };
  }
  const call = out.calls.find((c) => c.probe === key);
  if (!call) return { notJudged: `the helper made no call for probe ${key}` };
  return {
    kind: 'config-path',
    address: call.address,
    resolve: call.resolve,
    captured: call.captured,
    hops: knownCertificates(call.hops, known),
  };
}

type Served = { fingerprint256?: string; knownAs?: string };

/**
 * Names each certificate istiod's SDS would serve after the run's certificate with the same
 * SHA-256 fingerprint (`known`: fingerprint → name), as an ingress probe's `identify` names the
 * leaf it was served: subject and issuer cannot tell a rotated certificate from the one it replaced.
 */
function knownCertificates<H extends { servedCertificates?: Served[] }>(hops: H[], known: ReadonlyMap<string, string> | undefined): H[] {
  if (!known || known.size === 0) return hops;
  return hops.map((h) =>
    h.servedCertificates
      ? {
          ...h,
          servedCertificates: h.servedCertificates.map((c) => {
            const name = c.fingerprint256 === undefined ? undefined : known.get(c.fingerprint256.replaceAll(':', '').toUpperCase());
            return name === undefined ? c : { ...c, knownAs: name };
          }),
        }
      : h,
  );
}

/** Judges each config expectation of the phase; a key that cannot be observed at config level fails with the reason. */
export function judgeConfig(s: ScenarioDefinition, phase: Phase, out: SimPhaseOutput, known?: ReadonlyMap<string, string>): ProbeResult[] {
  return Object.entries(phase.config?.expect ?? {}).map(([key, check]: [string, Check<any>]) => {
    const obs = configObservation(s, key, out, known);
    const started = new Date().toISOString();
    if ('notJudged' in obs) {
      return {
        probe: key,
        spec: s.probes[key] ?? { kind: 'envoy', of: key, what: 'listeners' },
        held: false,
        message: obs.notJudged,
        infrastructureError: true,
        attempts: [{ index: 0, startedAt: started, durationMs: 0, transportError: obs.notJudged }],
      };
    }
    const verdict = check.evaluate(obs);
    return {
      probe: key,
      spec: s.probes[key] ?? syntheticSpec(key),
      held: verdict.ok,
      message: verdict.message,
      infrastructureError: false,
      attempts: [{ index: 0, startedAt: started, durationMs: 0, observation: obs, check: verdict }],
    };
  });
}

/** `analysis` and `iptables:<workload>` are not probes; results.json still needs a spec to show. */
function syntheticSpec(key: string): ProbeResult['spec'] {
  const ipt = /^iptables:(.+)$/.exec(key);
  return { kind: 'envoy', of: ipt?.[1] ?? 'istiod', what: 'listeners' };
}
