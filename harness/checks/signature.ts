import type { Check, CheckResult } from '../model/check.ts';
import type { IngressObservation } from '../model/observation.ts';
import type { Phase } from '../model/scenario.ts';

/**
 * A scenario's phase checks, judged on hand-written observations: the helper every
 * `scenarios/<id>/signature.test.ts` uses (docs/authoring-scenarios.md §13). A phase or probe the
 * scenario does not check throws, naming it.
 */
export function signature(scenario: { phases: Partial<Record<string, Phase>> }) {
  const checkOf = (phase: string, probe: string): Check<unknown> => {
    const p: Phase | undefined = scenario.phases[phase];
    const c = p?.expect[probe];
    if (c === undefined) throw new Error(`phase '${phase}' does not check probe '${probe}'`);
    return c as Check<unknown>;
  };
  return {
    /** The scenario's phases, for what a test reads beside the checks (a phase's files, its Secrets). */
    phases: scenario.phases,
    /** The check phase `phase` has for `probe`. */
    check: checkOf,
    /** What that check says of `o`. */
    judge: (phase: string, probe: string, o: unknown): CheckResult => checkOf(phase, probe).evaluate(o),
    /** Whether it holds for `o`. */
    holds: (phase: string, probe: string, o: unknown): boolean => checkOf(phase, probe).evaluate(o).ok,
    /** Whether it is wrapped in phaseSpecific(…) (what validation requires of at least one check per phase). */
    isPhaseSpecific: (phase: string, probe: string): boolean =>
      typeof (checkOf(phase, probe) as { phaseSpecific?: unknown }).phaseSpecific === 'string',
  };
}

/**
 * Ingress observations the ingress scenarios' signature tests share: an answer from the gateway
 * (Envoy's server header; `connectedTo` the plain or TLS port by the URL's scheme), Envoy's 404 for a
 * host nothing routes, and a connection reset before TLS (no listener, no certificate).
 */
export const ingress = {
  answer: (url: string, status: number, extra: Partial<IngressObservation> = {}): IngressObservation => ({
    kind: 'ingress',
    url,
    connectedTo: url.startsWith('https:') ? '127.0.0.1:8443' : '127.0.0.1:8080',
    status,
    headers: { server: 'istio-envoy' },
    body: '',
    ...extra,
  }),
  notRouted: (url: string): IngressObservation => ingress.answer(url, 404),
  reset: (url: string): IngressObservation => ({
    kind: 'ingress',
    url,
    connectedTo: url.startsWith('https:') ? '127.0.0.1:8443' : '127.0.0.1:8080',
    error: { kind: 'reset-before-tls', code: 'ECONNRESET', message: 'socket hang up' },
  }),
};
