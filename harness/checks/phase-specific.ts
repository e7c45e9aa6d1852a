import type { Check } from '../model/check.ts';

/** A check marked by `phaseSpecific`: `because` says why it cannot hold without the phase's config. */
export type PhaseSpecificCheck<O> = Check<O> & { readonly phaseSpecific: string };

/**
 * Marks a check that can hold only once this phase's own config has reached the proxies: the
 * 3307 listener of an entry moved to 3307, a DestinationRule's max_connections on the client's
 * cluster, the certificate of a credential only this phase creates. The other checks of a phase
 * often also hold on the state the previous phase's revert leaves behind, or before istiod has
 * pushed anything ("no listener", "reset", "404"), so a phase judged on them alone could pass for
 * the wrong reason. The runner settles phase-specific probes first (the arrival proof comes
 * before the rest is judged), and `casebook validate` reports every phase without one.
 *
 * The wrapper keeps every property of the check (name, what it judges, its parts), so messages,
 * `plan` output and validation see the same check; it only adds the reason.
 */
export function phaseSpecific<O>(check: Check<O>, because: string): PhaseSpecificCheck<O> {
  if (because.trim() === '') throw new Error(`phaseSpecific(${check.name}) needs a reason: why can it hold only on this phase's config?`);
  return { ...check, phaseSpecific: because };
}

export function isPhaseSpecific(check: Check<unknown> | undefined): check is PhaseSpecificCheck<unknown> {
  return typeof (check as { phaseSpecific?: unknown } | undefined)?.phaseSpecific === 'string';
}

/** The phase's probes in settle order: the phase-specific ones first, the rest as written. */
export function settleOrder<C extends Check<any>>(expect: Record<string, C>): [string, C][] {
  const entries = Object.entries(expect);
  return [...entries.filter(([, c]) => isPhaseSpecific(c)), ...entries.filter(([, c]) => !isPhaseSpecific(c))];
}
